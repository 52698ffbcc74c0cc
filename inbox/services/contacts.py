"""Contacts of a channel: create and change them, the blacklist, contact lists, and notes (`note` events)."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.exceptions import NotFoundError, PermissionDeniedError, ValidationFailed
from inbox import jids
from inbox.actors import Actor
from inbox.errors import AlreadyExists
from inbox.models import Channel, Contact, ContactList, Conversation, Note
from inbox.services import payloads
from inbox.services.conversations import contact_get_or_create
from inbox.services.webhooks import emit

CONTACT_FIELDS = ("name", "reference", "remarks")


def valid_jid(channel: Channel, jid: str, *, field: str = "contactJid") -> str:
    return jids.contact_jid(jid, kind=channel.kind, phone_like=channel.phone_like, field=field)


def contact_find(*, channel: Channel, jid: str) -> Contact:
    contact = Contact.objects.filter(channel=channel, jid=valid_jid(channel, jid)).first()
    if contact is None:
        raise NotFoundError("Contact not found.")
    return contact


@transaction.atomic
def contact_create(*, channel: Channel, jid: str, **fields) -> Contact:
    """A new contact (409 / 1014 when the channel already has this JID)."""
    jid = valid_jid(channel, jid, field="jid")
    try:
        with transaction.atomic():
            return Contact.objects.create(channel=channel, jid=jid, **_fields(fields))
    except IntegrityError:
        raise AlreadyExists("Already exists: the channel has a contact with this JID.") from None


def _fields(fields: dict) -> dict:
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(unknown)
    return {k: (v or "") for k, v in fields.items()}


@transaction.atomic
def contact_update(*, contact: Contact, **fields) -> Contact:
    for key, value in _fields(fields).items():
        setattr(contact, key, value)
    contact.save()
    return contact


@transaction.atomic
def blacklist_add(*, channel: Channel, jid: str) -> Contact:
    """Block a contact (made if unknown, so a number can be blocked before it writes); idempotent."""
    contact, _ = contact_get_or_create(channel=channel, jid=valid_jid(channel, jid))
    Contact.objects.filter(pk=contact.pk, blacklisted_at__isnull=True).update(blacklisted_at=timezone.now())
    return contact


@transaction.atomic
def blacklist_remove(*, channel: Channel, jid: str) -> Contact:
    contact = contact_find(channel=channel, jid=jid)
    Contact.objects.filter(pk=contact.pk).update(blacklisted_at=None)
    return contact


def _list(channel: Channel, list_jid: str) -> ContactList:
    found = ContactList.objects.filter(channel=channel, jid=list_jid).first()
    if found is None:
        raise NotFoundError("Contact list not found.")
    return found


@transaction.atomic
def list_add(*, channel: Channel, list_jid: str, jid: str) -> None:
    _list(channel, list_jid).contacts.add(contact_find(channel=channel, jid=jid))


@transaction.atomic
def list_remove(*, channel: Channel, list_jid: str, jid: str) -> None:
    _list(channel, list_jid).contacts.remove(contact_find(channel=channel, jid=jid))


# --- notes --------------------------------------------------------------------------------------------------------


def note_shape(note: Note) -> dict:
    """`noteResponse` (also the `note` event's data)."""
    return {
        "body": note.body,
        "createdAt": payloads.document_time(note.created_at),
        "createdBy": note.created_by,
        "id": str(note.uid),
        "isPinned": note.is_pinned,
        "isReadOnly": note.is_read_only,
        "updatedAt": payloads.document_time(note.updated_at),
        "referenceId": note.reference_id,
    }


def _tell(note: Note, action: str) -> None:
    contact = note.contact
    conversation = Conversation.objects.filter(contact=contact).first()
    payload = payloads.note(note_shape(note), contact=contact, channel=contact.channel, action=action)
    emit(channel=contact.channel, event="note", payload=payload, conversation=conversation)


@transaction.atomic
def note_create(*, contact: Contact, actor: Actor, body: str = "", reference_id: str = "") -> Note:
    note = Note.objects.create(contact=contact, body=body or "", reference_id=reference_id or "",
                               created_by=actor.label)  # fmt: skip
    _tell(note, "created")
    return note


@transaction.atomic
def note_update(*, note: Note, **changes) -> Note:
    """Partial (body, isPinned, isReadOnly, referenceId). A read-only note changes only its read-only flag."""
    allowed = {"body", "is_pinned", "is_read_only", "reference_id"}
    if set(changes) - allowed:
        raise ValueError(set(changes) - allowed)
    if note.is_read_only and set(changes) - {"is_read_only"}:
        raise PermissionDeniedError("The note is read-only.")
    for key, value in changes.items():
        if key in ("is_pinned", "is_read_only") and not isinstance(value, bool):
            raise ValidationFailed.for_field(key, "true or false.")
        setattr(note, key, value if value is not None else "")
    note.save()
    return note


@transaction.atomic
def note_delete(*, note: Note) -> None:
    if note.is_read_only:
        raise PermissionDeniedError("The note is read-only.")
    _tell(note, "deleted")
    note.delete()
