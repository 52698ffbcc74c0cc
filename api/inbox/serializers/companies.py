"""Inbox shapes: `apiKeyResponse`, `companyResponse` and `agentResponse` (spec/inbox.md)."""

from datetime import UTC, datetime

from rest_framework import serializers

from accounts.agents import agent_roles
from accounts.models import ApiKey, Team
from accounts.presence import presence_of

# The scope an API key with no explicit scopes reports: it may use every scope (ApiKey.scopes help text).
ALL_SCOPES = "ALL"


def inbox_datetime(value: datetime | None) -> str | None:
    """ISO-8601 UTC with 6-digit fractional seconds, e.g. `2020-03-11T19:53:02.000000Z` (spec "Dates")."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class ApiKeySerializer(serializers.ModelSerializer):
    """The key's visible prefix stands in for `cipherKey`: the secret itself is never stored, so never shown."""

    cipherKey = serializers.CharField(source="display_prefix")
    description = serializers.CharField(source="name")
    id = serializers.UUIDField(source="uid", format="hex_verbose")
    lastUsed = serializers.SerializerMethodField()
    objects = serializers.SerializerMethodField()
    scope = serializers.SerializerMethodField()
    whitelist = serializers.ListField(source="allowed_ips", child=serializers.CharField())

    class Meta:
        model = ApiKey
        fields = ["cipherKey", "description", "id", "lastUsed", "objects", "scope", "whitelist"]

    def get_lastUsed(self, key: ApiKey) -> str | None:
        return inbox_datetime(key.last_used_at)

    def get_objects(self, key: ApiKey) -> list[list[str]]:
        # Crewdesk keys are team-wide: no per-object (JID) restriction is stored, so the list is empty.
        return []

    def get_scope(self, key: ApiKey) -> str:
        return ",".join(key.scopes) if key.scopes else ALL_SCOPES


class CompanySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uid", format="hex_verbose")

    class Meta:
        model = Team
        fields = ["id", "name"]


class AgentNameSerializer(serializers.Serializer):
    firstName = serializers.CharField(source="first_name")
    fullName = serializers.CharField(source="full_name")
    lastName = serializers.CharField(source="last_name")


class AgentSerializer(serializers.Serializer):
    """`agentResponse` from a Membership with its user; `now` in the context makes one list share one clock."""

    email = serializers.EmailField(source="user.email")
    name = AgentNameSerializer(source="user")
    roles = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    teams = serializers.SerializerMethodField()

    def get_roles(self, membership) -> list[str]:
        return agent_roles(membership)

    def get_status(self, membership) -> str:
        return str(presence_of(membership.user.last_seen_at, now=self.context.get("now")))

    def get_teams(self, membership) -> list[str]:
        """The JIDs of the inbox teams the agent is in (prefetched by the view)."""
        return [team.jid for team in membership.inbox_teams.all()]
