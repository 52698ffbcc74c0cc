"""Inbox shapes of contacts, lists, notes and automated messages (spec/inbox.md)."""

from rest_framework import serializers

from api.inbox.serializers.companies import inbox_datetime
from inbox.services.contacts import note_shape


class NoteSerializer(serializers.Serializer):
    """`noteResponse` (the same dict the `note` webhook event carries)."""

    body = serializers.CharField()
    createdAt = serializers.CharField()
    createdBy = serializers.CharField()
    id = serializers.UUIDField()
    isPinned = serializers.BooleanField()
    isReadOnly = serializers.BooleanField()
    updatedAt = serializers.CharField()
    referenceId = serializers.CharField()

    def to_representation(self, note):
        return note_shape(note)


class InboxContactSerializer(serializers.Serializer):
    """`contactResponse`, plus the `jid` and `name` a client writes (the document's shape cannot read them back).
    `names` lists the contact's name (the item schema is undefined); `phoneNumber` is null on non-phone networks."""

    jid = serializers.CharField()
    name = serializers.CharField()
    names = serializers.SerializerMethodField()
    notes = NoteSerializer(many=True, source="notes.all")
    phoneNumber = serializers.SerializerMethodField()
    reference = serializers.CharField()
    remarks = serializers.CharField()
    type = serializers.CharField()

    def get_names(self, contact) -> list[str]:
        return [contact.name] if contact.name else []

    def get_phoneNumber(self, contact) -> int | None:
        local = contact.jid.split("@", 1)[0]
        return int(local) if local.isdigit() and contact.channel.phone_like else None


class ContactCreateSerializer(serializers.Serializer):
    jid = serializers.CharField(max_length=200)
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=200)
    remarks = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ContactPatchSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=200)
    remarks = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ContactListSerializer(serializers.Serializer):
    jid = serializers.CharField()
    name = serializers.CharField()
    remarks = serializers.CharField()


class NoteCreateSerializer(serializers.Serializer):
    body = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    referenceId = serializers.CharField(required=False, allow_blank=True, max_length=100)


class NoteUpdateSerializer(NoteCreateSerializer):
    isPinned = serializers.BooleanField(required=False)
    isReadOnly = serializers.BooleanField(required=False)


class AutomatedMessageSerializer(serializers.Serializer):
    body = serializers.CharField()
    createdAt = serializers.SerializerMethodField()
    enabled = serializers.BooleanField()
    type = serializers.CharField()
    updatedAt = serializers.SerializerMethodField()

    def get_createdAt(self, message) -> str:
        return inbox_datetime(message.created_at)

    def get_updatedAt(self, message) -> str:
        return inbox_datetime(message.updated_at)


class AutomatedMessagePatchSerializer(serializers.Serializer):
    body = serializers.CharField(required=False, allow_blank=True, max_length=4096)
    enabled = serializers.BooleanField(required=False)
