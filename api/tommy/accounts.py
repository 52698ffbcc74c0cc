"""Tommy family (/api/v1/) views for users, sessions and devices. Thin: validate, call services, serialize."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY, update_session_auth_hash
from django.contrib.auth import login as session_login
from django.contrib.auth import logout as session_logout
from django.middleware.csrf import get_token
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts import selectors
from accounts.models import Team, User
from accounts.selectors import team_with_owner
from accounts.services import credential_cache, passwords, profiles, team_admin
from api import people
from api.tommy.base import TommyAPIView
from api.tommy.serializers.accounts import (
    AccountSerializer,
    CredentialsSerializer,
    CurrentAccountSerializer,
    DeviceSerializer,
    MobileTermSerializer,
    ResetPasswordSerializer,
    SearchTermSerializer,
    SettingContextSerializer,
    SettingDataSerializer,
    SettingSerializer,
    TeamFeaturesSerializer,
    TeamInputSerializer,
    TeamMemberInputSerializer,
    TeamMemberInviteSerializer,
    TeamMemberSerializer,
    TeamSerializer,
    UserInputSerializer,
    UserSerializer,
    VerifyQuerySerializer,
)
from core import links
from core.api.base import PublicEndpointMixin
from core.api.requests import client_ip
from core.exceptions import PermissionDeniedError, ValidationFailed
from core.phones import normalize_phone
from core.qr import qr_png_response

# The body of every documented "Success response" (the document shows none; its samples call response.json()).
SUCCESS = {"success": True}
SUCCESS_SCHEMA = inline_serializer("TommySuccess", {"success": serializers.BooleanField()})


def phone_or_none(term: str) -> str | None:
    """The E.164 reading of a search term, or None when it is not a phone number."""
    try:
        return normalize_phone(term, field="term")
    except ValidationFailed:
        return None


def _own(request, user) -> dict:
    """A user answered to themselves before any credential is read (sign-up, login, verification)."""
    return UserSerializer(user, context={"request": request, "lens": people.own_lens(user)}).data


class PublicTommyAPIView(PublicEndpointMixin, TommyAPIView):
    """Endpoints the spec suggests opening to anonymous callers; credentials sent along are not read."""


class UsersView(PublicTommyAPIView):
    """POST /users — sign up (JSON or multipart with `photo`)."""

    openapi_errors = (409,)  # the email or phone is taken by an account made at the same moment

    @extend_schema(request=UserInputSerializer, responses={201: UserSerializer})
    def post(self, request):
        serializer = UserInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = profiles.user_register(**serializer.to_service_kwargs())
        return Response(_own(request, user), status=status.HTTP_201_CREATED)


class UserDetailView(TommyAPIView):
    """GET /users/{id} — by numeric id or slug, among the caller and the members of the caller's teams."""

    @extend_schema(responses=UserSerializer)
    def get(self, request, id_or_slug: str):
        user = profiles.user_get_visible(viewer=people.viewer(request), id_or_slug=id_or_slug)
        return Response(UserSerializer(user, context={"request": request}).data)


class MeView(TommyAPIView):
    """GET /me and PUT /me (partial update; `password` sets a new one, `photo` uploads the avatar)."""

    @extend_schema(responses=UserSerializer)
    def get(self, request):
        # Polled: answered once per credential and user epoch in each process (every field is the user's row,
        # which bumps the epoch when saved: accounts/services/credential_cache.py). Its icon URL carries the host.
        me = credential_cache.derived(
            request.auth,
            f"tommy-me:{request.scheme}://{request.get_host()}",
            lambda: UserSerializer(request.user, context={"request": request}).data,
        )
        return Response(me)

    @extend_schema(request=UserInputSerializer, responses=UserSerializer)
    def put(self, request):
        serializer = UserInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = serializer.to_service_kwargs()
        if self.api_key() is not None and (refused := _login_changes(request.user, changes)):
            # A key acts as its maker but is not that person: a new password, or an email/mobile/username a reset
            # code could then be sent to, would turn a team key into a login for all the maker's teams.
            raise PermissionDeniedError(
                f"A team API key cannot change its maker's {', '.join(refused)}; log in as the user."
            )
        user = profiles.user_profile_update(user=request.user, **changes)
        if changes.get("password") and request.session.get(SESSION_KEY):
            update_session_auth_hash(request._request, user)  # keep this session; other sessions end
        return Response(UserSerializer(user, context={"request": request}).data)


