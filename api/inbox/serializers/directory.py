"""Inbox shapes of teams, assistants, labels and quick replies (spec/inbox.md)."""

import json

from rest_framework import serializers

from api.inbox.serializers.channels import ChannelSerializer
from api.inbox.serializers.companies import inbox_datetime
from core.api.validators import FreeformJSON

INT32 = {"min_value": -(2**31), "max_value": 2**31 - 1}


class InboxTeamSerializer(serializers.Serializer):
    """`teamResponse`: `metadata` is a string in the document's response (an object in its PATCH): the stored
    object is answered as its JSON text."""

    channels = ChannelSerializer(many=True)
    color = serializers.IntegerField()
    jid = serializers.CharField()
    metadata = serializers.SerializerMethodField()
    name = serializers.CharField()

    def get_metadata(self, team) -> str:
        value = team.metadata
        return value if isinstance(value, str) else json.dumps(value or {}, separators=(",", ":"))


class TeamCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class TeamPatchSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=100)
    color = serializers.IntegerField(required=False, **INT32)
    metadata = serializers.JSONField(required=False, validators=[FreeformJSON()])
    reference = serializers.CharField(required=False, allow_blank=True, max_length=200)


class AssistantSerializer(serializers.Serializer):
    color = serializers.IntegerField()
    description = serializers.CharField()
    jid = serializers.CharField()
    name = serializers.CharField()
    enabled = serializers.BooleanField()


class AssistantPatchSerializer(serializers.Serializer):
    color = serializers.IntegerField(required=False, **INT32)
    description = serializers.CharField(required=False, allow_blank=True, max_length=255)
    name = serializers.CharField(required=False, max_length=100)
    enabled = serializers.BooleanField(required=False)


class LabelSerializer(serializers.Serializer):
    color = serializers.IntegerField()
    jid = serializers.CharField()
    name = serializers.CharField()
    priority = serializers.IntegerField()


class LabelCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, max_length=255)


class LabelPatchSerializer(serializers.Serializer):
    color = serializers.IntegerField(required=False, **INT32)
    name = serializers.CharField(required=False, max_length=100)
    priority = serializers.IntegerField(required=False, **INT32)


class QuickReplySerializer(serializers.Serializer):
    category = serializers.CharField()
    createdAt = serializers.SerializerMethodField()
    jids = serializers.SerializerMethodField()
    message = serializers.CharField()
    name = serializers.CharField()
    updatedAt = serializers.SerializerMethodField()

    def get_createdAt(self, reply) -> str:
        return inbox_datetime(reply.created_at)

    def get_updatedAt(self, reply) -> str:
        return inbox_datetime(reply.updated_at)

    def get_jids(self, reply) -> list[str]:
        return [channel.jid for channel in reply.channels.all()]
