"""Inbox shape of webhooks: `webhookResponse` (spec/inbox.md "Webhooks")."""

from rest_framework import serializers

from api.inbox.serializers.companies import inbox_datetime


class WebhookSerializer(serializers.Serializer):
    """`cipherKey` is the webhook's signing secret (Standard Webhooks `whsec_…`): receivers verify the
    `webhook-signature` header with it (README). `name` is the one field the document's PATCH names."""

    assistant = serializers.SerializerMethodField()
    cipherKey = serializers.CharField(source="cipher_key")
    createdAt = serializers.SerializerMethodField()
    enabled = serializers.BooleanField()
    events = serializers.ListField(child=serializers.CharField())
    headers = serializers.DictField(child=serializers.CharField())
    id = serializers.UUIDField(source="uid")
    name = serializers.CharField()
    updatedAt = serializers.SerializerMethodField()
    url = serializers.CharField()

    def get_assistant(self, webhook) -> str | None:
        return webhook.assistant.jid if webhook.assistant_id else None

    def get_createdAt(self, webhook) -> str:
        return inbox_datetime(webhook.created_at)

    def get_updatedAt(self, webhook) -> str:
        return inbox_datetime(webhook.updated_at)


class WebhookCreateSerializer(serializers.Serializer):
    events = serializers.ListField(child=serializers.CharField(max_length=32), max_length=20)
    url = serializers.CharField(max_length=500)
    headers = serializers.DictField(child=serializers.CharField(max_length=1000), required=False)
    assistant = serializers.CharField(required=False, allow_null=True, max_length=200)
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)


class WebhookPatchSerializer(WebhookCreateSerializer):
    events = serializers.ListField(child=serializers.CharField(max_length=32), max_length=20, required=False)
    url = serializers.CharField(max_length=500, required=False)
    enabled = serializers.BooleanField(required=False)
