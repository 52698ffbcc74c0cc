"""Tada family (/api/v3/) serializers: input validation and the documented output shapes (Me, Device, Team)."""

import datetime
import hashlib
from urllib.parse import quote

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from accounts.models import Device, Membership, Team, User
from accounts.permissions import contact_permissions, team_permissions
from accounts.services.teams import icon_dimensions
from accounts.visibility import Level, Person, attach_invitation_sent, person_as_seen
from api import people
from core.api.validators import FreeformJSON
from core.json_values import ADDRESS_BOOK
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


class AddressBookInputSerializer(serializers.Serializer):
    """PUT /devices/{device_id}/address-book: free-form contact objects; `phones` checked by the service."""

    contacts = serializers.ListField(
        child=serializers.DictField(), allow_empty=True, validators=[FreeformJSON(ADDRESS_BOOK)]
    )


class AddressBookAccountSerializer(serializers.Serializer):
    family_name = serializers.CharField()
    given_name = serializers.CharField()
    phone = serializers.CharField()


@extend_schema_serializer(component_name="TadaAddressBookContact")
class AddressBookContactSerializer(serializers.Serializer):
    """Free-form (any other keys are kept); `account` is added by the server when a phone matches a user."""

    phones = serializers.ListField(child=serializers.CharField(), required=False)
    account = AddressBookAccountSerializer(required=False)


class AddressBookOutputSerializer(serializers.Serializer):
    contacts = AddressBookContactSerializer(many=True)


class TeamContactInputSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=64)
    given_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    role = serializers.CharField(max_length=150, required=False, allow_blank=True)
    status = serializers.CharField(
        max_length=16, required=False, help_text="guest, member, admin or owner (checked against the permission table)"
    )


class TeamCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    contacts = TeamContactInputSerializer(many=True, required=False)


class TeamUpdateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)


class TeamJoinInputSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64)


class TeamIconInputSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False)


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


def contact_stub_text(user: User | Person) -> str:
    """Initials when the user has names, else the last two digits of the phone (`…0002` → `02`)."""
    initials = "".join(part[0] for part in (user.first_name, user.last_name) if part)
    return initials or (user.phone or "")[-2:]


PERSONAL_FLAGS = {
    # name: default — the own contact's per-team view settings (Membership.preferences), spec "Team contact".
    "contact_mshort_view": False,
    "contact_short_view": False,
    "contact_show_archived": False,
    "debug_show_activity": False,
    "group_mshort_view": False,
    "group_notifications_enabled": True,
    "group_short_view": False,
    "task_mshort_view": False,
    "task_notifications_enabled": True,
    "task_short_view": False,
}
UNREAD = {
    "direct": {"chats": 0, "messages": 0},
    "group": {"chats": 0, "messages": 0},
    "task": {"chats": 0, "messages": 0},
}


def user_default_lang(user: User) -> str | None:
    return user.default_lang or user.locale or None


def team_contact_data(target: Membership, viewer: Membership, request=None) -> dict:
    """One team contact as `viewer` sees it (spec "Team contact"); the own contact adds names and settings.

    Every `can_*` and `changeable_fields` value comes from accounts.permissions.
    """
    user = target.user
    perms = contact_permissions(viewer, target)
    # Other members as the caller may see them (accounts.visibility); a pending invitee shows only what the
    # inviter sent. The own contact is always the caller's own record.
    if target.pk == viewer.pk:
        person = person_as_seen(user, Level.DETAILS)
    else:
        attach_invitation_sent([target])
        person = people.lens({"request": request}).person(user, target.invitation_sent)
    data = {
        "jid": f"d-{user.uid}",
        "display_name": person.full_name or (display_phone(person.phone) if person.phone else ""),
        "contact_phone": person.phone or "",
        "contact_email": person.email or "",
        "role": target.role,
        "status": target.status,
        "sections": list(target.sections or []),
        "icons": {"stub": stub_icon_url(seed=user.uid, text=contact_stub_text(person), request=request)},
        "last_activity": None,
        "changeable_fields": perms.changeable_fields,
        "can_add_to_group": perms.can_add_to_group,
        "can_create_task": perms.can_create_task,
        "can_delete": perms.can_delete,
    }
    if target.pk == viewer.pk:
        preferences = target.preferences if isinstance(target.preferences, dict) else {}
        data.update(
            given_name=user.first_name,
            family_name=user.last_name,
            alt_send=user.alt_send,
            default_lang=user_default_lang(user),
            unread_first=user.unread_first,
        )
        data.update({name: bool(preferences.get(name, default)) for name, default in PERSONAL_FLAGS.items()})
    else:
        data.update(can_call=perms.can_call, can_send_message=perms.can_send_message)
    return data


