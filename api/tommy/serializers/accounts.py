"""Tommy shapes for users, sessions and devices (spec/tommy-1 "Resource: User", tommy-3 "Resource: Device").

Input serializers validate shape and types only and hand service-ready keyword arguments to the views.
"""

from django.contrib.auth.base_user import BaseUserManager
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from accounts.models import Device, Membership, User
from accounts.selectors import TEAM_MEMBER, USER
from accounts.visibility import Level, attach_invitation_sent
from api import people
from core.api.validators import FreeformJSON
from core.phones import normalize_phone


class UserSerializer(serializers.ModelSerializer):
    """The `User` model as the caller may see it (accounts.visibility): email, mobile, dob and locale only with
    the person's details; absent values are null (an account without an avatar has `icon_url: null`)."""

    mobile = serializers.CharField(source="phone", allow_null=True)
    icon_url = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "status", "first_name", "last_name", "slug", "email", "mobile", "dob", "locale", "icon_url"]
        read_only_fields = fields
        list_serializer_class = people.PersonListSerializer

    @staticmethod
    def person_ids(users) -> list[int]:
        return [user.pk for user in users]

    def to_representation(self, user: User) -> dict:
        person = people.lens(self.context).person(user)
        return {
            "id": person.id,
            "status": person.status,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "slug": person.slug,
            "email": person.email,
            "mobile": person.phone,
            "dob": person.dob.isoformat() if person.dob else None,
            "locale": person.locale,
            "icon_url": file_url(self.context.get("request"), person.avatar),
        }

    def get_icon_url(self, user: User) -> str | None:  # for the schema; to_representation renders it
        return None


class UserInputSerializer(serializers.Serializer):
    """`UserInput`: `User` plus write-only `photo` and `password`; `id`, `status` and `icon_url` are ignored."""

    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    slug = serializers.SlugField(max_length=64, required=False)
    email = serializers.EmailField(required=False, allow_blank=True, allow_null=True)
    mobile = serializers.CharField(max_length=40, required=False, allow_blank=True, allow_null=True)
    dob = serializers.DateField(required=False, allow_null=True)
    locale = serializers.CharField(max_length=35, required=False, allow_blank=True)
    photo = serializers.ImageField(required=False, write_only=True)
    password = serializers.CharField(required=False, write_only=True, trim_whitespace=False, max_length=128)

    def validate_email(self, value):
        return BaseUserManager.normalize_email(value) if value else None

    def validate_mobile(self, value):
        # Raises ValidationFailed naming `mobile`; the tommy base renders it as a 422.
        return normalize_phone(value, field="mobile") if value else None

    def to_service_kwargs(self) -> dict:
        """validated_data in the names the services take (mobile → phone, photo → avatar)."""
        data = dict(self.validated_data)
        if "mobile" in data:
            data["phone"] = data.pop("mobile")
        if "photo" in data:
            data["avatar"] = data.pop("photo")
        return data


class CredentialsSerializer(serializers.Serializer):
    """`UserCredentials`: an email or mobile number and a password."""

    login = serializers.CharField(max_length=254)
    password = serializers.CharField(trim_whitespace=False, max_length=128)


class VerifyQuerySerializer(serializers.Serializer):
    pin = serializers.CharField(max_length=16)
    user_id = serializers.IntegerField(required=False, min_value=1)
    email = serializers.EmailField(required=False)
    mobile = serializers.CharField(max_length=40, required=False)

    def validate_mobile(self, value):
        return normalize_phone(value, field="mobile")


class ResetPasswordSerializer(serializers.Serializer):
    """`login` (documented, query) starts a reset; `pin` + `password` with the same login complete it."""

    login = serializers.CharField(max_length=254)
    pin = serializers.CharField(max_length=16, required=False)
    password = serializers.CharField(required=False, trim_whitespace=False, max_length=128)

    def validate(self, attrs):
        if ("pin" in attrs) != ("password" in attrs):
            missing = "password" if "pin" in attrs else "pin"
            raise serializers.ValidationError({missing: ["is required to complete a password reset"]})
        return attrs


PLATFORMS = {"ios": Device.Type.IOS, "android": Device.Type.ANDROID}


class DeviceSerializer(serializers.ModelSerializer):
    """The tommy `Device`: platform/uuid/token are Device.type/device_id/notification_token."""

    platform = serializers.ChoiceField(source="type", choices=list(PLATFORMS))
    uuid = serializers.CharField(source="device_id", max_length=255)
    token = serializers.CharField(
        source="notification_token", max_length=4096, required=False, allow_blank=True, allow_null=True
    )
    environment = serializers.ChoiceField(choices=Device.Environment.choices, required=False)
    user_id = serializers.IntegerField(required=False)

    class Meta:
        model = Device
        fields = ["id", "user_id", "platform", "environment", "uuid", "token"]
        read_only_fields = ["id"]
        validators: list = []  # the upsert service owns (user, uuid) uniqueness

    def validate_user_id(self, value):
        request = self.context["request"]
        if value not in (None, 0) and value != request.user.pk:
            raise serializers.ValidationError("must be the current user")
        return value

    def to_service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        data.pop("user_id", None)
        if data.get("notification_token") is None:
            data.pop("notification_token", None)
        return data


