"""Tommy family (/api/v1/) views for users, sessions and devices. Thin: validate, call services, serialize."""

from django.contrib.auth import SESSION_KEY, update_session_auth_hash
from django.contrib.auth import login as session_login
from django.contrib.auth import logout as session_logout
from django.middleware.csrf import get_token
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts.api.tommy.serializers import (
    CredentialsSerializer,
    DeviceSerializer,
    ResetPasswordSerializer,
    UserInputSerializer,
    UserSerializer,
    VerifyQuerySerializer,
)
from accounts.models import ApiKey
from accounts.services import passwords, tommy
from core.api.tommy import TommyAPIView
from core.exceptions import PermissionDeniedError

# The body of every documented "Success response" (the document shows none; its samples call response.json()).
SUCCESS = {"success": True}
SUCCESS_SCHEMA = inline_serializer("TommySuccess", {"success": serializers.BooleanField()})


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class PublicTommyAPIView(TommyAPIView):
    """Endpoints the spec suggests opening to anonymous callers; credentials sent along are not read."""

    permission_classes = [AllowAny]

    def get_authenticators(self):
        return []


class UsersView(PublicTommyAPIView):
    """POST /users — sign up (JSON or multipart with `photo`)."""

    @extend_schema(request=UserInputSerializer, responses={201: UserSerializer})
    def post(self, request):
        serializer = UserInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = tommy.user_register(**serializer.to_service_kwargs())
        return Response(UserSerializer(user, context={"request": request}).data, status=status.HTTP_201_CREATED)


class UserDetailView(TommyAPIView):
    """GET /users/{id} — by numeric id or slug, among the caller and the members of the caller's teams."""

    @extend_schema(responses=UserSerializer)
    def get(self, request, id_or_slug: str):
        user = tommy.user_get_visible(user=request.user, team_ids=self.caller_team_ids(), id_or_slug=id_or_slug)
        return Response(UserSerializer(user, context={"request": request}).data)


class MeView(TommyAPIView):
    """GET /me and PUT /me (partial update; `password` sets a new one, `photo` uploads the avatar)."""

    @extend_schema(responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user, context={"request": request}).data)

    @extend_schema(request=UserInputSerializer, responses=UserSerializer)
    def put(self, request):
        serializer = UserInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = serializer.to_service_kwargs()
        if changes.get("password") and isinstance(request.auth, ApiKey):
            raise PermissionDeniedError("A team API key cannot change its maker's password; log in as the user.")
        user = tommy.user_profile_update(user=request.user, **changes)
        if changes.get("password") and request.session.get(SESSION_KEY):
            update_session_auth_hash(request._request, user)  # keep this session; other sessions end
        return Response(UserSerializer(user, context={"request": request}).data)


class SendVerificationSmsView(PublicTommyAPIView):
    """POST /users/{id}/send_verification_sms — same answer whether or not a text was sent."""

    @extend_schema(request=None, responses=SUCCESS_SCHEMA)
    def post(self, request, pk: int):
        tommy.verification_sms_send(user_id=int(pk), ip=client_ip(request))
        return Response(SUCCESS)


class VerifyView(PublicTommyAPIView):
    """GET /users/verify?pin=…&user_id=…|email=…|mobile=… — marks the mobile number verified."""

    @extend_schema(parameters=[VerifyQuerySerializer], responses=UserSerializer)
    def get(self, request):
        serializer = VerifyQuerySerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = tommy.user_verify(
            code=data["pin"], user_id=data.get("user_id"), email=data.get("email"), phone=data.get("mobile")
        )
        return Response(UserSerializer(user, context={"request": request}).data)


class ResetPasswordView(PublicTommyAPIView):
    """POST /users/reset_password?login=… sends a code; adding `pin` and `password` sets the new password."""

    @extend_schema(request=ResetPasswordSerializer, responses=SUCCESS_SCHEMA)
    def post(self, request):
        params = {**request.query_params.dict(), **(request.data if hasattr(request.data, "keys") else {})}
        serializer = ResetPasswordSerializer(data=params)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "pin" in data:
            passwords.password_reset_complete(login=data["login"], code=data["pin"], password=data["password"])
        else:
            passwords.password_reset_request(login=data["login"], ip=client_ip(request))
        return Response(SUCCESS)


class SessionsView(TommyAPIView):
    """POST /sessions logs in (session cookie, and a csrftoken cookie for later unsafe calls); DELETE logs out."""

    def _is_login(self) -> bool:
        request = getattr(self, "request", None)  # None while drf-spectacular builds the schema
        return request is not None and request.method == "POST"

    def get_permissions(self):
        return [AllowAny()] if self._is_login() else super().get_permissions()

    def get_authenticators(self):
        return [] if self._is_login() else super().get_authenticators()

    @extend_schema(request=CredentialsSerializer, responses={200: UserSerializer, 401: OpenApiResponse()})
    def post(self, request):
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = passwords.user_authenticate(**serializer.validated_data)
        session_login(request._request, user)
        get_token(request._request)
        return Response(UserSerializer(user, context={"request": request}).data)

    @extend_schema(responses=SUCCESS_SCHEMA)
    def delete(self, request):
        session_logout(request._request)
        return Response(SUCCESS)


class DevicesView(TommyAPIView):
    """POST /devices — register (upsert on uuid) one of the caller's devices: 201 when new, 200 when updated."""

    @extend_schema(request=DeviceSerializer, responses={200: DeviceSerializer, 201: DeviceSerializer})
    def post(self, request):
        serializer = DeviceSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        device, created = tommy.device_register(user=request.user, **serializer.to_service_kwargs())
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(DeviceSerializer(device).data, status=code)


class DeviceDetailView(TommyAPIView):
    """DELETE /devices/{id} — one of the caller's devices; its tokens stop working."""

    @extend_schema(responses=SUCCESS_SCHEMA)
    def delete(self, request, pk: int):
        tommy.device_remove(user=request.user, pk=int(pk))
        return Response(SUCCESS)
