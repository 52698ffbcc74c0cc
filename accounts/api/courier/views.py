"""courier `organizations`: the caller's teams (read-only)."""

from rest_framework import mixins

from accounts.api.courier.filters import OrganizationFilter
from accounts.api.courier.serializers import OrganizationSerializer
from accounts.models import Team
from core.api.courier import CourierViewSet

UUID_REGEX = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CourierViewSet):
    resource_name = "organizations"
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    lookup_field = "uid"
    lookup_value_regex = UUID_REGEX

    def get_queryset(self):
        # Team is the tenant itself, not a team-scoped row: the caller sees exactly the teams its credential acts in.
        return Team.objects.filter(pk__in=self.caller_team_ids(), is_archived=False).order_by("id")
