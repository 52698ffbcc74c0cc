"""courier `user-consents` and `org-preferences`."""

from rest_framework import serializers
from rest_framework_json_api import serializers as jsonapi

from api.courier.sms_common import TypeAttributeMixin, organization_of, without_resource_type
from messaging.models import UserConsent
from messaging.services.preferences import NAMES, TYPES


class UserConsentSerializer(TypeAttributeMixin, jsonapi.ModelSerializer):
    id = serializers.UUIDField(source="uid", read_only=True)
    organization_id = serializers.UUIDField(source="team.uid", read_only=True)
    user_id = serializers.UUIDField(source="user.uid", read_only=True)
    last_modified_at = serializers.DateTimeField(source="updated_at", read_only=True)
    args = serializers.DictField(read_only=True)

    class Meta:
        model = UserConsent
        resource_name = "user-consents"
        fields = [
            "id",
            "args",
            "created_at",
            "last_modified_at",
            "organization_id",
            "state",
            "target_id",
            "user_id",
        ]
        read_only_fields = fields


class UserConsentRequestSerializer(serializers.Serializer):
    args = serializers.DictField(required=False, default=dict)
    organization_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    type = serializers.ChoiceField(choices=UserConsent.Type.values, default=UserConsent.Type.SMS)
    user_id = serializers.UUIDField()

    def to_internal_value(self, data):
        return super().to_internal_value(without_resource_type(data, "user-consents"))

    def validate(self, attrs):
        attrs["team"] = organization_of(attrs.pop("organization_id"), self.context["team_ids"])
        attrs["user_uid"] = attrs.pop("user_id")
        return attrs


class OrgPreferenceSerializer(TypeAttributeMixin, jsonapi.Serializer):
    """A preference, stored or default (messaging.services.preferences.Preference)."""

    id = serializers.UUIDField(source="uid", read_only=True)
    created_at = serializers.DateTimeField(read_only=True, allow_null=True)
    explicit = serializers.BooleanField(read_only=True)
    name = serializers.CharField(read_only=True)
    organization_id = serializers.UUIDField(source="team_uid", read_only=True)
    value = serializers.CharField(read_only=True)
    value_js = serializers.DictField(read_only=True)

    class Meta:
        resource_name = "org-preferences"


class OrgPreferenceSetSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=NAMES)
    organization_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    type = serializers.ChoiceField(choices=TYPES, default="string")
    value = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    value_js = serializers.DictField(required=False, default=dict)

    def to_internal_value(self, data):
        return super().to_internal_value(without_resource_type(data, "org-preferences"))

    def validate(self, attrs):
        attrs["team"] = organization_of(attrs.pop("organization_id"), self.context["team_ids"])
        return attrs
