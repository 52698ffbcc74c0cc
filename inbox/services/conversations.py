"""Conversations: find or open one, change it (assignee, labels, status, read/unread — each change told to the
webhooks: `handover`, `label`), comments, and the unread counter of an agent."""

from django.db import IntegrityError, transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, When
from django.utils import timezone

from accounts.agents import agent_get
from accounts.models import Membership
from core.exceptions import ValidationFailed
from inbox.actors import Actor
from inbox.errors import NotConversationOwner
from inbox.models import Assistant, Channel, Comment, Contact, Conversation, Label
from inbox.services import payloads
from inbox.services.webhooks import emit

_UNSET = object()


def contact_get_or_create(*, channel: Channel, jid: str, name: str = "") -> tuple[Contact, bool]:
    """The channel's contact with this JID (already validated), made on first sight (a race makes it once)."""
    contact = Contact.objects.filter(channel=channel, jid=jid).first()
    if contact is not None:
        if name and not contact.name:
            Contact.objects.filter(pk=contact.pk).update(name=name[:200])
            contact.name = name[:200]
        return contact, False
    try:
        with transaction.atomic():
            return Contact.objects.create(channel=channel, jid=jid, name=(name or "")[:200]), True
    except IntegrityError:
        return Contact.objects.get(channel=channel, jid=jid), False


def conversation_get_or_create(*, contact: Contact, assistant: Assistant | None = None) -> tuple[Conversation, bool]:
    """The contact's conversation, opened (OPEN) when there is none yet; locked for the caller's transaction."""
    found = Conversation.objects.select_for_update(of=("self",)).filter(contact=contact).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                team_id=contact.channel.team_id, channel_id=contact.channel_id, contact=contact,
                assignee_assistant=assistant,
            )  # fmt: skip
            return conversation, True
    except IntegrityError:
        return Conversation.objects.select_for_update(of=("self",)).get(contact=contact), False


def require_owner(conversation: Conversation, actor: Actor) -> None:
    """An assistant may act only on a conversation assigned to it (1010)."""
    if actor.assistant is not None and conversation.assignee_assistant_id != actor.assistant.pk:
        raise NotConversationOwner("Assistant has no ownership of conversation")


def assignee_label(conversation: Conversation) -> str | None:
    """`assignee` as the document shows it: the agent's email, the assistant's JID, or null (the agents' pool)."""
    if conversation.assignee_assistant_id:
        return conversation.assignee_assistant.jid
    if conversation.assignee_id:
        return conversation.assignee.email
    return None


def _resolve_assignee(team, value: str):
    """An agent's email or an assistant's JID of the company → (user, assistant)."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed.for_field("assignee", "An agent's email, an assistant's JID, or null.")
    assistant = Assistant.objects.filter(team=team, jid=value.strip()).first()
    if assistant is not None:
        if not assistant.enabled:
            raise ValidationFailed.for_field("assignee", "This assistant is disabled.")
        return None, assistant
    agent = agent_get(team=team, email=value)
    if agent is None:
        raise ValidationFailed.for_field("assignee", "No agent or assistant of this company has this identifier.")
    return agent.user, None


def _resolve_labels(team, jids) -> list[Label]:
    if not isinstance(jids, list) or not all(isinstance(j, str) for j in jids):
        raise ValidationFailed.for_field("labels", "A list of label JIDs.")
    labels = list(Label.objects.filter(team=team, jid__in=jids))
    missing = sorted(set(jids) - {label.jid for label in labels})
    if missing:
        raise ValidationFailed.for_field("labels", f"Unknown labels: {', '.join(missing)}.")
    return labels


@transaction.atomic
def conversation_update(
    *, conversation: Conversation, actor: Actor, assignee=_UNSET, labels=_UNSET, status=_UNSET, unread_count=_UNSET
) -> Conversation:
    """Only the given fields change. `assignee` None hands over to the agents' pool; `labels` replaces the set
    ([] unlabels); `unread_count` None marks read, a number marks unread (0 = unread with no count)."""
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("channel", "contact", "assignee", "assignee_assistant")
        .get(pk=conversation.pk)
    )
    require_owner(conversation, actor)
    team = conversation.channel.team
    fields = ["updated_at"]
    if assignee is not _UNSET:
        before = assignee_label(conversation)
        user, assistant = (None, None) if assignee is None else _resolve_assignee(team, assignee)
        conversation.assignee, conversation.assignee_assistant = user, assistant
        fields += ["assignee", "assignee_assistant"]
        after = assignee_label(conversation)
        if after != before:
            payload = payloads.handover(conversation, before=before, after=after, by=actor.label)
            emit(channel=conversation.channel, event="handover", payload=payload, conversation=conversation)
    if status is not _UNSET:
        if status not in Conversation.Status.values:
            raise ValidationFailed.for_field("status", "OPEN or CLOSED.")
        conversation.status = status
        fields.append("status")
    if unread_count is not _UNSET:
        if unread_count is not None and (isinstance(unread_count, bool) or not isinstance(unread_count, int)
                                         or unread_count < 0):  # fmt: skip
            raise ValidationFailed.for_field("unreadCount", "null (mark as read) or a number (0: mark as unread).")
        conversation.unread_count = unread_count
        fields.append("unread_count")
    conversation.updated_at = timezone.now()
    conversation.save(update_fields=fields)
    if labels is not _UNSET:
        _set_labels(conversation, _resolve_labels(team, labels), actor)
    return conversation


def _set_labels(conversation: Conversation, labels: list[Label], actor: Actor) -> None:
    before = set(conversation.labels.values_list("jid", flat=True))
    after = {label.jid for label in labels}
    if before == after:
        return
    conversation.labels.set(labels)
    payload = payloads.label(
        conversation,
        labels=sorted(after),
        added=sorted(after - before),
        removed=sorted(before - after),
        by=actor.label,
    )
    emit(channel=conversation.channel, event="label", payload=payload, conversation=conversation)


@transaction.atomic
def comment_create(*, conversation: Conversation, actor: Actor, body: str) -> Comment:
    require_owner(conversation, actor)
    return Comment.objects.create(
        conversation=conversation, body=body or "", author=actor.user, author_assistant=actor.assistant
    )


def conversation_mark_read(*, conversation: Conversation) -> None:
    Conversation.objects.filter(pk=conversation.pk, unread_count__isnull=False).update(unread_count=None)


# --- the unread counter -----------------------------------------------------------------------------------------


def channels_handled_by(membership: Membership):
    """The channels an agent handles: those of the inbox teams they are in, plus every channel in no team."""
    return Channel.objects.filter(team_id=membership.team_id).filter(
        Q(inbox_teams__members=membership) | Q(inbox_teams__isnull=True)
    )


def unread_for_agent(*, membership: Membership) -> int:
    """Unread messages for an agent: over the open or closed conversations assigned to them, and the unassigned
    ones on channels they handle, the sum of `unreadCount`; a conversation marked unread by hand (0) counts 1."""
    conversations = Conversation.objects.filter(team_id=membership.team_id, unread_count__isnull=False).filter(
        Q(assignee_id=membership.user_id)
        | Q(assignee__isnull=True, assignee_assistant__isnull=True, channel__in=channels_handled_by(membership))
    )
    totals = conversations.aggregate(
        messages=Sum("unread_count"),
        marked=Count(Case(When(unread_count=0, then=1), output_field=IntegerField())),
    )
    return (totals["messages"] or 0) + (totals["marked"] or 0)