@extend_schema_serializer(component_name="TadaTeamContact")
class TeamContactSerializer(serializers.Serializer):
    """A membership as the tada Team contact, seen by `context["viewer"]` (default: the member themself, `team.me`).

    Built as a plain dict by team_contact_data (lists of teams render with no per-row queries); the declared fields
    describe the shape for the OpenAPI schema. Own-contact-only fields are marked not required.
    """

    jid = serializers.CharField()
    display_name = serializers.CharField()
    given_name = serializers.CharField(required=False, help_text="own contact only")
    family_name = serializers.CharField(required=False, help_text="own contact only")
    contact_phone = serializers.CharField()
    contact_email = serializers.CharField()
    role = serializers.CharField()
    status = serializers.CharField(help_text="access level: guest, member, admin or owner")
    sections = serializers.ListField(child=serializers.CharField())
    icons = serializers.DictField(child=serializers.CharField())
    last_activity = UtcDateTimeField(allow_null=True)
    changeable_fields = serializers.ListField(child=serializers.CharField())
    can_add_to_group = serializers.BooleanField()
    can_call = serializers.BooleanField(required=False, help_text="other contacts only")
    can_create_task = serializers.BooleanField()
    can_delete = serializers.BooleanField()
    can_send_message = serializers.BooleanField(required=False, help_text="other contacts only")
    alt_send = serializers.BooleanField(required=False)
    default_lang = serializers.CharField(required=False, allow_null=True)
    unread_first = serializers.BooleanField(required=False)
    contact_mshort_view = serializers.BooleanField(required=False)
    contact_short_view = serializers.BooleanField(required=False)
    contact_show_archived = serializers.BooleanField(required=False)
    debug_show_activity = serializers.BooleanField(required=False)
    group_mshort_view = serializers.BooleanField(required=False)
    group_notifications_enabled = serializers.BooleanField(required=False)
    group_short_view = serializers.BooleanField(required=False)
    task_mshort_view = serializers.BooleanField(required=False)
    task_notifications_enabled = serializers.BooleanField(required=False)
    task_short_view = serializers.BooleanField(required=False)

    def to_representation(self, membership: Membership) -> dict:
        viewer = self.context.get("viewer") or membership
        return team_contact_data(membership, viewer, self.context.get("request"))


def team_icons(team: Team, request=None) -> dict:
    """`{stub}` always (from the name); `sm` and `lg` IconSets too once a picture is uploaded."""
    icons = {"stub": stub_icon_url(seed=team.uid, text=team_initials(team.name), request=request)}
    icons.update(team_icon_set_data(team, request) or {})
    return icons


def _file_url(field, request) -> str:
    return request.build_absolute_uri(field.url) if request is not None else field.url


def team_icon_set_data(team: Team, request=None) -> dict | None:
    """The uploaded picture as the spec's IconSet `{sm: {height, url, width}, lg: {…}}`, or None."""
    if not team.icon_sm or not team.icon_lg:
        return None
    result = {}
    for key, field in (("sm", team.icon_sm), ("lg", team.icon_lg)):
        width, height = icon_dimensions(field.name) or (field.width, field.height)
        result[key] = {"height": height, "url": _file_url(field, request), "width": width}
    return result


class IconSizeSerializer(serializers.Serializer):
    height = serializers.IntegerField()
    url = serializers.URLField()
    width = serializers.IntegerField()


@extend_schema_serializer(component_name="TadaIconSet")
class IconSetSerializer(serializers.Serializer):
    sm = IconSizeSerializer()
    lg = IconSizeSerializer()


class StubIconSerializer(serializers.Serializer):
    stub = serializers.URLField()


class UnreadCountSerializer(serializers.Serializer):
    chats = serializers.IntegerField()
    messages = serializers.IntegerField()


class UnreadSerializer(serializers.Serializer):
    direct = UnreadCountSerializer()
    group = UnreadCountSerializer()
    task = UnreadCountSerializer()


# Fields the join answer leaves out (spec "Team": "Join response omits …").
JOIN_OMITS = (
    "bad_profile",
    "can_add_to_team",
    "can_manage_integrations",
    "changeable_statuses",
    "uploads_size",
    "uploads_size_limit",
)


