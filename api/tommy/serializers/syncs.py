"""Tommy shapes of the automations app: demo-data bodies and the read-only Sync (spec tommy-3 "Resource: Sync")."""

from rest_framework import serializers

from automations.models import Sync
from core.api.validators import FreeformJSON


class DemoDataApplySerializer(serializers.Serializer):
    """`seed_type` is checked by the service (its error is the documented "Invalid seed type")."""

    seed_type = serializers.JSONField(required=False, allow_null=True, default=None)
    options = serializers.JSONField(required=False, allow_null=True, default=None, validators=[FreeformJSON()])


class DemoDataApplyResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    message = serializers.CharField()
    sync_id = serializers.IntegerField()
    team_id = serializers.IntegerField()


class DemoDataResetResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    message = serializers.CharField()
    team_id = serializers.IntegerField()


class SyncUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    email = serializers.CharField(allow_null=True)


class SyncSerializer(serializers.ModelSerializer):
    user = SyncUserSerializer(allow_null=True)
    options = serializers.JSONField()

    class Meta:
        model = Sync
        fields = [
            "id",
            "team_id",
            "user_id",
            "integration_id",
            "status",
            "direction",
            "item_type",
            "progress_percentage",
            "total_items",
            "success_items",
            "failed_items",
            "options",
            "message",
            "started_at",
            "ended_at",
            "created_at",
            "updated_at",
            "user",
        ]
        read_only_fields = fields
