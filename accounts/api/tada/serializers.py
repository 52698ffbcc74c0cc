"""Tada family (/api/v3/) serializers: input validation and the documented output shapes (Me, Device, Team)."""

import datetime
import hashlib
from urllib.parse import quote

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from accounts.models import Device, Membership, Team, User
from core.phones import display_phone

UTC = datetime.UTC


class UtcDateTimeField(serializers.DateTimeField):
    """ISO 8601 UTC with microseconds and `Z`, as every tada datetime is written: `2019-09-27T00:59:57.099755Z`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default_timezone", UTC)
        super().__init__(**kwargs)


# --- Input -------------------------------------------------------------------------------------------------------


class PhoneInputSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=64, trim_whitespace=True)


class SmsCookieAuthInputSerializer(PhoneInputSerializer):
    code = serializers.CharField(max_length=16, trim_whitespace=True)


class DeviceFieldsMixin(serializers.Serializer):
    """The device fields a login call may carry (`type`, `device_id`, `name`); all optional there."""

    type = serializers.ChoiceField(choices=Device.Type.choices, required=False)
    device_id = serializers.CharField(max_length=255, required=False)
    name = serializers.CharField(max_length=255, required=False, allow_blank=True)


class SmsAuthInputSerializer(DeviceFieldsMixin, SmsCookieAuthInputSerializer):
    pass


class QrAuthInputSerializer(DeviceFieldsMixin):
    temp_token = serializers.CharField(max_length=64, trim_whitespace=True)


class DeviceWriteSerializer(serializers.Serializer):
    """POST /devices (full replacement: `device_id` and `type` required, the rest back to defaults when absent)
    and PUT /devices/{device_id} (partial; `device_id` comes from the path)."""

    device_id = serializers.CharField(max_length=255)
    type = serializers.ChoiceField(choices=Device.Type.choices)
    name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    notification_token = serializers.CharField(max_length=4096, required=False, allow_blank=True)
    voip_notification_token = serializers.CharField(max_length=4096, required=False, allow_blank=True)
    allowed_notifications = serializers.BooleanField(required=False)
    data_pushes = serializers.BooleanField(required=False)

    def __init__(self, *args, device_id_from_path: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if device_id_from_path:
            self.fields.pop("device_id")


# --- Output ------------------------------------------------------------------------------------------------------


class SmsLoginResultSerializer(serializers.Serializer):
    code_length = serializers.IntegerField()
    code_valid_until = UtcDateTimeField()
    phone = serializers.CharField()


@extend_schema_serializer(component_name="TadaDevice")
class DeviceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Device
        fields = [
            "allowed_notifications",
            "data_pushes",
            "device_id",
            "name",
            "notification_token",
            "type",
            "voip_notification_token",
        ]
        read_only_fields = fields


def stub_icon_url(*, seed: object, text: str, request=None) -> str:
    """The generated placeholder `{host}/u/<6-hex colour>/<url-encoded text>/256.png` (colour stable per object)."""
    colour = hashlib.md5(str(seed).encode(), usedforsecurity=False).hexdigest()[:6]
    path = f"/u/{colour}/{quote(text or '-', safe='')}/256.png"
    return request.build_absolute_uri(path) if request is not None else path


def team_initials(name: str) -> str:
    """First letters of the first two words of the team name (`третий отдельный …` → `то`)."""
    return "".join(word[0] for word in name.split()[:2])


def contact_stub_text(user: User) -> str:
    """Initials when the user has names, else the last two digits of the phone (`…0002` → `02`)."""
    initials = "".join(part[0] for part in (user.first_name, user.last_name) if part)
    return initials or (user.phone or "")[-2:]


class TeamContactSerializer(serializers.Serializer):
    """A membership as the tada Team contact (`team.me`). Minimal for now: the full contact comes with teams."""

    jid = serializers.SerializerMethodField()
    display_name = serializers.SerializerMethodField()
    given_name = serializers.CharField(source="user.first_name")
    family_name = serializers.CharField(source="user.last_name")
    contact_phone = serializers.SerializerMethodField()
    contact_email = serializers.SerializerMethodField()
    role = serializers.CharField()
    status = serializers.CharField()
    sections = serializers.SerializerMethodField()
    icons = serializers.SerializerMethodField()
    last_activity = serializers.SerializerMethodField()

    def get_jid(self, membership: Membership) -> str:
        return f"d-{membership.user.uid}"

    def get_display_name(self, membership: Membership) -> str:
        user = membership.user
        return user.full_name or (display_phone(user.phone) if user.phone else "")

    def get_contact_phone(self, membership: Membership) -> str:
        return membership.user.phone or ""

    def get_contact_email(self, membership: Membership) -> str:
        return membership.user.email or ""

    def get_sections(self, membership: Membership) -> list:
        return []

    def get_icons(self, membership: Membership) -> dict:
        user = membership.user
        return {"stub": stub_icon_url(seed=user.uid, text=contact_stub_text(user), request=self.context.get("request"))}

    def get_last_activity(self, membership: Membership) -> None:
        return None


class TeamSerializer(serializers.Serializer):
    """A Team as the caller sees it. Reads `team.caller_membership` (set by accounts.services.tada.me_get), so a
    list of teams costs no query per team. Minimal field set for now; extended when the teams endpoints land."""

    uid = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    icons = serializers.SerializerMethodField()
    me = serializers.SerializerMethodField()
    default_task_deadline = serializers.SerializerMethodField()
    max_message_update_age = serializers.SerializerMethodField()

    def get_icons(self, team: Team) -> dict:
        return {
            "stub": stub_icon_url(seed=team.uid, text=team_initials(team.name), request=self.context.get("request"))
        }

    def get_me(self, team: Team) -> dict | None:
        membership = getattr(team, "caller_membership", None)
        return TeamContactSerializer(membership, context=self.context).data if membership is not None else None

    def get_default_task_deadline(self, team: Team) -> str:
        return "18:00:00"

    def get_max_message_update_age(self, team: Team) -> int:
        return 86400


class MeSerializer(serializers.Serializer):
    """The current user (`GET /me`, and `me` in the login answers). Expects `tada_teams` set by me_get."""

    alt_send = serializers.SerializerMethodField()
    default_lang = serializers.SerializerMethodField()
    devices = DeviceSerializer(many=True, read_only=True)
    email = serializers.EmailField(read_only=True, allow_null=True)
    phone = serializers.CharField(read_only=True, allow_null=True)
    teams = TeamSerializer(source="tada_teams", many=True, read_only=True)
    unread_first = serializers.SerializerMethodField()

    def get_alt_send(self, user: User) -> bool:
        return False

    def get_default_lang(self, user: User) -> str | None:
        return user.locale or None

    def get_unread_first(self, user: User) -> bool:
        return False