@extend_schema_serializer(component_name="TadaTeam")
class TeamSerializer(serializers.Serializer):
    """A Team as the caller sees it. Reads `team.caller_membership` (with its user loaded), so a list of teams costs
    no query per team. `contacts` only when the team carries `tada_contacts` (the create answer); `is_archive` only
    for an archived team (the DELETE answer); context `reduced=True` gives the join answer's field set.
    """

    uid = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    icons = serializers.DictField(read_only=True)
    me = TeamContactSerializer(read_only=True)
    # Not read_only: drf-spectacular marks every read-only field required, and these two are sent only sometimes.
    contacts = TeamContactSerializer(many=True, required=False, help_text="create answer only")
    changeable_statuses = serializers.ListField(child=serializers.CharField(), read_only=True)
    can_add_to_team = serializers.BooleanField(read_only=True)
    can_manage_integrations = serializers.BooleanField(read_only=True)
    can_manage_sections = serializers.BooleanField(read_only=True)
    bad_profile = serializers.BooleanField(read_only=True)
    default_task_deadline = serializers.CharField(read_only=True)
    last_active = serializers.BooleanField(read_only=True)
    need_confirmation = serializers.BooleanField(read_only=True)
    max_message_update_age = serializers.IntegerField(read_only=True)
    unread = UnreadSerializer(read_only=True)
    uploads_size = serializers.IntegerField(read_only=True)
    uploads_size_limit = serializers.IntegerField(read_only=True)
    is_archive = serializers.BooleanField(required=False, help_text="DELETE answer only")

    def to_representation(self, team: Team) -> dict:
        request = self.context.get("request")
        viewer = team.caller_membership
        perms = team_permissions(viewer)
        data = {
            "uid": str(team.uid),
            "name": team.name,
            "icons": team_icons(team, request),
            "me": team_contact_data(viewer, viewer, request),
            "changeable_statuses": perms.changeable_statuses,
            "can_add_to_team": perms.can_add_to_team,
            "can_manage_integrations": perms.can_manage_integrations,
            "can_manage_sections": perms.can_manage_sections,
            "bad_profile": not (viewer.user.first_name or viewer.user.last_name),
            "default_task_deadline": team.default_task_deadline.strftime("%H:%M:%S"),
            "last_active": False,
            "need_confirmation": viewer.need_confirmation,
            "max_message_update_age": Team.MAX_MESSAGE_UPDATE_AGE,
            "unread": {kind: dict(counts) for kind, counts in UNREAD.items()},
            "uploads_size": team.uploads_size,
            "uploads_size_limit": team.uploads_size_limit,
        }
        contacts = getattr(team, "tada_contacts", None)
        if contacts is not None:
            people.lens({"request": request}).prime([m.user_id for m in contacts])
            attach_invitation_sent(contacts)
            data["contacts"] = [team_contact_data(m, viewer, request) for m in contacts]
        if team.is_archived:
            data["is_archive"] = True
        if self.context.get("reduced"):
            for name in JOIN_OMITS:
                data.pop(name, None)
        return data


@extend_schema_serializer(component_name="TadaTeamJoined")
class TeamJoinedSerializer(TeamSerializer):
    """The `teams/join` answer: a Team without the fields the document's join sample omits (JOIN_OMITS).
    Describes the shape for the OpenAPI schema; the view renders TeamSerializer with `reduced=True`."""

    def get_fields(self):
        fields = super().get_fields()
        for name in JOIN_OMITS:
            fields.pop(name, None)
        return fields


class MeSerializer(serializers.Serializer):
    """The current user (`GET /me`, and `me` in the login answers). Expects `active_teams` set by me_get."""

    alt_send = serializers.SerializerMethodField()
    default_lang = serializers.SerializerMethodField()
    devices = DeviceSerializer(many=True, read_only=True)
    email = serializers.EmailField(read_only=True, allow_null=True)
    phone = serializers.CharField(read_only=True, allow_null=True)
    teams = TeamSerializer(source="active_teams", many=True, read_only=True)
    unread_first = serializers.SerializerMethodField()

    def get_alt_send(self, user: User) -> bool:
        return user.alt_send

    def get_default_lang(self, user: User) -> str | None:
        return user_default_lang(user)

    def get_unread_first(self, user: User) -> bool:
        return user.unread_first
