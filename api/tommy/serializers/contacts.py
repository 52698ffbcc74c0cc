"""Tommy contact shapes (spec/tommy-2 "Resource: Contact"): the `Contact` output, `ContactInput` (PUT),
`ContactRequest` (create), the `User` rows of an import, and the `team_id`/`team_ids` bodies of add/accept.

Input serializers validate shape and types only; the views hand service-ready keyword arguments on.
"""

from django.contrib.auth.base_user import BaseUserManager
from rest_framework import serializers

from accounts.models import Contact
from accounts.visibility import Level, person_as_seen, sent_on_contact
from api import people
from core.exceptions import ValidationFailed
from core.phones import normalize_phone


def labels() -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(max_length=100), max_length=100, required=False)


class ContactSerializer(serializers.Serializer):
    """One row of the account's contacts with its friend as the caller may see them (accounts.visibility): the
    friend's details once they accepted (or are a teammate), else what the caller wrote on the row. Absent values
    are null."""

    class Meta:
        list_serializer_class = people.PersonListSerializer

    @staticmethod
    def person_ids(contacts) -> list[int]:
        return [c.friend_id for c in contacts if c.friend_id]

    friend_id = serializers.IntegerField(
        allow_null=True, help_text="null in an invitation's `contact` to someone who is not a user yet"
    )
    favorite = serializers.BooleanField()
    mute = serializers.BooleanField()
    personal = serializers.BooleanField()
    roles = serializers.ListField(child=serializers.CharField())
    locations = serializers.ListField(child=serializers.CharField())
    tags = serializers.ListField(child=serializers.CharField())
    id = serializers.IntegerField(allow_null=True, help_text="null in an invitation's `contact` with no contact row")
    type = serializers.SerializerMethodField()
    first_name = serializers.CharField(source="friend.first_name")
    last_name = serializers.CharField(source="friend.last_name")
    icon_url = serializers.SerializerMethodField()
    email = serializers.CharField(source="friend.email", allow_null=True)
    mobile = serializers.CharField(source="friend.phone", allow_null=True)
    status = serializers.CharField()
    member = serializers.SerializerMethodField()
    last_online_at = serializers.DateTimeField(source="friend.last_seen_at", allow_null=True)

    def to_representation(self, contact: Contact) -> dict:
        friend = contact.friend
        sent = sent_on_contact(contact)
        if friend.pk is None:  # an invitation's description of whom it went to: only what was sent
            person = person_as_seen(friend, Level.NONE, sent)
        else:
            person = people.lens(self.context).person(friend, sent)
        request = self.context.get("request")
        avatar = person.avatar
        return {
            "friend_id": friend.pk,
            "favorite": contact.favorite,
            "mute": contact.mute,
            "personal": contact.personal,
            "roles": list(contact.roles or []),
            "locations": list(contact.locations or []),
            "tags": list(contact.tags or []),
            "id": contact.pk,
            "type": "User",
            "first_name": person.first_name,
            "last_name": person.last_name,
            "icon_url": (request.build_absolute_uri(avatar.url) if request else avatar.url) if avatar else None,
            "email": person.email,
            "mobile": person.phone,
            "status": contact.status,
            # "True when the friend has signed up" — as far as the caller may know it.
            "member": person.signed_up,
            "last_online_at": serializers.DateTimeField().to_representation(person.last_seen_at)
            if person.last_seen_at
            else None,
        }

    def get_type(self, contact: Contact) -> str:
        return "User"

    def get_icon_url(self, contact: Contact) -> str | None:  # for the schema; to_representation renders it
        return None

    def get_member(self, contact: Contact) -> bool:  # for the schema; to_representation renders it
        return False


class ContactUpdateSerializer(serializers.Serializer):
    """`ContactInput` for PUT: the labels are writable; `friend_id` (if sent, not 0) must be the path's."""

    friend_id = serializers.IntegerField(required=False, allow_null=True)
    favorite = serializers.BooleanField(required=False)
    mute = serializers.BooleanField(required=False)
    personal = serializers.BooleanField(required=False)
    roles = labels()
    locations = labels()
    tags = labels()

    def validate_friend_id(self, value):
        if value not in (None, 0) and value != self.context["friend_id"]:
            raise serializers.ValidationError("must be the friend_id of the path")
        return value

    def to_service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        data.pop("friend_id", None)
        return data


def _mobile(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return normalize_phone(value, field="mobile")
    except ValidationFailed:
        raise serializers.ValidationError("is invalid") from None


class ContactPersonSerializer(serializers.Serializer):
    """The documented `User` fields a contact may carry; `id`, `status`, `slug`, `icon_url` are ignored."""

    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True, allow_null=True)
    mobile = serializers.CharField(max_length=40, required=False, allow_blank=True, allow_null=True)
    dob = serializers.DateField(required=False, allow_null=True)
    locale = serializers.CharField(max_length=35, required=False, allow_blank=True)

    def validate_email(self, value):
        return BaseUserManager.normalize_email(value) if value else None

    def validate_mobile(self, value):
        return _mobile(value)

    def validate(self, attrs):
        if not attrs.get("mobile") and not attrs.get("email"):
            raise serializers.ValidationError({"mobile": ["or email is required"]})
        return attrs

    def to_service_kwargs(self) -> dict:
        data = {k: v for k, v in self.validated_data.items() if v is not None}
        if "mobile" in data:
            data["phone"] = data.pop("mobile")
        return data


class ContactRequestSerializer(ContactPersonSerializer):
    """`ContactRequest`: a person plus `team_ids` (teams of the caller that get the contact too) and `via`."""

    team_ids = serializers.ListField(child=serializers.IntegerField(min_value=0), required=False, max_length=100)
    via = serializers.CharField(max_length=32, required=False, allow_blank=True)


class ContactImportRowSerializer(ContactPersonSerializer):
    """An imported `User`: `first_name` and (`mobile` or `email`) are required."""

    first_name = serializers.CharField(max_length=150)


class TeamIdSerializer(serializers.Serializer):
    """ "TeamID request" of add (optional body)."""

    team_id = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class TeamIdsSerializer(serializers.Serializer):
    """ "TeamIDs request" of accept."""

    team_ids = serializers.ListField(child=serializers.IntegerField(min_value=0), required=False, max_length=100)
