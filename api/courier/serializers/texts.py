"""courier `text-accounts` and `texts`: read shapes (JSON:API resources) and write shapes (input validation only)."""

from rest_framework import serializers
from rest_framework_json_api import serializers as jsonapi

from core.api.validators import FreeformJSON
from core.exceptions import NotFoundError, ValidationFailed
from core.phones import normalize_phone
from messaging import selectors
from messaging.models import Text, TextAccount


def _not_found(field: str, what: str) -> NotFoundError:
    message = f"No such {what}."
    return NotFoundError(message, details={field: [message]})


class TextAccountSerializer(jsonapi.ModelSerializer):
    """A team's SMS account (courier `text-accounts`): sends from its own number or the default sender."""

    id = serializers.UUIDField(source="uid", read_only=True)
    organization_id = serializers.UUIDField(source="team.uid", read_only=True)

    class Meta:
        model = TextAccount
        resource_name = "text-accounts"
        fields = ["id", "allow_custom_number", "created_at", "organization_id", "phone_number", "twilio_id"]
        read_only_fields = fields


class TextAccountCreateSerializer(serializers.Serializer):
    allow_custom_number = serializers.BooleanField(default=False)
    organization_id = serializers.UUIDField(required=False, allow_null=True)
    phone_number = serializers.CharField(required=False, allow_blank=True, max_length=32, default="")

    def validate(self, attrs):
        team_ids = self.context["team_ids"]
        uid = attrs.pop("organization_id", None)
        if uid is None:
            if len(team_ids) != 1:
                raise ValidationFailed.for_field("organization_id", "This field is required.")
            attrs["team_id"] = next(iter(team_ids))
            return attrs
        team_id = selectors.team_id_get(uid=uid, team_ids=team_ids)
        if team_id is None:
            raise _not_found("organization_id", "organization")
        attrs["team_id"] = team_id
        return attrs


class TextAccountUpdateSerializer(serializers.Serializer):
    allow_custom_number = serializers.BooleanField(required=False)
    phone_number = serializers.CharField(required=False, allow_blank=True, max_length=32)


class TextSerializer(jsonapi.ModelSerializer):
    """One outbound SMS (courier `texts`): its target, message, delivery status and provider id."""

    id = serializers.UUIDField(source="uid", read_only=True)
    created_by = serializers.UUIDField(source="created_by.uid", read_only=True, allow_null=True)
    last_modified_at = serializers.DateTimeField(source="updated_at", read_only=True)
    message = serializers.CharField(source="body", read_only=True)
    target = serializers.CharField(source="to", read_only=True)
    twilio_sid = serializers.CharField(source="provider_id", read_only=True)

    class Meta:
        model = Text
        resource_name = "texts"
        fields = [
            "id",
            "callback_status_url",
            "callback_url",
            "created_at",
            "created_by",
            "error",
            "last_modified_at",
            "message",
            "status",
            "target",
            "twilio_sid",
        ]
        read_only_fields = fields

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.CharField(source="from_number", read_only=True)  # a keyword in Python
        return fields


class TextCreateSerializer(serializers.Serializer):
    account_id = serializers.UUIDField()
    callback_json = serializers.JSONField(required=False, allow_null=True, default=None, validators=[FreeformJSON()])
    callback_one_off = serializers.BooleanField(default=True)
    callback_status_url = serializers.URLField(required=False, allow_blank=True, max_length=500, default="")
    callback_url = serializers.URLField(required=False, allow_blank=True, max_length=500, default="")
    expected_responses = serializers.ListField(
        child=serializers.CharField(max_length=160), required=False, default=list, max_length=100
    )
    message = serializers.CharField(max_length=1600)
    number_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    organization_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    target = serializers.CharField(max_length=32)

    def validate_target(self, value: str) -> str:
        try:
            return normalize_phone(value, field="target")
        except ValidationFailed as exc:
            raise serializers.ValidationError(exc.message) from None

    def validate(self, attrs):
        team_ids = self.context["team_ids"]
        account = selectors.text_account_get(uid=attrs.pop("account_id"), team_ids=team_ids)
        if account is None:
            raise _not_found("account_id", "text account")
        organization_id = attrs.pop("organization_id")
        if organization_id is not None and organization_id != account.team.uid:
            raise ValidationFailed.for_field("organization_id", "The text account belongs to another organization.")
        number_id = attrs.pop("number_id")
        number = None
        if number_id is not None:
            number = selectors.text_number_get(uid=number_id, team_ids=team_ids)
            if number is None:
                raise _not_found("number_id", "text account number")
        attrs.update(account=account, number=number)
        return attrs


class TextCallbackSerializer(serializers.Serializer):
    """The provider's flat status report (Twilio posts MessageSid, MessageStatus, ErrorCode, ErrorMessage)."""

    MessageStatus = serializers.CharField(required=False, max_length=32)
    SmsStatus = serializers.CharField(required=False, max_length=32)
    ErrorCode = serializers.CharField(required=False, allow_blank=True, max_length=32)
    ErrorMessage = serializers.CharField(required=False, allow_blank=True, max_length=400)

    def validate(self, attrs):
        status = (attrs.get("MessageStatus") or attrs.get("SmsStatus") or "").lower()
        if status not in Text.RANK:
            raise ValidationFailed(f"MessageStatus: unknown or missing message status {status!r}.")
        code, detail = attrs.get("ErrorCode") or "", attrs.get("ErrorMessage") or ""
        error = " ".join(part for part in (f"Error {code}:" if code else "", detail) if part).rstrip(":")
        return {"status": status, "error": error}
