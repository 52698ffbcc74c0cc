"""Chats and their messages (messaging.models Chat, ChatParticipant, ChatMessage): finding or opening a direct
chat, sending a message, and the Message shape of the tada protocol (jids `d-<user uid>` / `g-<chat uid>`).

Every sent message publishes `server.message.updated` through accounts.services.events.publish_event in the same
transaction, so a rolled-back send announces nothing.
"""

import datetime
import re
import time
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership, Team, User
from accounts.services.events import publish_event
from core.exceptions import NotFoundError, ValidationFailed
from core.ids import UUID_PATTERN
from messaging.models import Chat, ChatMessage, ChatParticipant

# The tada Team shape's `max_message_update_age`: how long (seconds) after sending a message may still be edited.
MESSAGE_TEXT_MAX = 16000
CONTENT_TYPES = ("plain",)
MESSAGE_EVENT = "server.message.updated"
JID = re.compile(rf"^(?P<kind>[dg])-(?P<uid>{UUID_PATTERN})$")


# --- jids ----------------------------------------------------------------------------------------------------------


def user_jid(user_uid) -> str:
    return f"d-{user_uid}"


def group_jid(chat_uid) -> str:
    return f"g-{chat_uid}"


def chat_jid(chat: Chat, *, viewer_id: int) -> str:
    """A group's own jid; for a direct chat, the other party's jid as the viewer sees it (themself in a self-chat)."""
    if chat.kind == Chat.Kind.GROUP:
        return group_jid(chat.uid)
    participants = [p.user for p in chat.participations.all()]
    other = next((u for u in participants if u.pk != viewer_id), None) or participants[0]
    return user_jid(other.uid)


# --- chats ---------------------------------------------------------------------------------------------------------


def direct_key(user_a: User, user_b: User) -> str:
    low, high = sorted((user_a.pk, user_b.pk))
    return f"{low}:{high}"


def _direct_chat_find(*, team: Team, key: str) -> Chat | None:
    return Chat.objects.filter(team=team, direct_key=key).first()


def direct_chat_get_or_create(*, team: Team, user_a: User, user_b: User) -> Chat:
    """The team's direct chat between `user_a` and `user_b` (the same user twice: their own notes chat), opened by
    `user_a` if there is none yet. Race-safe: two concurrent callers meet on the unique (team, direct_key)
    constraint, and the loser reads the winner's chat."""
    key = direct_key(user_a, user_b)
    chat = _direct_chat_find(team=team, key=key)
    if chat is not None:
        return chat
    try:
        with transaction.atomic():  # a savepoint: an IntegrityError leaves the caller's transaction usable
            chat = Chat.objects.create(team=team, kind=Chat.Kind.DIRECT, direct_key=key, created_by=user_a)
            users = {user_a.pk: user_a, user_b.pk: user_b}
            ChatParticipant.objects.bulk_create([ChatParticipant(chat=chat, user=u) for u in users.values()])
    except IntegrityError:
        chat = _direct_chat_find(team=team, key=key)
        if chat is None:  # the IntegrityError was something else
            raise
    return chat


