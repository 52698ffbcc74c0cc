"""Inbox teams, assistants, labels (under `/companies/{companyId}/…`) and the company's quick replies."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.permissions import Action
from api.inbox.base import InboxViewSet, valid
from api.inbox.companies import CompanyScopeMixin
from api.inbox.serializers.directory import (
    AssistantPatchSerializer,
    AssistantSerializer,
    InboxTeamSerializer,
    LabelCreateSerializer,
    LabelPatchSerializer,
    LabelSerializer,
    QuickReplySerializer,
    TeamCreateSerializer,
    TeamPatchSerializer,
)
from core.exceptions import NotFoundError
from inbox.models import Assistant, Channel, InboxTeam, Label, QuickReply
from inbox.services import directory


def _teams(company):
    return InboxTeam.objects.filter(team=company).prefetch_related(
        Prefetch("channels", queryset=Channel.objects.order_by("-priority", "name", "id"))
    )


def _by_jid(queryset, jid: str, what: str):
    found = queryset.filter(jid=jid).first()
    if found is None:
        raise NotFoundError(f"{what} not found.")
    return found


class TeamViewSet(CompanyScopeMixin, InboxViewSet):
    serializer_class = InboxTeamSerializer
    queryset = InboxTeam.objects.none()

    @extend_schema(responses=InboxTeamSerializer(many=True))
    def list(self, request, companyId: str):
        return Response(InboxTeamSerializer(_teams(self.company(companyId)), many=True).data)

    @extend_schema(request=TeamCreateSerializer, responses={201: InboxTeamSerializer})
    def create(self, request, companyId: str):
        company = self.company(companyId)
        self.require(Action.CONFIGURE_INBOX)
        team = directory.team_create(company=company, **valid(TeamCreateSerializer, request.data))
        return Response(InboxTeamSerializer(_teams(company).get(pk=team.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TeamPatchSerializer, responses=InboxTeamSerializer)
    def partial_update(self, request, companyId: str, jid: str):
        company = self.company(companyId)
        team = _by_jid(_teams(company), jid, "Team")
        self.require(Action.CONFIGURE_INBOX)
        directory.team_update(team=team, **valid(TeamPatchSerializer, request.data, partial=True))
        return Response(InboxTeamSerializer(_teams(company).get(pk=team.pk)).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, companyId: str, jid: str):
        team = _by_jid(_teams(self.company(companyId)), jid, "Team")
        self.require(Action.CONFIGURE_INBOX)
        directory.team_delete(team=team)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssistantViewSet(CompanyScopeMixin, InboxViewSet):
    serializer_class = AssistantSerializer
    queryset = Assistant.objects.none()

    @extend_schema(responses=AssistantSerializer(many=True))
    def list(self, request, companyId: str):
        rows = Assistant.objects.filter(team=self.company(companyId))
        return Response(AssistantSerializer(rows, many=True).data)

    @extend_schema(request=AssistantPatchSerializer, responses=AssistantSerializer)
    def partial_update(self, request, companyId: str, jid: str):
        assistant = _by_jid(Assistant.objects.filter(team=self.company(companyId)), jid, "Assistant")
        self.require(Action.CONFIGURE_INBOX)
        data = valid(AssistantPatchSerializer, request.data, partial=True)
        return Response(AssistantSerializer(directory.assistant_update(assistant=assistant, **data)).data)


class LabelViewSet(CompanyScopeMixin, InboxViewSet):
    serializer_class = LabelSerializer
    openapi_errors = {"create": (400, 409), "partial_update": (400, 409), "list": (400,), "destroy": (400,)}
    queryset = Label.objects.none()

    @extend_schema(responses=LabelSerializer(many=True))
    def list(self, request, companyId: str):
        return Response(LabelSerializer(Label.objects.filter(team=self.company(companyId)), many=True).data)

    @extend_schema(request=LabelCreateSerializer, responses={201: LabelSerializer})
    def create(self, request, companyId: str):
        company = self.company(companyId)
        self.require(Action.CONFIGURE_INBOX)
        label = directory.label_create(company=company, **valid(LabelCreateSerializer, request.data))
        return Response(LabelSerializer(label).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LabelPatchSerializer, responses=LabelSerializer)
    def partial_update(self, request, companyId: str, jid: str):
        label = _by_jid(Label.objects.filter(team=self.company(companyId)), jid, "Label")
        self.require(Action.CONFIGURE_INBOX)
        data = valid(LabelPatchSerializer, request.data, partial=True)
        return Response(LabelSerializer(directory.label_update(label=label, **data)).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, companyId: str, jid: str):
        label = _by_jid(Label.objects.filter(team=self.company(companyId)), jid, "Label")
        self.require(Action.CONFIGURE_INBOX)
        directory.label_delete(label=label)
        return Response(status=status.HTTP_204_NO_CONTENT)


class QuickReplyViewSet(InboxViewSet):
    serializer_class = QuickReplySerializer
    queryset = QuickReply.objects.none()

    @extend_schema(responses=QuickReplySerializer(many=True))
    def list(self, request):
        rows = QuickReply.objects.filter(team=self.caller_company()).prefetch_related(
            Prefetch("channels", queryset=Channel.objects.only("id", "jid").order_by("id"))
        )
        return Response(QuickReplySerializer(rows, many=True).data)
