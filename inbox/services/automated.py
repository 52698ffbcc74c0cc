"""Automated messages (spec/inbox.md "Automated Messages"; the trigger rules are not documented, so Crewdesk's
are): GREETING answers the first message of a new conversation; AWAY answers a message that opens or reopens a
conversation while no agent of the company is online (accounts.presence: seen within 5 minutes). Each only when
enabled; both go out like any message (echo, receipts), sent by nobody (`agent` null)."""

from django.db import transaction
from django.utils import timezone

from accounts.agents import agent_memberships
from accounts.presence import Presence, presence_of
from core.exceptions import ValidationFailed
from inbox.actors import SYSTEM
from inbox.models import AutomatedMessage, Channel, Conversation


def anyone_online(team) -> bool:
    now = timezone.now()
    return any(presence_of(m.user.last_seen_at, now=now) == Presence.ONLINE for m in agent_memberships(team=team))


def after_inbound(*, conversation: Conversation, new: bool, reopened: bool) -> list[str]:
    from inbox.services.sending import message_queue

    wanted = []
    if new:
        wanted.append(AutomatedMessage.Type.GREETING)
    if reopened and not anyone_online(conversation.channel.team):
        wanted.append(AutomatedMessage.Type.AWAY)
    if not wanted:
        return []
    enabled = {
        m.type: m
        for m in AutomatedMessage.objects.filter(channel_id=conversation.channel_id, type__in=wanted, enabled=True)
    }
    sent = []
    for kind in wanted:
        if kind in enabled and enabled[kind].body.strip():
            message_queue(conversation=conversation, message={"type": "text", "body": enabled[kind].body}, actor=SYSTEM)
            sent.append(kind)
    return sent


def automated_defaults(channel: Channel) -> None:
    """Both types exist for every channel (disabled, with a default text), so GET lists them from the start."""
    for kind in AutomatedMessage.Type.values:
        AutomatedMessage.objects.get_or_create(
            channel=channel, type=kind, defaults={"body": AutomatedMessage.DEFAULT_BODIES[kind]}
        )


@transaction.atomic
def automated_update(*, channel: Channel, type: str, body=None, enabled=None) -> AutomatedMessage:
    automated_defaults(channel)
    message = AutomatedMessage.objects.select_for_update().get(channel=channel, type=type)
    if body is not None:
        if not isinstance(body, str):
            raise ValidationFailed.for_field("body", "A string.")
        message.body = body
    if enabled is not None:
        message.enabled = bool(enabled)
    message.save()
    return message
