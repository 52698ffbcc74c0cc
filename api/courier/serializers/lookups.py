"""courier `text-number-info`: a carrier lookup, cached per organization."""

from rest_framework import serializers
from rest_framework_json_api import serializers as jsonapi

from api.courier.sms_common import TypeAttributeMixin, organization_of
from messaging.models import TextNumberInfo


class TextNumberInfoSerializer(TypeAttributeMixin, jsonapi.ModelSerializer):
    id = serializers.UUIDField(source="uid", read_only=True)
    last_modified_at = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = TextNumberInfo
        resource_name = "text-number-info"
        fields = [
            "id",
            "carrier_name",
            "created_at",
            "error",
            "last_modified_at",
            "mobile_country_code",
            "mobile_network_code",
            "number",
            "status",
        ]
        read_only_fields = fields


class TextNumberInfoRequestSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=32)
    reresolve = serializers.BooleanField(default=False)
    # Not in the document: which organization's cache, for a caller acting in several (an API key has one).
    organization_id = serializers.UUIDField(required=False, allow_null=True, default=None)

    def validate(self, attrs):
        attrs["team"] = organization_of(attrs.pop("organization_id"), self.context["team_ids"])
        return attrs
