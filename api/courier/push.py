"""courier `user-devices` (list, register, `{id}/get-logs`) and `app-credentials` (list, create, get, PATCH; the
secret `data` is write-only: it is stored encrypted and answered as `{}`)."""

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action

from accounts.models import Device, Membership
from accounts.permissions import Action
from api.courier.documents import CourierDocumentViewSet, attributes_of, bool_param, iso, one, resource, uuid_or_none
from api.courier.notifications import IndividualAccessMixin
from api.courier.serializers.notifications import (
    CourierAppCredentialSerializer,
    CourierUserDeviceLogSerializer,
    CourierUserDeviceSerializer,
)
from api.courier.sms_common import organization_of
from core.exceptions import InvalidQueryParameter, NotFoundError, ValidationFailed
from messaging.models import AppCredential, DeviceLog
from messaging.services import push_setup

DEVICE_FILTERS = {
    "filter[app-name]": ("app_name", 64),
    "filter[app-version]": ("app_version", 20),
    "filter[model]": ("device_model", 64),
}


def _text(values: dict, name: str, limit: int, *, required: bool = False) -> str:
    value = values.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed.for_field(name, "Must be a string.")
    if len(value) > limit:
        raise ValidationFailed.for_field(name, f"Ensure this field has no more than {limit} characters.")
    if required and not value:
        raise ValidationFailed.for_field(name, "This field is required.")
    return value


def _bool(values: dict, name: str, default: bool) -> bool:
    value = values.get(name, default)
    if not isinstance(value, bool):
        raise ValidationFailed.for_field(name, "Must be a boolean.")
    return value


