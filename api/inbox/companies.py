"""Inbox API keys, companies and agents: read-only views over the caller's team(s).

API keys are scoped by the family base (CallerScopeMixin: ApiKey uses a TeamScopedQuerySet). A company IS a team,
the tenant itself, so CompanyScopeMixin.company_queryset is the one place that limits teams to the caller's;
agents are then read within the one company it resolved.
"""

import uuid

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from accounts.agents import agent_get, agent_memberships
from accounts.models import ApiKey, Membership, Team
from accounts.permissions import Action
from accounts.visibility import Level
from api import people
from api.inbox.base import InboxViewSet
from api.inbox.serializers.companies import AgentSerializer, ApiKeySerializer, CompanySerializer
from core.exceptions import NotFoundError, ValidationFailed


class KeyViewSet(InboxViewSet):
    queryset = ApiKey.objects.usable()  # revoked keys are left out
    serializer_class = ApiKeySerializer

    @extend_schema(responses=ApiKeySerializer(many=True))
    def list(self, request):
        """`GET /keys`: the usable API keys of the caller's company, for its managers."""
        company = self.require(Action.READ_API_KEYS).team
        return Response(self.get_serializer(self.get_queryset().filter(team=company), many=True).data)

    @extend_schema(responses=ApiKeySerializer)
    def current(self, request):
        """`GET /keys/currrent` (sic) and `/keys/current`: the API key that authenticated this request."""
        if self.api_key() is None:
            raise NotFoundError("This request was not made with an API key.")
        return Response(self.get_serializer(self.api_key()).data)


class CompanyScopeMixin:
    """A company named in the path (api/inbox/context.py gives the caller's companies and current company)."""

    openapi_errors = (400,)  # a company id that is not a uuid

    def company(self, id: str) -> Team:
        """The caller's company by uuid, or `current` (as GET /companies/current); another team's is a 404."""
        if id == "current":
            return self.caller_company()
        try:
            uid = uuid.UUID(id)
        except ValueError:
            raise ValidationFailed.for_field("id", "Id is invalid") from None
        team = self.company_queryset().filter(uid=uid).first()
        if team is None:
            raise NotFoundError("Company not found.")
        return team


class CompanyViewSet(CompanyScopeMixin, InboxViewSet):
    serializer_class = CompanySerializer

    def get_queryset(self):
        return self.company_queryset()

    @extend_schema(responses=CompanySerializer(many=True))
    def list(self, request):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    @extend_schema(responses=CompanySerializer)
    def current(self, request):
        return Response(self.get_serializer(self.caller_company()).data)

    @extend_schema(responses=CompanySerializer)
    def retrieve(self, request, id: str):
        return Response(self.get_serializer(self.company(id)).data)


class AgentViewSet(CompanyScopeMixin, InboxViewSet):
    """`GET /companies/{companyId}/agents` and `/agents/{email}`: the company's members who are agents
    (accounts.agents decides who counts; accounts.presence gives the status)."""

    serializer_class = AgentSerializer

    def get_queryset(self):
        return Membership.objects.none()  # for the schema only: agents are read within one resolved company

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def visible(self, memberships) -> list:
        """Agents are addressed by email and show presence (last seen): only those whose contact details the
        caller may see (accounts.visibility; the team's `contact_details` setting) are listed."""
        memberships = list(memberships)
        lens = people.lens({"request": self.request})
        lens.prime([m.user_id for m in memberships])
        return [m for m in memberships if lens.level(m.user_id) == Level.DETAILS]

    @extend_schema(responses=AgentSerializer(many=True))
    def list(self, request, companyId: str):
        team = self.company(companyId)
        return Response(self.get_serializer(self.visible(agent_memberships(team=team)), many=True).data)

    @extend_schema(responses=AgentSerializer)
    def retrieve(self, request, companyId: str, email: str):
        agent = agent_get(team=self.company(companyId), email=email)
        if agent is None or not self.visible([agent]):
            raise NotFoundError("Agent not found.")
        return Response(self.get_serializer(agent).data)
