"""courier `text-account-numbers` (and `claim-number`), `text-number-logs`, `text-receive-logs`,
`text-user-number-maps`: read shapes (JSON:API resources) and write shapes (input validation only)."""

from rest_framework import serializers
from rest_framework_json_api import serializers as jsonapi

from api.courier.sms_common import not_found, organization_of
from messaging import selectors
from messaging.models import InboundText, TextNumber, TextNumberLog, TextUserNumberMap


class TextNumberSerializer(jsonapi.ModelSerializer):
    """A phone number of a text account, with what the provider told about it."""

    id = serializers.UUIDField(source="uid", read_only=True)
    account_id = serializers.UUIDField(source="account.uid", read_only=True)
    events = serializers.DictField(read_only=True)

    class Meta:
        model = TextNumber
        resource_name = "text-account-numbers"
        fields = [
            "id",
            "account_id",
            "alert",
            "capability_mms",
            "capability_sms",
            "capability_voice",
            "created_at",
            "events",
            "forward_to",
            "lata",
            "latitude",
            "logging",
            "longitude",
            "notes",
            "phone_number",
            "postal_code",
            "rate_center",
            "region",
            "twilio_id",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["events"] = {"unknown-number": {}, **(instance.events or {})}  # the documented key is always there
        return data


class TextNumberCreateSerializer(serializers.Serializer):
    account_id = serializers.UUIDField()
    alert = serializers.BooleanField(default=False)
    area_code = serializers.CharField(required=False, allow_blank=True, max_length=3, default="")
    forward_to = serializers.CharField(required=False, allow_blank=True, max_length=32, default="")
    logging = serializers.BooleanField(default=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")

    def validate(self, attrs):
        account = selectors.text_account_get(uid=attrs.pop("account_id"), team_ids=self.context["team_ids"])
        if account is None:
            raise not_found("account_id", "text account")
        attrs["account"] = account
        return attrs


class TextNumberUpdateSerializer(serializers.Serializer):
    alert = serializers.BooleanField(required=False)
    events = serializers.DictField(required=False)
    forward_to = serializers.CharField(required=False, allow_blank=True, max_length=32)
    logging = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=255)


class ClaimNumberSerializer(serializers.Serializer):
    """`claim-number` takes a flat body: `{"notes": "…"}`, required."""

    notes = serializers.CharField(max_length=255)


class TextNumberLogSerializer(jsonapi.ModelSerializer):
    id = serializers.UUIDField(source="uid", read_only=True)

    class Meta:
        model = TextNumberLog
        resource_name = "text-number-logs"
        fields = ["id", "created_at", "log"]
        read_only_fields = fields


class TextReceiveLogSerializer(jsonapi.ModelSerializer):
    """An inbound SMS; its id is the provider's message id (a string, as the document says)."""

    id = serializers.CharField(source="sid", read_only=True)
    message = serializers.CharField(source="body", read_only=True)

    class Meta:
        model = InboundText
        resource_name = "text-receive-logs"
        fields = ["id", "created_at", "message", "sender", "sid", "to"]
        read_only_fields = fields


class TextUserNumberMapSerializer(jsonapi.ModelSerializer):
    id = serializers.UUIDField(source="uid", read_only=True)
    number_id = serializers.CharField(source="number.uid", read_only=True)
    organization_id = serializers.UUIDField(source="team.uid", read_only=True)
    user_id = serializers.CharField(source="user.uid", read_only=True)

    class Meta:
        model = TextUserNumberMap
        resource_name = "text-user-number-maps"
        fields = ["id", "created_at", "number_id", "organization_id", "user_id"]
        read_only_fields = fields


class TextUserNumberMapCreateSerializer(serializers.Serializer):
    number_id = serializers.UUIDField()
    organization_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    user_id = serializers.UUIDField()

    def validate(self, attrs):
        team_ids = self.context["team_ids"]
        team = organization_of(attrs.pop("organization_id"), team_ids)
        number = selectors.text_number_get(uid=attrs.pop("number_id"), team_ids=[team.pk])
        if number is None:
            raise not_found("number_id", "text account number")
        return {"team": team, "number": number, "user_uid": attrs["user_id"]}