# --- accounts, settings, teams and team members (spec tommy-1 "Account"/"User Setting", tommy-2 "Team"/"TeamMember")


def file_url(request, field) -> str | None:
    """Absolute URL of a stored file, or null when there is none (the family's rule for absent values)."""
    if not field:
        return None
    return request.build_absolute_uri(field.url) if request else field.url


class AccountSerializer(serializers.Serializer):
    """Read-only `Account`, from accounts.selectors.Account."""

    id = serializers.IntegerField()
    type = serializers.CharField()
    user_id = serializers.IntegerField(allow_null=True)
    team_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    contact_name = serializers.CharField(allow_null=True)
    kind = serializers.CharField()
    icon_url = serializers.SerializerMethodField()
    mobile = serializers.CharField(allow_null=True)
    notification_count = serializers.IntegerField()

    class Meta:
        list_serializer_class = people.PersonListSerializer

    @staticmethod
    def person_ids(accounts) -> list[int]:
        return [a.user_id for a in accounts if a.type in (USER, TEAM_MEMBER) and a.user_id]

    def to_representation(self, account) -> dict:
        data = super().to_representation(account)
        if account.type in (USER, TEAM_MEMBER) and account.user_id:
            level = people.lens(self.context).level(account.user_id)
            if level < Level.DETAILS:
                data["mobile"] = None
                if account.type == USER:  # a user account's name falls back to their email or phone
                    data["name"] = account.contact_name or ""
            if level == Level.NONE:
                data.update(contact_name=None, icon_url=None)
                if account.type == USER:
                    data["name"] = ""
        return data

    def get_icon_url(self, account) -> str | None:
        return file_url(self.context.get("request"), account.icon)


class CurrentAccountSerializer(serializers.Serializer):
    """PUT /me/current_account parameters (documented in the query; a JSON body is read too)."""

    current_account_id = serializers.IntegerField(min_value=1)
    current_account_type = serializers.ChoiceField(choices=["User", "Team", "TeamMember"])


class SearchTermSerializer(serializers.Serializer):
    term = serializers.CharField(max_length=100)


class MobileTermSerializer(SearchTermSerializer):
    """GET /users/search matches mobile numbers only: the term is normalised to E.164 (422 when it is not one)."""

    def validate_term(self, value):
        return normalize_phone(value, field="term")


class SettingContextSerializer(serializers.Serializer):
    context = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class SettingDataSerializer(serializers.Serializer):
    """`SettingData`: `data` (any JSON value but null, required), `context`, `_format` (leading underscore)."""

    data = serializers.JSONField(validators=[FreeformJSON()])
    context = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    def get_fields(self):
        fields = super().get_fields()
        fields["_format"] = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
        return fields

    def to_service_kwargs(self) -> dict:
        data = self.validated_data
        return {"data": data["data"], "context": data["context"], "format": data["_format"]}


class SettingSerializer(serializers.Serializer):
    """The documented `Setting` model, plus its `name`."""

    name = serializers.CharField()
    user_id = serializers.IntegerField(allow_null=True)
    team_id = serializers.IntegerField(allow_null=True)
    addon_install_id = serializers.IntegerField(allow_null=True)
    resource_id = serializers.IntegerField(allow_null=True)
    resource_type = serializers.CharField(allow_null=True)
    context = serializers.CharField()
    format = serializers.CharField()
    data = serializers.JSONField()

    def to_representation(self, instance):
        body = super().to_representation(instance)
        body["resource_type"] = body["resource_type"] or None
        return body


class TeamSerializer(serializers.Serializer):
    """`Team`: `user_id` is the owner (annotated `owner_id`), `icon_url` the large team picture."""

    id = serializers.IntegerField()
    user_id = serializers.IntegerField(source="owner_id", allow_null=True)
    name = serializers.CharField()
    icon_url = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    status = serializers.CharField()
    slug = serializers.CharField()
    features = serializers.SerializerMethodField()

    def get_icon_url(self, team) -> str | None:
        return file_url(self.context.get("request"), team.icon_lg or team.icon_sm)

    def get_email(self, team) -> str | None:
        return team.email or None

    def get_phone(self, team) -> str | None:
        return team.phone or None

    def get_features(self, team) -> dict:
        from accounts.services.team_admin import team_features

        return team_features(team)


