"""courier `organizations`: the caller's teams (read-only)."""

from rest_framework import mixins

from accounts.models import Team
from api.courier.base import CourierViewSet
from api.courier.filters_organizations import OrganizationFilter
from api.courier.serializers.organizations import OrganizationSerializer
from core.ids import UUID_PATTERN


class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CourierViewSet):
    resource_name = "organizations"
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    lookup_field = "uid"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self):
        # Team is the tenant itself, not a team-scoped row: the caller sees exactly the teams its credential acts in.
        return Team.objects.filter(pk__in=self.caller_team_ids(), is_archived=False).order_by("id")