def _login_changes(user, changes: dict) -> list[str]:
    """The login credentials `changes` would change: the password, or an identifier one logs in (or resets) with."""
    refused = ["password"] if changes.get("password") else []
    for name, label in (("email", "email"), ("phone", "mobile"), ("username", "username")):
        if name in changes and str(changes[name] or "").casefold() != str(getattr(user, name) or "").casefold():
            refused.append(label)
    return refused


def own_user_id(request, pk) -> int:
    """`{id}` of /users/{id}/send_verification_*: only the caller's own (a code goes to that person's address, so
    nobody may make Crewdesk mail or text someone else); any other id, existing or not, is the same 403."""
    if int(pk) != request.user.pk:
        raise PermissionDeniedError("A verification code is sent only to your own address; use your own user id.")
    return request.user.pk


class SendVerificationSmsView(TommyAPIView):
    """POST /users/{id}/send_verification_sms — the caller's own mobile; same answer whether or not a text was
    sent (already verified, or no mobile)."""

    openapi_errors = (429,)  # send budgets

    @extend_schema(request=None, responses=SUCCESS_SCHEMA)
    def post(self, request, pk: int):
        profiles.verification_sms_send(user_id=own_user_id(request, pk), ip=client_ip(request))
        return Response(SUCCESS)


class VerifyView(PublicTommyAPIView):
    """GET /users/verify?pin=…&user_id=…|email=…|mobile=… — marks the mobile number verified."""

    @extend_schema(parameters=[VerifyQuerySerializer], responses=UserSerializer)
    def get(self, request):
        serializer = VerifyQuerySerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = profiles.user_verify(
            code=data["pin"], user_id=data.get("user_id"), email=data.get("email"), phone=data.get("mobile")
        )
        return Response(_own(request, user))


class ResetPasswordView(PublicTommyAPIView):
    """POST /users/reset_password?login=… sends a code; adding `pin` and `password` sets the new password."""

    openapi_errors = (429,)  # send budgets

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

    openapi_errors = {"post": (429,)}  # failed-login lockout

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
        user = passwords.user_authenticate(**serializer.validated_data, ip=client_ip(request))
        session_login(request._request, user)
        get_token(request._request)
        return Response(_own(request, user))

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
        device, created = profiles.device_register(user=request.user, **serializer.to_service_kwargs())
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(DeviceSerializer(device).data, status=code)


class DeviceDetailView(TommyAPIView):
    """DELETE /devices/{id} — one of the caller's devices; its tokens stop working."""

    @extend_schema(responses=SUCCESS_SCHEMA)
    def delete(self, request, pk: int):
        profiles.device_remove(user=request.user, pk=int(pk))
        return Response(SUCCESS)


# --- accounts, settings, QR, WLS, search (spec tommy-1) ------------------------------------------------------------


def _query_and_body(request) -> dict:
    """Parameters the document puts in the query; a JSON/form body is read too (query wins)."""
    body = request.data if hasattr(request.data, "keys") else {}
    return {**{k: body[k] for k in body}, **request.query_params.dict()}


def _accounts(request, accounts) -> Response:
    return Response(AccountSerializer(accounts, many=True, context={"request": request}).data)


class AccountsSearchView(TommyAPIView):
    """GET /accounts/search?term= — teams and users visible to the caller by mobile or username (slug) prefix."""

    pagination_class = None  # answers the whole list, not a page: no page/per

    @extend_schema(parameters=[SearchTermSerializer], responses=AccountSerializer(many=True))
    def get(self, request):
        serializer = SearchTermSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        term = serializer.validated_data["term"].strip()
        found = selectors.accounts_search(viewer=people.viewer(request), phone=phone_or_none(term), handle=term)
        return _accounts(request, found)


