"""A channel's webhooks (`/channels/{channelJid}/webhooks`): for the company's managers, since each carries its
signing key (`cipherKey`)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.permissions import Action
from api.inbox.base import InboxViewSet, valid
from api.inbox.serializers.webhooks import WebhookCreateSerializer, WebhookPatchSerializer, WebhookSerializer
from core.exceptions import NotFoundError, ValidationFailed
from inbox.models import Assistant, InboxWebhook
from inbox.services import webhooks


class WebhookViewSet(InboxViewSet):
    serializer_class = WebhookSerializer
    queryset = InboxWebhook.objects.none()

    def _assistant(self, channel, jid):
        if jid is None:
            return None
        found = Assistant.objects.filter(team_id=channel.team_id, jid=jid).first()
        if found is None:
            raise ValidationFailed.for_field("assistant", "No assistant of this company has this JID.")
        return found

    def _webhook(self, channel, id: str) -> InboxWebhook:
        import uuid

        try:
            uid = uuid.UUID(id)
        except ValueError:
            uid = None
        found = (
            InboxWebhook.objects.filter(channel=channel, uid=uid).select_related("assistant").first() if uid else None
        )
        if found is None:
            raise NotFoundError("Webhook not found.")
        return found

    @extend_schema(responses=WebhookSerializer(many=True))
    def list(self, request, channelJid: str):
        channel = self.channel(channelJid)
        self.require(Action.CONFIGURE_INBOX)
        rows = InboxWebhook.objects.filter(channel=channel).select_related("assistant")
        return Response(WebhookSerializer(rows, many=True).data)

    @extend_schema(request=WebhookCreateSerializer, responses={201: WebhookSerializer})
    def create(self, request, channelJid: str):
        channel = self.channel(channelJid)
        self.require(Action.CONFIGURE_INBOX)
        data = valid(WebhookCreateSerializer, request.data)
        webhook = webhooks.webhook_create(
            channel=channel,
            url=data["url"],
            events=data["events"],
            headers=data.get("headers"),
            assistant=self._assistant(channel, data.get("assistant")),
            name=data.get("name", ""),
        )
        return Response(WebhookSerializer(webhook).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WebhookPatchSerializer, responses=WebhookSerializer)
    def partial_update(self, request, channelJid: str, id: str):
        channel = self.channel(channelJid)
        webhook = self._webhook(channel, id)
        self.require(Action.CONFIGURE_INBOX)
        data = dict(valid(WebhookPatchSerializer, request.data, partial=True))
        if "assistant" in data:
            data["assistant"] = self._assistant(channel, data["assistant"])
        return Response(WebhookSerializer(webhooks.webhook_update(webhook=webhook, **data)).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, channelJid: str, id: str):
        channel = self.channel(channelJid)
        webhook = self._webhook(channel, id)
        self.require(Action.CONFIGURE_INBOX)
        webhook.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