class UserDeviceViewSet(IndividualAccessMixin, CourierDocumentViewSet):
    """GET list (the caller's devices; `all-users=true`: every device of the organizations the caller manages),
    POST (register: upsert by token), GET `{id}/get-logs/` (pushes sent to it, newest first)."""

    queryset = Device.objects.select_related("individual", "user")

    def get_queryset(self):
        team_ids = list(self.caller_team_ids())
        devices = Device.objects.select_related("individual").exclude(push_service="").order_by("id")
        params = self.request.query_params
        if self.action == "list" and bool_param(self.request, "all-users"):
            managed = [tid for tid in team_ids if self._manages(tid)]
            people = Membership.objects.active().filter(team_id__in=managed).values("user_id")
            devices = devices.filter(Q(user_id__in=people) | Q(user=self.request.user))
        elif self.action == "list":
            devices = devices.filter(user=self.request.user)
        else:
            people = Membership.objects.active().filter(team_id__in=team_ids).values("user_id")
            devices = devices.filter(Q(user_id__in=people) | Q(user=self.request.user))
        if self.action != "list":
            return devices
        known = {*DEVICE_FILTERS, "filter[individual-id]", "filter[type]"}
        for name in params:
            if name.startswith("filter[") and name not in known:
                raise InvalidQueryParameter(name, "Unknown filter.")
        for param, (field, limit) in DEVICE_FILTERS.items():
            if params.get(param):
                devices = devices.filter(**{field: params[param][:limit]})
        if params.get("filter[type]"):
            if params["filter[type]"] not in Device.PushService.values:
                raise InvalidQueryParameter("filter[type]", "must be apn, fcm or web.")
            devices = devices.filter(push_service=params["filter[type]"])
        if params.get("filter[individual-id]"):
            devices = devices.filter(individual__uid=uuid_or_none(params["filter[individual-id]"]))
        if params.get("token"):
            devices = devices.filter(notification_token=params["token"])
        return devices

    def _manages(self, team_id: int) -> bool:
        from accounts.permissions import may

        return may(self.organization_membership(team_id), Action.NOTIFY_PEOPLE)

    def render_one(self, device: Device) -> dict:
        return resource(
            "user-devices",
            device.uid,
            {
                "allow-notification": device.allowed_notifications,
                "app-name": device.app_name,
                "app-version": device.app_version,
                "created-at": iso(device.created_at),
                "individual-id": str(device.individual.uid) if device.individual else "",
                "last-modified-at": iso(device.updated_at),
                "model": device.device_model,
                "os-version": device.os_version,
                "sandbox": device.environment == Device.Environment.DEVELOPMENT,
                "token": device.notification_token,
                "topic": device.topic,
                "type": device.push_service,
            },
        )

    @extend_schema(responses={200: CourierUserDeviceSerializer(many=True)}, operation_id="courier_v1_user_devices_list")
    def list(self, request, *args, **kwargs):
        return self.page(self.get_queryset())

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: CourierUserDeviceSerializer})
    def create(self, request, *args, **kwargs):
        values = attributes_of(request, "user-devices")
        kind = values.get("type")
        if kind not in Device.PushService.values:
            raise ValidationFailed.for_field("type", "Must be apn, fcm or web.")
        uid = uuid_or_none(values.get("individual_id"))
        if uid is None:
            raise ValidationFailed.for_field("individual_id", "A uuid is required.")
        individual = self.individual_by_uid(uid, field="individual_id", in_query=False)
        token = values.get("token")
        if not isinstance(token, str) or not token.strip():
            raise ValidationFailed.for_field("token", "This field is required.")
        device, created = push_setup.device_register(
            individual=individual,
            push_service=kind,
            token=token.strip(),
            allowed_notifications=_bool(values, "allow_notification", True),
            sandbox=_bool(values, "sandbox", False),
            app_name=_text(values, "app_name", 64),
            app_version=_text(values, "app_version", 20),
            device_model=_text(values, "model", 64),
            os_version=_text(values, "os_version", 64),
            topic=_text(values, "topic", 255),
        )
        device = Device.objects.select_related("individual").get(pk=device.pk)
        return one(self.render_one(device), status_code=status.HTTP_201_CREATED)

    @extend_schema(responses={200: CourierUserDeviceLogSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="get-logs")
    def get_logs(self, request, *args, **kwargs):
        device = self.get_queryset().filter(uid=uuid_or_none(kwargs["uid"])).first()
        if device is None:
            raise NotFoundError("No such device.")
        if device.user_id != request.user.pk:
            shared = Membership.objects.active().filter(user_id=device.user_id, team_id__in=self.caller_team_ids())
            if not any(self._manages(tid) for tid in shared.values_list("team_id", flat=True)):
                raise NotFoundError("No such device.")
        logs = DeviceLog.objects.filter(device=device).order_by("-created_at", "-id")
        return self.page(logs, render=self.render_log)

    @staticmethod
    def render_log(log: DeviceLog) -> dict:
        return resource(
            "user-device-logs",
            log.uid,
            {
                "badge-count": log.badge_count,
                "body": log.body,
                "category": log.category,
                "created-at": iso(log.created_at),
                "data": log.data,
                "title": log.title,
            },
        )


class AppCredentialViewSet(CourierDocumentViewSet):
    """GET list (`filter[app-name]`, `filter[type]`, `include[archived]`), POST, GET one, PATCH (`archived: true`
    archives). Managers only for writes (Action.CONFIGURE_MESSAGING)."""

    queryset = AppCredential.objects.select_related("team")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            return queryset
        params = self.request.query_params
        for name in params:
            if name.startswith("filter[") and name not in ("filter[app-name]", "filter[type]"):
                raise InvalidQueryParameter(name, "Unknown filter.")
        if params.get("filter[app-name]"):
            queryset = queryset.filter(app_name=params["filter[app-name]"][:64])
        if params.get("filter[type]"):
            if params["filter[type]"] not in AppCredential.Type.values:
                raise InvalidQueryParameter("filter[type]", "must be apn or fcm.")
            queryset = queryset.filter(type=params["filter[type]"])
        if not bool_param(self.request, "include[archived]"):
            queryset = queryset.filter(archived=False)
        return queryset

    def get_object(self) -> AppCredential:
        found = self.get_queryset().filter(uid=uuid_or_none(self.kwargs["uid"])).first()
        if found is None:
            raise NotFoundError("No such app credential.")
        return found

    def render_one(self, credential: AppCredential) -> dict:
        return resource(
            "app-credentials",
            credential.uid,
            {
                "app-name": credential.app_name,
                "archived": credential.archived,
                "created-at": iso(credential.created_at),
                "data": {},  # write-only: stored encrypted, never answered
                "display-name": credential.display_name,
                "last-modified-at": iso(credential.updated_at),
                "organization-id": str(credential.team.uid),
                "store-id": credential.store_id,
                "test-mode": credential.test_mode,
                "type": credential.type,
            },
        )

    def _fields(self, values: dict, *, partial: bool) -> dict:
        fields = {}
        for name, limit in (("app_name", 64), ("display_name", 200), ("store_id", 255)):
            if name in values or not partial:
                fields[name] = _text(values, name, limit)
        for name in ("test_mode", "archived"):
            if name in values or (not partial and name == "test_mode"):
                fields[name] = _bool(values, name, False)
        if "data" in values or not partial:
            if not isinstance(values.get("data"), dict):
                raise ValidationFailed.for_field("data", "The credential payload (an object) is required.")
            fields["data"] = values["data"]
        return fields

    @extend_schema(
        responses={200: CourierAppCredentialSerializer(many=True)}, operation_id="courier_v1_app_credentials_list"
    )
    def list(self, request, *args, **kwargs):
        return self.page(self.get_queryset())

    @extend_schema(responses={200: CourierAppCredentialSerializer})
    def retrieve(self, request, *args, **kwargs):
        return one(self.render_one(self.get_object()))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: CourierAppCredentialSerializer})
    def create(self, request, *args, **kwargs):
        values = attributes_of(request, "app-credentials")
        team = organization_of(uuid_or_none(values.get("organization_id")), self.caller_team_ids())
        self.require(Action.CONFIGURE_MESSAGING, team_id=team.pk)
        if values.get("type") not in AppCredential.Type.values:
            raise ValidationFailed.for_field("type", "Must be apn or fcm.")
        fields = self._fields(values, partial=False)
        fields.pop("archived", None)
        credential = push_setup.app_credential_create(team=team, type=values["type"], **fields)
        return one(self.render_one(credential), status_code=status.HTTP_201_CREATED)

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: CourierAppCredentialSerializer})
    def partial_update(self, request, *args, **kwargs):
        credential = self.get_object()
        self.require(Action.CONFIGURE_MESSAGING, team_id=credential.team_id)
        values = attributes_of(request, "app-credentials")
        if values.get("organization_id") and uuid_or_none(values["organization_id"]) != credential.team.uid:
            raise ValidationFailed.for_field("organization_id", "A credential cannot move to another organization.")
        credential = push_setup.app_credential_update(credential=credential, **self._fields(values, partial=True))
        return one(self.render_one(credential))
