"""Inbox conversations (read, change, comments), the unread counter, sending messages (202, delivered by Celery)
and scheduled replies (Crewdesk's addition: `sendAt` on a send, listed and cancelled per conversation)."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.agents import agent_get
from accounts.visibility import Level
from api import people
from api.inbox.base import InboxViewSet, valid
from api.inbox.serializers.companies import inbox_datetime
from api.inbox.serializers.conversations import (
    CommentCreateSerializer,
    CommentSerializer,
    ConversationPatchSerializer,
    ConversationSerializer,
    InboxUnreadSerializer,
    MessageAcceptedSerializer,
    MessageSendSerializer,
    ScheduledReplySerializer,
)
from core.exceptions import NotFoundError, ValidationFailed
from inbox.models import Conversation, Label, ScheduledReply
from inbox.services import contacts, conversations, scheduled, sending

FIELDS = {"assignee": "assignee", "labels": "labels", "status": "status", "unreadCount": "unread_count"}


class ConversationScopeMixin:
    def conversation(self, channelJid: str, contactJid: str) -> Conversation:
        contact = contacts.contact_find(channel=self.channel(channelJid), jid=contactJid)
        found = (
            Conversation.objects.filter(contact=contact)
            .select_related("channel", "contact", "assignee", "assignee_assistant")
            .prefetch_related(Prefetch("labels", queryset=Label.objects.only("id", "jid")))
            .first()
        )
        if found is None:
            raise NotFoundError("Conversation not found.")
        return found


class ConversationViewSet(ConversationScopeMixin, InboxViewSet):
    serializer_class = ConversationSerializer
    queryset = Conversation.objects.none()

    @extend_schema(responses=ConversationSerializer)
    def retrieve(self, request, channelJid: str, contactJid: str):
        return Response(ConversationSerializer(self.conversation(channelJid, contactJid)).data)

    @extend_schema(request=ConversationPatchSerializer, responses=ConversationSerializer)
    def partial_update(self, request, channelJid: str, contactJid: str):
        conversation = self.conversation(channelJid, contactJid)
        actor = self.actor()
        data = valid(ConversationPatchSerializer, request.data, partial=True)
        conversations.conversation_update(
            conversation=conversation, actor=actor, **{FIELDS[k]: v for k, v in data.items()}
        )
        return Response(ConversationSerializer(self.conversation(channelJid, contactJid)).data)


class CommentViewSet(ConversationScopeMixin, InboxViewSet):
    serializer_class = CommentSerializer

    @extend_schema(request=CommentCreateSerializer, responses={201: CommentSerializer})
    def create(self, request, channelJid: str, contactJid: str):
        conversation = self.conversation(channelJid, contactJid)
        data = valid(CommentCreateSerializer, request.data)
        comment = conversations.comment_create(conversation=conversation, actor=self.actor(), body=data.get("body"))
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class UnreadViewSet(InboxViewSet):
    serializer_class = InboxUnreadSerializer

    @extend_schema(
        parameters=[OpenApiParameter("agent", str, required=True, description="The agent's email.")],
        responses=InboxUnreadSerializer,
    )
    def retrieve(self, request):
        """Unread messages for an agent: the sum of `unreadCount` over the conversations assigned to them and the
        unassigned ones on channels they handle (a conversation marked unread by hand counts 1)."""
        email = request.query_params.get("agent", "").strip()
        if not email:
            raise ValidationFailed.for_field("agent", "The agent's email is required.")
        membership = agent_get(team=self.caller_company(), email=email)
        lens = people.lens({"request": request})
        if membership is not None:
            lens.prime([membership.user_id])
        if membership is None or lens.level(membership.user_id) != Level.DETAILS:
            raise NotFoundError("Agent not found.")
        return Response({"unread": conversations.unread_for_agent(membership=membership)})


class MessageViewSet(InboxViewSet):
    serializer_class = MessageSendSerializer
    openapi_errors = (422, 503)  # 1011 rejected, 1015 window expired; 1003 a kind without an adapter

    @extend_schema(request=MessageSendSerializer, responses={202: MessageAcceptedSerializer})
    def create(self, request, channelJid: str, contactJid: str):
        """Accepted (202) with the message id that its receipts carry; sent by a worker. Outside the 24-hour
        customer-care window only a template may go (1015), unless `fallbackTemplate` names one to send instead."""
        channel = self.channel(channelJid)
        actor = self.actor()
        data = valid(MessageSendSerializer, request.data)
        accepted = sending.message_send(
            channel=channel,
            contact_jid=contactJid,
            message=data["message"],
            actor=actor,
            fallback_template=data.get("fallbackTemplate"),
            send_at=data.get("sendAt"),
        )
        body = {"id": accepted.id}
        if accepted.fallback:
            body["fallback"] = True
        if accepted.scheduled_at is not None:
            body["sendAt"] = inbox_datetime(accepted.scheduled_at)
        return Response(body, status=status.HTTP_202_ACCEPTED)


class ScheduledReplyViewSet(ConversationScopeMixin, InboxViewSet):
    serializer_class = ScheduledReplySerializer
    queryset = ScheduledReply.objects.none()

    @extend_schema(responses=ScheduledReplySerializer(many=True))
    def list(self, request, channelJid: str, contactJid: str):
        """The conversation's replies still waiting to be sent."""
        conversation = self.conversation(channelJid, contactJid)
        rows = ScheduledReply.objects.filter(conversation=conversation, status=ScheduledReply.Status.SCHEDULED)
        return Response(ScheduledReplySerializer(rows, many=True).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, channelJid: str, contactJid: str, id: str):
        conversation = self.conversation(channelJid, contactJid)
        scheduled.reply_cancel(conversation=conversation, uid=id, actor=self.actor())
        return Response(status=status.HTTP_204_NO_CONTENT)
