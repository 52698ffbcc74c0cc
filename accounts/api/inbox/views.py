"""Inbox API keys and companies: read-only views over the caller's team(s).

API keys are scoped by the family base (CallerScopeMixin: ApiKey uses a TeamScopedQuerySet). A company IS a team,
the tenant itself, so CompanyViewSet.get_queryset is the one place that limits teams to the caller's.
"""

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from accounts.api.inbox.serializers import ApiKeySerializer, CompanySerializer
from accounts.models import ApiKey, Membership, Team
from core.api.inbox import InboxViewSet
from core.exceptions import NotFoundError, ValidationFailed


class KeyViewSet(InboxViewSet):
    queryset = ApiKey.objects.usable()  # revoked keys are left out
    serializer_class = ApiKeySerializer

    @extend_schema(responses=ApiKeySerializer(many=True))
    def list(self, request):
        """`GET /keys`: the usable API keys of the caller's team(s)."""
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    @extend_schema(responses=ApiKeySerializer)
    def current(self, request):
        """`GET /keys/currrent` (sic) and `/keys/current`: the API key that authenticated this request."""
        if not isinstance(request.auth, ApiKey):
            raise NotFoundError("This request was not made with an API key.")
        return Response(self.get_serializer(request.auth).data)


class CompanyViewSet(InboxViewSet):
    serializer_class = CompanySerializer

    def get_queryset(self):
        return Team.objects.filter(pk__in=self.caller_team_ids(), is_archived=False).order_by("id")

    @extend_schema(responses=CompanySerializer(many=True))
    def list(self, request):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    @extend_schema(responses=CompanySerializer)
    def current(self, request):
        """An API key's team; for a user token, the team of the user's oldest active membership."""
        queryset = self.get_queryset()
        if isinstance(request.auth, ApiKey):
            team = queryset.filter(pk=request.auth.team_id).first()
        else:
            first = (
                Membership.objects.active()
                .filter(user=request.user, team__in=queryset)
                .select_related("team")
                .order_by("id")
                .first()
            )
            team = first.team if first else None
        if team is None:
            raise NotFoundError("No company for this caller.")
        return Response(self.get_serializer(team).data)

    @extend_schema(responses=CompanySerializer)
    def retrieve(self, request, id: str):
        try:
            uid = uuid.UUID(id)
        except ValueError:
            raise ValidationFailed.for_field("id", "Id is invalid") from None
        team = self.get_queryset().filter(uid=uid).first()
        if team is None:
            raise NotFoundError("Company not found.")
        return Response(self.get_serializer(team).data)