class TeamInputSerializer(serializers.Serializer):
    """`TeamInput`: `id`, `user_id`, `status` and `icon_url` are read-only and ignored; `photo` is a multipart
    picture; `features` is merged like PATCH /team/features."""

    name = serializers.CharField(max_length=200, required=False)
    email = serializers.EmailField(required=False, allow_blank=True, allow_null=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, allow_null=True)
    slug = serializers.SlugField(max_length=64, required=False)
    features = serializers.DictField(required=False)
    photo = serializers.ImageField(required=False, write_only=True)

    def __init__(self, *args, require_name: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = require_name

    def validate_phone(self, value):
        return normalize_phone(value, field="phone") if value else ""

    def validate_features(self, value):
        from accounts.models import Team

        bad = {k: ["must be a boolean"] for k, v in value.items() if k in Team.FEATURES and not isinstance(v, bool)}
        if bad:
            raise serializers.ValidationError(bad)
        return value


# Named apart from `Team.features` (an inline object), which generated clients call `TeamFeatures` too.
@extend_schema_serializer(component_name="TeamFeatureSet")
class TeamFeaturesSerializer(serializers.Serializer):
    features = serializers.DictField()

    validate_features = TeamInputSerializer.validate_features


class TeamMemberSerializer(serializers.Serializer):
    """`TeamMember` from a Membership (with its user): `manager` is Membership.is_manager, `status` the access
    level, `member` whether the person has an active Crewdesk account."""

    id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    team_id = serializers.IntegerField()
    first_name = serializers.CharField(source="user.first_name")
    last_name = serializers.CharField(source="user.last_name")
    email = serializers.CharField(source="user.email", allow_null=True)
    mobile = serializers.CharField(source="user.phone", allow_null=True)
    manager = serializers.BooleanField(source="is_manager")
    member = serializers.SerializerMethodField()
    status = serializers.CharField()
    icon_url = serializers.SerializerMethodField()
    roles = serializers.ListField(child=serializers.CharField())
    locations = serializers.ListField(child=serializers.CharField())
    tags = serializers.ListField(child=serializers.CharField())
    favorite = serializers.BooleanField()
    mute = serializers.BooleanField()
    addon_links = serializers.SerializerMethodField()

    class Meta:
        list_serializer_class = people.PersonListSerializer

    @staticmethod
    def person_ids(memberships) -> list[int]:
        attach_invitation_sent(memberships)
        return [m.user_id for m in memberships]

    def to_representation(self, membership) -> dict:
        """The member as the caller may see them; a pending invitee shows only what the inviter sent."""
        attach_invitation_sent([membership])
        person = people.lens(self.context).person(membership.user, membership.invitation_sent)
        data = super().to_representation(membership)
        data.update(
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            mobile=person.phone,
            member=person.signed_up,
            icon_url=file_url(self.context.get("request"), person.avatar),
        )
        return data

    def get_member(self, membership) -> bool:  # rendered from the Person in to_representation
        return False

    def get_icon_url(self, membership) -> str | None:  # rendered from the Person in to_representation
        return None

    def get_addon_links(self, membership) -> list:
        return []  # no addon provides profile links yet


def _labels():
    return serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=100, required=False, allow_empty=True
    )


class TeamMemberInputSerializer(serializers.Serializer):
    """`TeamMemberInput` (PUT /team/members/{user_id}). `user_id`/`team_id` may be sent and must then match the
    path and the current team; read-only fields of `TeamMember` are ignored."""

    user_id = serializers.IntegerField(required=False)
    team_id = serializers.IntegerField(required=False)
    favorite = serializers.BooleanField(required=False)
    mute = serializers.BooleanField(required=False)
    roles = _labels()
    locations = _labels()
    tags = _labels()
    manager = serializers.BooleanField(required=False)
    # Access level (guest/member/admin/owner). A CharField rather than a ChoiceField: the schema's enum named
    # "StatusEnum" already exists with other values in another family (drf-spectacular W001).
    status = serializers.CharField(max_length=16, required=False, help_text="guest, member, admin or owner")

    def validate_status(self, value):
        if value not in Membership.Status.values:
            raise serializers.ValidationError(f"must be one of {', '.join(Membership.Status.values)}")
        return value

    def validate_team_id(self, value):
        team = self.context.get("team")
        if value not in (None, 0) and team is not None and value != team.pk:
            raise serializers.ValidationError("must be the current team")
        return value

    def to_service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        data.pop("team_id", None)
        data.pop("user_id", None)
        if "manager" in data:
            data["is_manager"] = data.pop("manager")
        return data


class TeamMemberInviteSerializer(TeamMemberInputSerializer):
    """POST /team/members/invite: `user_id`, or `email` and/or `mobile` for someone who may not be a user yet."""

    email = serializers.EmailField(required=False, allow_blank=True)
    mobile = serializers.CharField(max_length=40, required=False, allow_blank=True)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    message = serializers.CharField(max_length=500, required=False, allow_blank=True)

    def validate_email(self, value):
        return BaseUserManager.normalize_email(value) if value else ""

    def validate_mobile(self, value):
        return normalize_phone(value, field="mobile") if value else ""

    def validate(self, attrs):
        if not attrs.get("user_id") and not attrs.get("email") and not attrs.get("mobile"):
            raise serializers.ValidationError({"user_id": ["user_id, email or mobile is required"]})
        return attrs

    def to_service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        data.pop("team_id", None)
        data.pop("favorite", None)
        data.pop("mute", None)
        data["user_id"] = data.get("user_id") or None
        if "mobile" in data:
            data["phone"] = data.pop("mobile")
        if "manager" in data:
            data["is_manager"] = data.pop("manager")
        return data