class MeAccountsView(TommyAPIView):
    """GET /me/accounts — the caller's accounts, the current one first."""

    pagination_class = None  # answers the whole list, not a page: no page/per

    @extend_schema(responses=AccountSerializer(many=True))
    def get(self, request):
        team_ids = self.caller_team_ids()
        accounts = selectors.accounts_of(user=request.user, team_ids=team_ids)
        current = selectors.current_account_of(user=request.user, team_ids=team_ids).key
        accounts.sort(key=lambda account: account.key != current)  # stable: the rest keep their order
        return _accounts(request, accounts)


class MeCurrentAccountView(TommyAPIView):
    """GET /me/current_account and PUT /me/current_account?current_account_id=&current_account_type=."""

    @extend_schema(responses=AccountSerializer)
    def get(self, request):
        account = selectors.current_account_of(user=request.user, team_ids=self.caller_team_ids())
        return Response(AccountSerializer(account, context={"request": request}).data)

    @extend_schema(parameters=[CurrentAccountSerializer], request=None, responses=AccountSerializer)
    def put(self, request):
        serializer = CurrentAccountSerializer(data=_query_and_body(request))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        account = team_admin.current_account_set(
            user=request.user,
            team_ids=self.caller_team_ids(),
            account_type=data["current_account_type"],
            account_id=data["current_account_id"],
        )
        return Response(AccountSerializer(account, context={"request": request}).data)


class PngResponseMixin:
    """PNG answers bypass the renderer (a plain HttpResponse); errors stay in the tommy envelope."""

    def perform_content_negotiation(self, request, force=False):
        renderer = self.renderer_classes[0]()
        return renderer, renderer.media_type


class MeQrView(PngResponseMixin, TommyAPIView):
    """GET /me/qr — a PNG QR code of the current account's tommy URL (the person's or the team's)."""

    @extend_schema(responses={(200, "image/png"): OpenApiTypes.BINARY})
    def get(self, request):
        account = selectors.current_account_of(user=request.user, team_ids=self.caller_team_ids())
        path = account_path(account=account, user=request.user)
        url = links.absolute(path) if settings.PUBLIC_BASE_URL else request.build_absolute_uri(path)
        return qr_png_response(url, cache_control="private, no-store")


def account_path(*, account: selectors.Account, user: User) -> str:
    """What the QR code of an account encodes: the tommy URL of the person (User/TeamMember) or of the team."""
    if account.type == selectors.TEAM:
        return reverse(
            "tommy:team-by-slug", kwargs={"slug": Team.objects.values_list("slug", flat=True).get(pk=account.id)}
        )
    slug = (
        user.slug if account.user_id == user.pk else User.objects.values_list("slug", flat=True).get(pk=account.user_id)
    )
    return reverse("tommy:user-detail", kwargs={"id_or_slug": slug})


WLS_SCHEMA = inline_serializer(
    "TommyWlsChart",
    {
        "labels": serializers.ListField(child=serializers.CharField()),
        "values": serializers.ListField(child=serializers.FloatField()),
        "team_values": serializers.DictField(),
        "feedback": serializers.ListField(child=serializers.CharField()),
    },
)


class MeWlsView(TommyAPIView):
    """GET /me/wls — work-life score chart data (empty until worked-hours data exist; docs/decisions.md)."""

    @extend_schema(responses=WLS_SCHEMA)
    def get(self, request):
        return Response(team_admin.wls_chart(user=request.user))


class SettingsMixin:
    """Shared by /me/settings and /team/settings: subclasses say whose settings (`owner_kwargs`)."""

    def owner_kwargs(self, request, write: bool = False) -> dict:  # pragma: no cover - overridden
        raise NotImplementedError

    def context_param(self, request) -> str:
        serializer = SettingContextSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data["context"]


SETTINGS_MAP_SCHEMA = OpenApiTypes.OBJECT


