from rest_framework import serializers
from rest_framework_json_api import serializers as jsonapi

from accounts.models import Team


class OrganizationSerializer(jsonapi.ModelSerializer):
    """A team as a courier `organizations` resource (read-only)."""

    id = serializers.UUIDField(source="uid", read_only=True)
    classification = serializers.SerializerMethodField()
    display_name = serializers.CharField(source="name", read_only=True)
    last_modified_time = serializers.DateTimeField(source="updated_at", read_only=True)
    name = serializers.CharField(read_only=True)
    provider_type = serializers.SerializerMethodField()
    timezone = serializers.CharField(read_only=True)

    class Meta:
        model = Team
        resource_name = "organizations"
        fields = ["id", "classification", "display_name", "last_modified_time", "name", "provider_type", "timezone"]

    def get_classification(self, team: Team) -> str:
        return ""

    def get_provider_type(self, team: Team) -> str:
        return ""
