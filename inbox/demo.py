"""The inbox part of `manage.py seed_demo` (make run): a sandbox channel (plays WhatsApp: the console or curl
plays the customer) and an SMS channel on a fictional number of the demo team, with a few customers, their
conversations (one outside the 24-hour window, one answered, one labelled and assigned), an approved template, a
quick reply, labels and an inbox team. Written through the services; nothing reaches a network."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from inbox.actors import Actor
from inbox.models import Channel, Conversation, QuickReply, Template, TemplateTranslation
from inbox.providers import ParsedEvent
from inbox.services import directory, inbound, sending
from inbox.services.channels import channel_create

SANDBOX_PHONE = "+15550100100"
SMS_PHONE = "+12025550142"  # NANP 555-01xx: fictional, never a real phone
CUSTOMERS = [
    ("+31612345001", "Anna de Vries", "Hi! My order #1042 has not arrived yet."),
    ("+31612345002", "Bram Jansen", "Can I change the delivery address?"),
    ("+31612345003", "Chloé Martin", "Thanks, all sorted."),
]


@dataclass(frozen=True)
class InboxDemo:
    sandbox: Channel
    sms: Channel | None


def inbox_demo_seed(*, team, owner_membership) -> InboxDemo:
    """Idempotent per team: nothing is added when the team already has a sandbox channel."""
    existing = Channel.objects.filter(team=team, kind=Channel.Kind.SANDBOX).first()
    if existing is not None:
        return InboxDemo(sandbox=existing, sms=Channel.objects.filter(team=team, kind=Channel.Kind.SMS).first())
    with transaction.atomic():
        sandbox = channel_create(team=team, kind="sandbox", name="Sandbox (WhatsApp)", phone=SANDBOX_PHONE)
        sms = _sms_channel(team)
        billing = directory.label_create(company=team, name="Billing")
        directory.label_create(company=team, name="Urgent")
        support = directory.team_create(company=team, name="Support")
        support.channels.set([c for c in (sandbox, sms) if c is not None])
        template = Template.objects.create(channel=sandbox, name="follow_up", category="ISSUE_RESOLUTION")
        TemplateTranslation.objects.create(
            template=template,
            language="en",
            components=[{"type": "BODY", "text": "Hello {{1}}, we are following up on your question. Reply here!"}],
            status=TemplateTranslation.Status.APPROVED,
        )
        QuickReply.objects.create(
            team=team, name="welcome", category="Welcome Message", message="Hi, thanks for writing! How can we help?"
        ).channels.add(sandbox)
    events = [
        ParsedEvent(
            "message",
            f"demo-{n}",
            {"from": phone.lstrip("+") + "@sandbox.eazy.im", "name": name, "message": {"type": "text", "body": body}},
        )  # fmt: skip
        for n, (phone, name, body) in enumerate(CUSTOMERS, start=1)
    ]
    if sms is not None:
        sms_event = {"from": "12025550177@sms.eazy.im", "name": "", "message": {"type": "text", "body": "Open today?"}}
        _process(sms, [ParsedEvent("message", "sms:demo-1", sms_event)])
    _process(sandbox, events)
    first, second, third = (
        Conversation.objects.get(contact__channel=sandbox, contact__jid=e.payload["from"]) for e in events
    )
    first.labels.add(billing)
    Conversation.objects.filter(pk=first.pk).update(assignee=owner_membership.user)
    # The third customer wrote two days ago: outside the window, only a template goes.
    Conversation.objects.filter(pk=third.pk).update(
        last_message_received_at=timezone.now() - datetime.timedelta(days=2), status=Conversation.Status.CLOSED
    )
    accepted = sending.message_send(
        channel=sandbox,
        contact_jid=second.contact.jid,
        message={"type": "text", "body": "Sure, send us the new address and we'll update it."},
        actor=Actor(membership=owner_membership),
    )
    sending.message_deliver(message_id=second.messages.get(uid=accepted.id).pk)
    return InboxDemo(sandbox=sandbox, sms=sms)


def _sms_channel(team) -> Channel | None:
    from messaging.models import TextAccount, TextNumber

    account = TextAccount.objects.filter(team=team).order_by("id").first()
    if account is None:
        return None
    number = TextNumber.objects.create(account=account, phone_number=SMS_PHONE, notes="Demo number (fictional)")
    return channel_create(team=team, kind="sms", name="SMS line", sms_number=number)


def _process(channel: Channel, events: list[ParsedEvent]) -> None:
    """Store and process at once, so the demo is complete before a worker runs (the worker's copy finds them done)."""
    for event_id in inbound.events_receive(channel_id=channel.pk, events=events):
        inbound.event_process(event_id=event_id)