class SettingsListMixin(SettingsMixin):
    def list_settings(self, request) -> Response:
        return Response(team_admin.settings_map(context=self.context_param(request), **self.owner_kwargs(request)))


class MeSettingsView(SettingsListMixin, TommyAPIView):
    """GET /me/settings — {name: data} of the caller's settings (`?context=` picks a context; default "")."""

    def owner_kwargs(self, request, write: bool = False) -> dict:
        return {"user": request.user}

    @extend_schema(
        operation_id="me_settings_list", parameters=[SettingContextSerializer], responses=SETTINGS_MAP_SCHEMA
    )
    def get(self, request):
        return self.list_settings(request)


class MeSettingDetailView(SettingsMixin, TommyAPIView):
    """GET, PUT (upsert with SettingData) and DELETE /me/settings/{name}."""

    def owner_kwargs(self, request, write: bool = False) -> dict:
        return {"user": request.user}

    @extend_schema(parameters=[SettingContextSerializer], responses=SettingSerializer)
    def get(self, request, name: str):
        setting = team_admin.setting_get(name=name, context=self.context_param(request), **self.owner_kwargs(request))
        return Response(SettingSerializer(setting).data)

    @extend_schema(request=SettingDataSerializer, responses=SettingSerializer)
    def put(self, request, name: str):
        serializer = SettingDataSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        owner = self.owner_kwargs(request, write=True)
        setting = team_admin.setting_put(name=name, **owner, **serializer.to_service_kwargs())
        return Response(SettingSerializer(setting).data)

    @extend_schema(parameters=[SettingContextSerializer], responses={204: None})
    def delete(self, request, name: str):
        owner = self.owner_kwargs(request, write=True)
        team_admin.setting_delete(name=name, context=self.context_param(request), **owner)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UsersSearchView(TommyAPIView):
    """GET /users/search?term= — users visible to the caller whose mobile number is the (normalised) term."""

    pagination_class = None  # answers the whole list, not a page: no page/per

    @extend_schema(parameters=[MobileTermSerializer], responses=UserSerializer(many=True))
    def get(self, request):
        serializer = MobileTermSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        users = team_admin.users_search_by_mobile(
            viewer=people.viewer(request), phone=serializer.validated_data["term"]
        )
        return Response(UserSerializer(users, many=True, context={"request": request}).data)


class SendVerificationEmailView(TommyAPIView):
    """POST /users/{id}/send_verification_email — the caller's own email address; same answer whether or not a
    mail was sent (already verified, or no email)."""

    openapi_errors = (429,)  # send budgets

    @extend_schema(request=None, responses=SUCCESS_SCHEMA)
    def post(self, request, pk: int):
        profiles.verification_email_send(user_id=own_user_id(request, pk), ip=client_ip(request))
        return Response(SUCCESS)


# --- teams and team members (spec tommy-2) ---------------------------------------------------------------------------


def _team(request, team) -> Response:
    return Response(TeamSerializer(team, context={"request": request}).data)


class TeamsView(TommyAPIView):
    """POST /teams — create a team; the caller becomes its owner and a manager."""

    openapi_errors = (409,)  # the slug is taken

    @extend_schema(request=TeamInputSerializer, responses={201: TeamSerializer})
    def post(self, request):
        serializer = TeamInputSerializer(data=request.data, require_name=True)
        serializer.is_valid(raise_exception=True)
        team = team_admin.team_create(creator=request.user, **serializer.validated_data)
        return Response(TeamSerializer(team, context={"request": request}).data, status=status.HTTP_201_CREATED)


class TeamBySlugView(TommyAPIView):
    """GET /teams/{slug} — one of the caller's teams; any other is 404."""

    @extend_schema(responses=TeamSerializer)
    def get(self, request, slug: str):
        return _team(request, team_admin.team_by_slug(slug=slug, team_ids=self.caller_team_ids()))