def chat_for_jid(*, team: Team, user: User, jid: str) -> Chat:
    """The chat `user` writes to when addressing `jid` in `team`: `d-<user uid>` of an active member of the team
    (their direct chat, opened on first use) or `g-<chat uid>` of a group chat of the team that `user` is in.
    Anything else that is well formed is a 404."""
    match = JID.match(jid or "")
    if match is None:
        raise ValidationFailed.for_field("to", "must be a jid: d-<uuid> or g-<uuid>")
    uid = uuid.UUID(match["uid"])
    if match["kind"] == "g":
        chat = Chat.objects.filter(team=team, kind=Chat.Kind.GROUP, uid=uid, participations__user=user).first()
        if chat is None:
            raise NotFoundError("No such chat.")
        return chat
    membership = (
        Membership.objects.active()
        .filter(team=team, user__uid=uid, user__is_active=True)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise NotFoundError("No such contact in this team.")
    return direct_chat_get_or_create(team=team, user_a=user, user_b=membership.user)


# --- messages ------------------------------------------------------------------------------------------------------


def _clean_content(content) -> dict:
    if not isinstance(content, dict):
        raise ValidationFailed.for_field("content", "must be an object")
    if content.get("type") not in CONTENT_TYPES:
        raise ValidationFailed.for_field("content.type", f"must be one of: {', '.join(CONTENT_TYPES)}")
    text = content.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValidationFailed.for_field("content.text", "must be a non-empty string")
    if len(text) > MESSAGE_TEXT_MAX:
        raise ValidationFailed.for_field("content.text", f"at most {MESSAGE_TEXT_MAX} characters")
    return {"text": text, "type": content["type"]}


@transaction.atomic
def chat_message_send(*, chat: Chat, sender: User, content: dict) -> ChatMessage:
    """Append a message from `sender` (a participant of `chat`) and announce it to every participant.

    The chat row is locked first, so concurrent sends to one chat line up: each message's `prev` is the message
    before it, and `gentime` only grows within the chat.
    """
    content = _clean_content(content)
    chat = Chat.objects.select_for_update(of=("self",)).get(pk=chat.pk)
    participant_ids = list(ChatParticipant.objects.filter(chat=chat).values_list("user_id", flat=True))
    if sender.pk not in participant_ids:
        raise NotFoundError("No such chat.")
    prev = ChatMessage.objects.filter(chat=chat).order_by("-created_at", "-id").only("id", "uid", "gentime").first()
    gentime = time.time_ns()
    if prev is not None and gentime <= prev.gentime:
        gentime = prev.gentime + 1
    message = ChatMessage.objects.create(
        chat=chat,
        sender=sender,
        content=content,
        text=content["text"],
        prev=prev,
        gentime=gentime,
        created_at=timezone.now(),
    )
    message = (
        ChatMessage.objects.select_related("chat", "sender", "prev")
        .prefetch_related("chat__participations__user")
        .get(pk=message.pk)
    )
    _publish(message, participant_ids)
    return message


@transaction.atomic
def chat_message_send_to(*, team: Team, sender: User, to: str, content: dict) -> ChatMessage:
    """Send `content` from `sender` to the jid `to` of `team` (see chat_for_jid). Bad content opens no chat."""
    content = _clean_content(content)
    chat = chat_for_jid(team=team, user=sender, jid=to)
    return chat_message_send(chat=chat, sender=sender, content=content)


def _publish(message: ChatMessage, participant_ids: list[int]) -> None:
    """A group's message reads the same for everyone: one event. A direct chat's `chat`/`to` jids depend on who
    reads them: one event per participant, each in that participant's view."""
    chat = message.chat
    if chat.kind == Chat.Kind.GROUP:
        viewers = [(participant_ids, message.sender_id)]
    else:
        viewers = [([user_id], user_id) for user_id in participant_ids]
    for recipient_ids, viewer_id in viewers:
        publish_event(
            name=MESSAGE_EVENT,
            team=chat.team,
            actor=message.sender,
            payload={"messages": [message_data(message, viewer_id=viewer_id)]},
            recipient_ids=recipient_ids,
        )


# --- the tada Message shape --------------------------------------------------------------------------------------


def _iso(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def message_data(message: ChatMessage, *, viewer_id: int) -> dict:
    """The tada Message as `viewer_id` sees it (seed 003 lines 2837–2872). Expects `chat`, `sender`, `prev` and
    `chat__participations__user` loaded."""
    chat = message.chat
    jid = chat_jid(chat, viewer_id=viewer_id)
    if chat.kind == Chat.Kind.GROUP:
        to = jid
    else:  # the recipient: the other party, as the sender sees it
        to = chat_jid(chat, viewer_id=message.sender_id) if message.sender_id else jid
    return {
        "chat": jid,
        "chat_type": chat.kind,
        "content": message.content,
        "created": _iso(message.created_at),
        "editable_until": _iso(message.created_at + datetime.timedelta(seconds=Team.MAX_MESSAGE_UPDATE_AGE)),
        "from": user_jid(message.sender.uid) if message.sender_id else None,
        "gentime": message.gentime,
        "message_id": str(message.uid),
        "prev": str(message.prev.uid) if message.prev_id else None,
        "to": to,
    }
