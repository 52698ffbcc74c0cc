"""Tada family (/api/v3/) views for the accounts domain. Thin: validate, call services, serialize."""

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import login, logout
from django.core.cache import cache
from django.http import QueryDict
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts import selectors
from accounts.models import AuthToken, OneTimeCode, Team
from accounts.services import credential_cache
from accounts.services import teams as team_services
from accounts.services.codes import code_send, qr_login_issue
from accounts.services.users import device_delete, device_upsert, qr_login_complete, sms_login_complete
from api.tada.base import ImageEndpointMixin, TadaAPIView
from api.tada.countries import countries
from api.tada.serializers import accounts as s
from core.api.base import PublicEndpointMixin
from core.api.requests import client_ip
from core.exceptions import PermissionDeniedError, RateLimited
from core.phones import normalize_phone
from core.qr import qr_png_response

SESSION_BACKEND = "accounts.backends.LoginBackend"


class PublicTadaAPIView(PublicEndpointMixin, TadaAPIView):
    """Service and login calls: no credentials read (a stale token or cookie must not block logging in)."""


def _me(request, user, team_ids=None) -> dict:
    me = selectors.me_get(user=user, team_ids=team_ids)
    return s.MeSerializer(me, context={"request": request}).data


def _validated(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


COUNTRY_SCHEMA = inline_serializer(
    "TadaCountry",
    {
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "default": serializers.BooleanField(required=False, help_text="only on the default country"),
    },
    many=True,
)
LOGIN_RESULT_SCHEMA = inline_serializer("TadaLoginResult", {"me": s.MeSerializer(), "token": serializers.CharField()})
ME_RESULT_SCHEMA = inline_serializer("TadaMeResult", {"me": s.MeSerializer()})
LOGOUT_SCHEMA = inline_serializer("TadaLogout", {"location": serializers.CharField()})


# --- Service ---------------------------------------------------------------------------------------------------


class PingView(PublicTadaAPIView):
    """POST/GET /ping → "pong". GET takes `delay_sec` (bounded, budgeted) and `error` to test client error handling.

    A delayed ping holds a sync worker while it sleeps, so delays are capped at MAX_DELAY_SEC and budgeted: at most
    DELAYED_AT_ONCE delayed pings sleep at a time on the whole server (a slot in the shared cache), one at a time per
    client address and DELAYED_PER_MINUTE a minute per address; over budget is a 429 with Retry-After, at once."""

    MAX_DELAY_SEC = 5.0
    DELAYED_AT_ONCE = 1
    DELAYED_PER_MINUTE = 10

    @extend_schema(operation_id="ping_post", request=None, responses=OpenApiTypes.STR)
    def post(self, request):
        return Response("pong")

    @extend_schema(
        operation_id="ping_get",
        parameters=[
            OpenApiParameter("delay_sec", float, description=f"Answer after this many seconds (0–{MAX_DELAY_SEC:g})."),
            OpenApiParameter("error", str, description="Present: answer a server error."),
        ],
        responses=OpenApiTypes.STR,
    )
    def get(self, request):
        if "error" in request.query_params:
            raise RuntimeError("Server error requested with ?error (GET /ping).")
        raw = request.query_params.get("delay_sec")
        if raw not in (None, ""):
            try:
                delay = float(raw)
            except ValueError:
                raise ValidationError({"delay_sec": ["must be a number of seconds."]}) from None
            if not 0 <= delay <= self.MAX_DELAY_SEC:
                raise ValidationError({"delay_sec": [f"must be between 0 and {self.MAX_DELAY_SEC:g}."]})
            if delay > 0:
                self.sleep_within_budget(delay, client_ip(request) or "unknown")
        return Response("pong")

    def sleep_within_budget(self, delay: float, ip: str) -> None:
        hold = int(delay) + 5  # the keys outlive the sleep a little, and die by themselves if the worker does
        minute = f"ping-delay:minute:{ip}"
        cache.add(minute, 0, timeout=60)
        try:
            used = cache.incr(minute)
        except ValueError:  # expired between add and incr
            cache.set(minute, 1, timeout=60)
            used = 1
        if used > self.DELAYED_PER_MINUTE:
            raise RateLimited("Too many delayed pings from this address; try again in a minute.", retry_after=60)
        own = f"ping-delay:address:{ip}"
        if not cache.add(own, 1, timeout=hold):
            raise RateLimited("A delayed ping from this address is still waiting.", retry_after=hold)
        slot = next(
            (key for key in (f"ping-delay:slot:{n}" for n in range(self.DELAYED_AT_ONCE)) if cache.add(key, ip, hold)),
            None,
        )
        try:
            if slot is None:
                raise RateLimited("The server is busy with delayed pings; try again shortly.", retry_after=hold)
            time.sleep(delay)
        finally:
            cache.delete_many([own] + ([slot] if slot else []))


class TimeView(PublicTadaAPIView):
    @extend_schema(responses=OpenApiTypes.DATETIME)
    def get(self, request):
        return Response(timezone.now().isoformat().replace("+00:00", "Z"))


class CountriesView(PublicTadaAPIView):
    @extend_schema(responses=COUNTRY_SCHEMA)
    def get(self, request):
        return Response(countries())


# --- Auth --------------------------------------------------------------------------------------------------------


class SmsLoginView(PublicTadaAPIView):
    """Step 1: normalise the phone, send a login code by SMS."""

    openapi_errors = (429,)  # code budgets per phone and address

    @extend_schema(request=s.PhoneInputSerializer, responses=s.SmsLoginResultSerializer)
    def post(self, request):
        data = _validated(s.PhoneInputSerializer, request)
        phone = normalize_phone(data["phone"])
        issued = code_send(phone=phone, purpose=OneTimeCode.Purpose.LOGIN, ip=client_ip(request))
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


class QrLoginPngView(ImageEndpointMixin, TadaAPIView):
    """A QR code the logged-in caller shows to a new device: `otv://qr-login/{host}/{temp_token}`.

    Only the user's own token may show one (403 otherwise): the new device's token is issued from it and dies with
    it. A team API key would mint a user token broader than the key (all the maker's teams), surviving its
    revocation and ignoring its IP allow-list; a session cookie's token would outlive the session.

    The PNG bypasses the envelope (a plain HttpResponse); `?debug` answers the URL as JSON; errors stay in the
    envelope because content negotiation always picks the tada renderer.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter("value", str, description="Encode this token instead of issuing one (for tests)."),
            OpenApiParameter("debug", str, description="Any value but 0/false/no/off: answer the URL as JSON."),
        ],
        responses={
            (200, "image/png"): OpenApiTypes.BINARY,
            (200, "application/json"): inline_serializer(
                "TadaQrLoginDebug", {"lifetime_sec": serializers.IntegerField(), "url": serializers.CharField()}
            ),
        },
    )
    def get(self, request):
        if not isinstance(request.auth, AuthToken):
            raise PermissionDeniedError(
                "QR login logs a new device in from this device's own token (sms-auth); "
                "a team API key or a browser session cannot show one."
            )
        value = request.query_params.get("value")
        if value is not None:
            value = value.strip()
            if not value:
                raise ValidationError({"value": ["must not be empty."]})
            token = value  # "generates a QR code with the given token, for tests": no token is issued
        else:
            token = qr_login_issue(user=request.user, auth_token=request.auth)[1]
        url = f"otv://qr-login/{quote(request.get_host(), safe='')}/{quote(token, safe='')}"
        if _flag(request.query_params.get("debug")):
            return Response({"lifetime_sec": settings.QR_LOGIN_TTL_SECONDS, "url": url})
        return qr_png_response(url)


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
        # Polled by every client: answered once per credential and user epoch in each process (the epoch changes
        # with every write to what it shows: accounts/services/credential_cache.py). Its URLs carry the host.
        me = credential_cache.derived(
            request.auth,
            f"tada-me:{request.scheme}://{request.get_host()}",
            lambda: _me(request, request.user, self.caller_team_ids()),
        )
        return Response(me)


class DevicesView(TadaAPIView):
    serializer_class = s.DeviceSerializer  # for the OpenAPI schema

    @extend_schema(operation_id="devices_list", responses=s.DeviceSerializer(many=True))
    def get(self, request):
        devices = selectors.devices_list(user=request.user)
        return Response(s.DeviceSerializer(devices, many=True).data)

    @extend_schema(request=s.DeviceWriteSerializer, responses=s.DeviceSerializer)
    def post(self, request):
        """Upsert by device_id, full replacement: fields not sent go back to their defaults."""
        data = _validated(s.DeviceWriteSerializer, request)
        device = device_upsert(user=request.user, replace=True, **data)
        return Response(s.DeviceSerializer(device).data)


class DeviceDetailView(TadaAPIView):
    serializer_class = s.DeviceSerializer  # for the OpenAPI schema

    def get(self, request, device_id):
        device = selectors.device_get(user=request.user, device_id=device_id)
        return Response(s.DeviceSerializer(device).data)

    @extend_schema(
        request=s.DeviceWriteSerializer(partial=True, device_id_from_path=True), responses=s.DeviceSerializer
    )
    def put(self, request, device_id):
        """Partial update: only the fields sent change (the document's example sends three)."""
        device = selectors.device_get(user=request.user, device_id=device_id)
        data = _validated(s.DeviceWriteSerializer, request, partial=True, device_id_from_path=True)
        device = device_upsert(user=request.user, device_id=device.device_id, **data)
        return Response(s.DeviceSerializer(device).data)

    @extend_schema(responses={200: None})  # {"_time", "ok": true, "result": null}
    def delete(self, request, device_id):
        device = selectors.device_get(user=request.user, device_id=device_id)
        device_delete(device=device)
        return Response(None)


# --- ui-settings, address book -----------------------------------------------------------------------------------

UI_SETTINGS_SCHEMA = OpenApiTypes.OBJECT


class UiSettingsView(TadaAPIView):
    """Free-form per-user settings (across teams): GET reads, PUT replaces the whole object (≤ 16,000 bytes)."""

    @extend_schema(responses=UI_SETTINGS_SCHEMA)
    def get(self, request):
        return Response(request.user.ui_settings if isinstance(request.user.ui_settings, dict) else {})

    @extend_schema(request=UI_SETTINGS_SCHEMA, responses=UI_SETTINGS_SCHEMA)
    def put(self, request):
        data = request.data
        if isinstance(data, QueryDict) or not isinstance(data, dict):
            raise ValidationError({"ui_settings": ["must be a JSON object."]})
        return Response(team_services.ui_settings_replace(user=request.user, data=data))


class AddressBookView(TadaAPIView):
    """The address book a device uploaded; contacts whose phone belongs to a user carry `account`."""

    @extend_schema(operation_id="address_book_list", responses=s.AddressBookContactSerializer(many=True))
    def get(self, request, device_id):
        device = selectors.device_get(user=request.user, device_id=device_id)
        return Response(team_services.address_book_with_accounts(device.address_book or []))

    @extend_schema(request=s.AddressBookInputSerializer, responses=s.AddressBookOutputSerializer)
    def put(self, request, device_id):
        device = selectors.device_get(user=request.user, device_id=device_id)
        data = _validated(s.AddressBookInputSerializer, request)
        return Response({"contacts": team_services.address_book_replace(device=device, contacts=data["contacts"])})


# --- teams -------------------------------------------------------------------------------------------------------


class TeamViewMixin:
    """Renders a team for the caller (its team comes from api/tada/context.py `caller_team`)."""

    def team_data(self, team: Team, **context) -> dict:
        return s.TeamSerializer(team, context={"request": self.request, **context}).data


class TeamsView(TeamViewMixin, TadaAPIView):
    @extend_schema(operation_id="teams_list", responses=s.TeamSerializer(many=True))
    def get(self, request):
        teams = team_services.teams_for(user=request.user, team_ids=self.caller_team_ids())
        return Response(s.TeamSerializer(teams, many=True, context={"request": request}).data)

    @extend_schema(request=s.TeamCreateInputSerializer, responses=s.TeamSerializer)
    def post(self, request):
        data = _validated(s.TeamCreateInputSerializer, request)
        team = team_services.team_create_with_contacts(
            creator=request.user, name=data["name"], contacts=data.get("contacts") or []
        )
        return Response(self.team_data(team))


class TeamJoinView(TeamViewMixin, TadaAPIView):
    @extend_schema(request=s.TeamJoinInputSerializer, responses=s.TeamJoinedSerializer)
    def post(self, request):
        data = _validated(s.TeamJoinInputSerializer, request)
        team = team_services.team_join(user=request.user, token=data["token"])
        return Response(self.team_data(team, reduced=True))


class TeamDetailView(TeamViewMixin, TadaAPIView):
    serializer_class = s.TeamSerializer  # for the OpenAPI schema

    def get(self, request, team_uid):
        return Response(self.team_data(self.caller_team(team_uid)))

    @extend_schema(request=s.TeamUpdateInputSerializer, responses=s.TeamSerializer)
    def put(self, request, team_uid):
        team = self.caller_team(team_uid)
        data = _validated(s.TeamUpdateInputSerializer, request)
        team = team_services.team_update(team=team, by=team.caller_membership, **data)
        return Response(self.team_data(team))

    def delete(self, request, team_uid):
        team = self.caller_team(team_uid)
        team = team_services.team_archive(team=team, by=team.caller_membership)
        return Response(self.team_data(team))


class TeamIconsView(TeamViewMixin, TadaAPIView):
    """POST multipart `file` → the downscaled IconSet; DELETE → the placeholder `{stub}`."""

    @extend_schema(request={"multipart/form-data": s.TeamIconInputSerializer}, responses=s.IconSetSerializer)
    def post(self, request, team_uid):
        team = self.caller_team(team_uid)
        data = _validated(s.TeamIconInputSerializer, request)
        team = team_services.team_icon_set(team=team, by=team.caller_membership, upload=data["file"])
        return Response(s.team_icon_set_data(team, request))

    @extend_schema(responses=s.StubIconSerializer)
    def delete(self, request, team_uid):
        team = self.caller_team(team_uid)
        team = team_services.team_icon_clear(team=team, by=team.caller_membership)
        return Response({"stub": s.team_icons(team, request)["stub"]})


USAGE_SCHEMA = inline_serializer(
    "TadaTeamUsage",
    {
        "by_months": inline_serializer(
            "TadaTeamUsageMonth",
            {
                "month": serializers.IntegerField(),
                "uploads_size": serializers.IntegerField(),
                "year": serializers.IntegerField(),
            },
            many=True,
        ),
        "uploads_size": serializers.IntegerField(),
        "uploads_size_limit": serializers.IntegerField(),
    },
)


class TeamUsageView(TeamViewMixin, TadaAPIView):
    @extend_schema(responses=USAGE_SCHEMA)
    def get(self, request, team_uid):
        return Response(team_services.team_usage(team=self.caller_team(team_uid)))