class TeamView(TommyAPIView):
    """GET /team and PUT /team (owners and admins; partial: only given fields change)."""

    @extend_schema(responses=TeamSerializer)
    def get(self, request):
        return _team(request, team_with_owner(self.current_team()))

    @extend_schema(request=TeamInputSerializer, responses=TeamSerializer)
    def put(self, request):
        serializer = TeamInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        team = self.current_team()
        by = self.current_membership()
        return _team(request, team_admin.team_update(team=team, by=by, **serializer.validated_data))


class TeamFeaturesView(TommyAPIView):
    """PATCH /team/features — merge the 13 flags (unknown keys ignored); answers {"features": {...}}."""

    @extend_schema(request=TeamFeaturesSerializer, responses=TeamFeaturesSerializer)
    def patch(self, request):
        serializer = TeamFeaturesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        team = self.current_team()
        features = team_admin.team_features_update(team=team, by=self.current_membership(), **serializer.validated_data)
        return Response({"features": features})


class TeamSettingsOwnerMixin(SettingsMixin):
    def owner_kwargs(self, request, write: bool = False) -> dict:
        team = self.current_team()
        kwargs = {"team": team}
        if write:
            kwargs["by"] = self.current_membership()
        return kwargs


class TeamSettingsView(TeamSettingsOwnerMixin, SettingsListMixin, TommyAPIView):
    """GET /team/settings — {name: data} of the current team's settings."""

    @extend_schema(
        operation_id="team_settings_list", parameters=[SettingContextSerializer], responses=SETTINGS_MAP_SCHEMA
    )
    def get(self, request):
        return self.list_settings(request)


class TeamSettingDetailView(TeamSettingsOwnerMixin, MeSettingDetailView):
    """GET, PUT and DELETE /team/settings/{name} (writes by the team's owners and admins)."""


def _member(request, membership) -> Response:
    return Response(TeamMemberSerializer(membership, context={"request": request}).data)


class TeamMembersView(TommyAPIView):
    """GET /team/members — the current team's members (page/per, X-Total-Count)."""

    @extend_schema(responses=TeamMemberSerializer(many=True))
    def get(self, request):
        members = team_admin.team_members(team=self.current_team())
        page = self.paginator.paginate_queryset(members, request, view=self)
        data = TeamMemberSerializer(page, many=True, context={"request": request}).data
        return self.paginator.get_paginated_response(data)

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = self.pagination_class()
        return self._paginator


class TeamMemberDetailView(TommyAPIView):
    """GET and PUT /team/members/{user_id} — looked up by the member's user id."""

    @extend_schema(responses=TeamMemberSerializer)
    def get(self, request, user_id: int):
        return _member(request, team_admin.team_member_get(team=self.current_team(), user_id=int(user_id)))

    @extend_schema(request=TeamMemberInputSerializer, responses=TeamMemberSerializer)
    def put(self, request, user_id: int):
        team = self.current_team()
        serializer = TeamMemberInputSerializer(data=request.data, context={"team": team})
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data.get("user_id") not in (None, 0, int(user_id)):
            raise ValidationFailed.for_field("user_id", "must be the user id of the path")
        membership = team_admin.team_member_update(
            team=team,
            by=self.current_membership(),
            user_id=int(user_id),
            **serializer.to_service_kwargs(),
        )
        return _member(request, membership)


class TeamMemberInviteView(TommyAPIView):
    """POST /team/members/invite — by user_id, or by email/mobile (a pending user is created when needed)."""

    openapi_errors = (409,)  # already a member

    @extend_schema(request=TeamMemberInviteSerializer, responses={200: TeamMemberSerializer, 201: TeamMemberSerializer})
    def post(self, request):
        team = self.current_team()
        serializer = TeamMemberInviteSerializer(data=request.data, context={"team": team})
        serializer.is_valid(raise_exception=True)
        membership, created = team_admin.team_member_invite(
            team=team,
            by=self.current_membership(),
            viewer=people.viewer(request),
            **serializer.to_service_kwargs(),
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(TeamMemberSerializer(membership, context={"request": request}).data, status=code)
