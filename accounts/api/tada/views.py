"""Tada family (/api/v3/) views for the accounts domain. Thin: validate, call services, serialize."""

import io
import time
from urllib.parse import quote

import qrcode
from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.api.tada import serializers as s
from accounts.models import OneTimeCode
from accounts.services import tada as tada_services
from accounts.services.codes import code_send, qr_login_issue
from accounts.services.users import device_delete, device_upsert, qr_login_complete, sms_login_complete
from core.api.tada import TadaAPIView, TadaRenderer
from core.phones import normalize_phone

SESSION_BACKEND = "accounts.backends.LoginBackend"


class PublicTadaAPIView(TadaAPIView):
    """Service and login calls: no credentials read (a stale token or cookie must not block logging in)."""

    authentication_classes: list = []
    permission_classes: list = []

    def get_authenticators(self):
        return []


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _me(request, user, team_ids=None) -> dict:
    me = tada_services.me_get(user=user, team_ids=team_ids)
    return s.MeSerializer(me, context={"request": request}).data


def _validated(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


COUNTRY_SCHEMA = inline_serializer(
    "TadaCountry",
    {"code": serializers.CharField(), "name": serializers.CharField(), "default": serializers.BooleanField()},
    many=True,
)
LOGIN_RESULT_SCHEMA = inline_serializer("TadaLoginResult", {"me": s.MeSerializer(), "token": serializers.CharField()})
ME_RESULT_SCHEMA = inline_serializer("TadaMeResult", {"me": s.MeSerializer()})
LOGOUT_SCHEMA = inline_serializer("TadaLogout", {"location": serializers.CharField()})


# --- Service ---------------------------------------------------------------------------------------------------


class PingView(PublicTadaAPIView):
    """POST/GET /ping → "pong". GET takes `delay_sec` (bounded) and `error` to test client error handling."""

    max_delay_sec = 10.0

    @extend_schema(operation_id="ping_post", request=None, responses=OpenApiTypes.STR)
    def post(self, request):
        return Response("pong")

    @extend_schema(operation_id="ping_get", responses=OpenApiTypes.STR)
    def get(self, request):
        if "error" in request.query_params:
            raise RuntimeError("Server error requested with ?error (GET /ping).")
        raw = request.query_params.get("delay_sec")
        if raw not in (None, ""):
            try:
                delay = float(raw)
            except ValueError:
                raise ValidationError({"delay_sec": ["must be a number of seconds."]}) from None
            if not 0 <= delay <= self.max_delay_sec:
                raise ValidationError({"delay_sec": [f"must be between 0 and {self.max_delay_sec:g}."]})
            time.sleep(delay)
        return Response("pong")


class TimeView(PublicTadaAPIView):
    @extend_schema(responses=OpenApiTypes.DATETIME)
    def get(self, request):
        return Response(timezone.now().isoformat().replace("+00:00", "Z"))


class CountriesView(PublicTadaAPIView):
    @extend_schema(responses=COUNTRY_SCHEMA)
    def get(self, request):
        return Response(tada_services.countries())


# --- Auth --------------------------------------------------------------------------------------------------------


class SmsLoginView(PublicTadaAPIView):
    """Step 1: normalise the phone, send a login code by SMS."""

    @extend_schema(request=s.PhoneInputSerializer, responses=s.SmsLoginResultSerializer)
    def post(self, request):
        data = _validated(s.PhoneInputSerializer, request)
        phone = normalize_phone(data["phone"])
        issued = code_send(phone=phone, purpose=OneTimeCode.Purpose.LOGIN, ip=_client_ip(request))
        result = {"code_length": issued.length, "code_valid_until": issued.valid_until, "phone": phone}
        return Response(s.SmsLoginResultSerializer(result).data)


class SmsAuthView(PublicTadaAPIView):
    """Step 2: check the code, register the device, issue a token."""

    @extend_schema(request=s.SmsAuthInputSerializer, responses=LOGIN_RESULT_SCHEMA)
    def post(self, request):
        data = _validated(s.SmsAuthInputSerializer, request)
        phone = normalize_phone(data.pop("phone"))
        result = sms_login_complete(phone=phone, **data)
        return Response({"me": _me(request, result.user), "token": result.token})


class SmsCookieAuthView(PublicTadaAPIView):
    """Step 2, cookie variant: no device, no token; a session cookie is set."""

    @extend_schema(request=s.SmsCookieAuthInputSerializer, responses=ME_RESULT_SCHEMA)
    def post(self, request):
        data = _validated(s.SmsCookieAuthInputSerializer, request)
        phone = normalize_phone(data["phone"])
        result = sms_login_complete(phone=phone, code=data["code"], issue_token=False)
        login(request._request, result.user, backend=SESSION_BACKEND)
        return Response({"me": _me(request, result.user)})


class CookieAuthLogoutView(PublicTadaAPIView):
    """Ends the cookie session (GET or POST); idempotent, so it needs no credentials."""

    @extend_schema(request=None, responses=LOGOUT_SCHEMA)
    def get(self, request):
        logout(request._request)
        return Response({"location": "/"})

    @extend_schema(operation_id="cookieauth_logout_post", request=None, responses=LOGOUT_SCHEMA)
    def post(self, request):
        return self.get(request)


class QrLoginPngView(TadaAPIView):
    """A QR code the logged-in caller shows to a new device: `otv://qr-login/{host}/{temp_token}`.

    The PNG bypasses the envelope (a plain HttpResponse); `?debug` answers the URL as JSON; errors stay in the
    envelope because content negotiation always picks the tada renderer.
    """

    def perform_content_negotiation(self, request, force=False):
        renderer = TadaRenderer()
        return renderer, renderer.media_type

    @extend_schema(responses={(200, "image/png"): OpenApiTypes.BINARY})
    def get(self, request):
        value = request.query_params.get("value")
        if value is not None:
            value = value.strip()
            if not value:
                raise ValidationError({"value": ["must not be empty."]})
            token = value  # "generates a QR code with the given token, for tests": no token is issued
        else:
            token = qr_login_issue(user=request.user)[1]
        url = f"otv://qr-login/{quote(request.get_host(), safe='')}/{quote(token, safe='')}"
        if _flag(request.query_params.get("debug")):
            return Response({"lifetime_sec": settings.QR_LOGIN_TTL_SECONDS, "url": url})
        buffer = io.BytesIO()
        qrcode.make(url).save(buffer, format="PNG")
        response = HttpResponse(buffer.getvalue(), content_type="image/png")
        response["Cache-Control"] = "no-store"
        return response


def _flag(raw: str | None) -> bool:
    """`?debug`, `?debug=True`, `?debug=1` turn it on; absent or an explicit false value leaves it off."""
    return raw is not None and raw.strip().lower() not in ("0", "false", "no", "off")


class QrAuthView(PublicTadaAPIView):
    """Log in with a scanned QR temp token as the user who showed it; registers the device, issues a token."""

    @extend_schema(request=s.QrAuthInputSerializer, responses=LOGIN_RESULT_SCHEMA)
    def post(self, request):
        data = _validated(s.QrAuthInputSerializer, request)
        result = qr_login_complete(**data)
        return Response({"me": _me(request, result.user), "token": result.token})


# --- Me, devices -------------------------------------------------------------------------------------------------


class MeView(TadaAPIView):
    serializer_class = s.MeSerializer  # for the OpenAPI schema

    def get(self, request):
        return Response(_me(request, request.user, self.caller_team_ids()))


class DevicesView(TadaAPIView):
    serializer_class = s.DeviceSerializer  # for the OpenAPI schema

    @extend_schema(operation_id="devices_list", responses=s.DeviceSerializer(many=True))
    def get(self, request):
        devices = tada_services.devices_list(user=request.user)
        return Response(s.DeviceSerializer(devices, many=True).data)

    def post(self, request):
        """Upsert by device_id, full replacement: fields not sent go back to their defaults."""
        data = _validated(s.DeviceWriteSerializer, request)
        device = device_upsert(user=request.user, replace=True, **data)
        return Response(s.DeviceSerializer(device).data)


class DeviceDetailView(TadaAPIView):
    serializer_class = s.DeviceSerializer  # for the OpenAPI schema

    def get(self, request, device_id):
        device = tada_services.device_get(user=request.user, device_id=device_id)
        return Response(s.DeviceSerializer(device).data)

    def put(self, request, device_id):
        """Partial update: only the fields sent change (the document's example sends three)."""
        device = tada_services.device_get(user=request.user, device_id=device_id)
        data = _validated(s.DeviceWriteSerializer, request, partial=True, device_id_from_path=True)
        device = device_upsert(user=request.user, device_id=device.device_id, **data)
        return Response(s.DeviceSerializer(device).data)

    def delete(self, request, device_id):
        device = tada_services.device_get(user=request.user, device_id=device_id)
        device_delete(device=device)
        return Response(None)
