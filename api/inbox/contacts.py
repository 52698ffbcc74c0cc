"""Inbox contacts of a channel, the blacklist, contact lists and notes (any agent of the company)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from api.inbox.base import InboxViewSet, valid
from api.inbox.serializers.contacts import (
    ContactCreateSerializer,
    ContactListSerializer,
    ContactPatchSerializer,
    InboxContactSerializer,
    NoteCreateSerializer,
    NoteSerializer,
    NoteUpdateSerializer,
)
from core.exceptions import NotFoundError
from inbox.models import Contact, ContactList, Note
from inbox.services import contacts


def _with_notes(queryset):
    return queryset.select_related("channel").prefetch_related(Prefetch("notes", queryset=Note.objects.all()))


NOTE_FIELDS = {"body": "body", "referenceId": "reference_id", "isPinned": "is_pinned", "isReadOnly": "is_read_only"}


class ContactViewSet(InboxViewSet):
    serializer_class = InboxContactSerializer
    openapi_errors = {"create": (409,)}  # 1014: the channel has this contact
    queryset = Contact.objects.none()

    def _answer(self, contact, *, status_code=200):
        fresh = _with_notes(Contact.objects.filter(pk=contact.pk)).get()
        return Response(InboxContactSerializer(fresh).data, status=status_code)

    @extend_schema(request=ContactCreateSerializer, responses={201: InboxContactSerializer})
    def create(self, request, channelJid: str):
        channel = self.channel(channelJid)
        self.actor()
        contact = contacts.contact_create(channel=channel, **valid(ContactCreateSerializer, request.data))
        return self._answer(contact, status_code=status.HTTP_201_CREATED)

    @extend_schema(responses=InboxContactSerializer)
    def retrieve(self, request, channelJid: str, contactJid: str):
        return self._answer(contacts.contact_find(channel=self.channel(channelJid), jid=contactJid))

    @extend_schema(request=ContactPatchSerializer, responses=InboxContactSerializer)
    def partial_update(self, request, channelJid: str, contactJid: str):
        contact = contacts.contact_find(channel=self.channel(channelJid), jid=contactJid)
        self.actor()
        data = valid(ContactPatchSerializer, request.data, partial=True)
        return self._answer(contacts.contact_update(contact=contact, **data))


class BlacklistViewSet(InboxViewSet):
    serializer_class = serializers.Serializer
    queryset = Contact.objects.none()

    @extend_schema(responses=serializers.ListSerializer(child=serializers.CharField()))
    def list(self, request, channelJid: str):
        """The JIDs of the channel's blocked contacts."""
        channel = self.channel(channelJid)
        rows = Contact.objects.filter(channel=channel, blacklisted_at__isnull=False).order_by("jid")
        return Response(list(rows.values_list("jid", flat=True)))

    @extend_schema(request=None, responses={204: None})
    def create(self, request, channelJid: str, contactJid: str):
        channel = self.channel(channelJid)
        self.actor()
        contacts.blacklist_add(channel=channel, jid=contactJid)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={204: None})
    def destroy(self, request, channelJid: str, contactJid: str):
        channel = self.channel(channelJid)
        self.actor()
        contacts.blacklist_remove(channel=channel, jid=contactJid)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ContactListViewSet(InboxViewSet):
    """Lists are made in the console; the API lists them and changes who is on one (200 with no body, as
    documented)."""

    serializer_class = ContactListSerializer
    queryset = ContactList.objects.none()

    @extend_schema(responses=ContactListSerializer(many=True))
    def list(self, request, channelJid: str):
        rows = ContactList.objects.filter(channel=self.channel(channelJid))
        return Response(ContactListSerializer(rows, many=True).data)

    @extend_schema(request=None, responses={200: None})
    def create(self, request, channelJid: str, listJid: str, contactJid: str):
        channel = self.channel(channelJid)
        self.actor()
        contacts.list_add(channel=channel, list_jid=listJid, jid=contactJid)
        return Response(status=status.HTTP_200_OK)

    @extend_schema(responses={200: None})
    def destroy(self, request, channelJid: str, listJid: str, contactJid: str):
        channel = self.channel(channelJid)
        self.actor()
        contacts.list_remove(channel=channel, list_jid=listJid, jid=contactJid)
        return Response(status=status.HTTP_200_OK)


class NoteViewSet(InboxViewSet):
    serializer_class = NoteSerializer
    queryset = Note.objects.none()

    def _contact(self, channelJid: str, contactJid: str) -> Contact:
        return contacts.contact_find(channel=self.channel(channelJid), jid=contactJid)

    def _note(self, contact: Contact, id: str) -> Note:
        note = Note.objects.filter(contact=contact, uid=id).first() if _is_uuid(id) else None
        if note is None:
            raise NotFoundError("Note not found.")
        return note

    @extend_schema(responses=NoteSerializer(many=True))
    def list(self, request, channelJid: str, contactJid: str):
        contact = self._contact(channelJid, contactJid)
        return Response(NoteSerializer(Note.objects.filter(contact=contact), many=True).data)

    @extend_schema(request=NoteCreateSerializer, responses={201: NoteSerializer})
    def create(self, request, channelJid: str, contactJid: str):
        contact = self._contact(channelJid, contactJid)
        data = valid(NoteCreateSerializer, request.data)
        note = contacts.note_create(
            contact=contact, actor=self.actor(), body=data.get("body", ""), reference_id=data.get("referenceId", "")
        )
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NoteUpdateSerializer, responses={201: NoteSerializer}, operation_id="inbox_v3_notes_update")
    def update_note(self, request, channelJid: str, contactJid: str, id: str):
        """`POST …/notes/{id}` updates (201, as documented); a read-only note only changes its read-only flag."""
        note = self._note(self._contact(channelJid, contactJid), id)
        self.actor()
        data = valid(NoteUpdateSerializer, request.data, partial=True)
        note = contacts.note_update(note=note, **{NOTE_FIELDS[k]: v for k, v in data.items()})
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, channelJid: str, contactJid: str, id: str):
        note = self._note(self._contact(channelJid, contactJid), id)
        self.actor()
        contacts.note_delete(note=note)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
