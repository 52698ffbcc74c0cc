"""factory_boy factories of the inbox (channels are made by the service, which also makes their automated
messages and JID)."""

import itertools

import factory
from django.utils import timezone

from inbox import jids
from inbox.models import (
    Assistant,
    Contact,
    ContactList,
    Conversation,
    InboxTeam,
    Label,
    Note,
    QuickReply,
    Template,
    TemplateTranslation,
)
from inbox.services.channels import channel_create

_phones = itertools.count(1)


def make_channel(team, *, kind="sandbox", name="Sandbox", **fields):
    """A channel through the service (JID, automated messages): a fresh fictional number unless given."""
    if kind in ("sandbox", "whatsapp") and "phone" not in fields:
        fields["phone"] = f"+3161{next(_phones):07d}"
    if kind not in ("sandbox", "whatsapp", "sms") and "local" not in fields:
        fields["local"] = f"page{next(_phones)}"
    return channel_create(team=team, kind=kind, name=name, **fields)


def contact_jid(channel, n: int | None = None) -> str:
    return jids.phone_jid(f"+4479{n if n is not None else next(_phones):08d}", kind=channel.kind)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    jid = factory.LazyAttribute(lambda o: contact_jid(o.channel))
    name = factory.Faker("name")


class ConversationFactory(factory.django.DjangoModelFactory):
    """A conversation whose customer wrote a minute ago (inside the 24-hour window)."""

    class Meta:
        model = Conversation

    contact = factory.SubFactory(ContactFactory)
    channel = factory.LazyAttribute(lambda o: o.contact.channel)
    team = factory.LazyAttribute(lambda o: o.contact.channel.team)
    messages_received = 1
    unread_count = 1
    last_message_received_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(minutes=1))


class LabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Label

    name = factory.Sequence(lambda n: f"Label {n}")
    jid = factory.LazyFunction(lambda: jids.new_jid("label"))


class InboxTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InboxTeam

    name = factory.Sequence(lambda n: f"Support {n}")
    jid = factory.LazyFunction(lambda: jids.new_jid("team"))


class AssistantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assistant

    name = factory.Sequence(lambda n: f"Bot {n}")
    description = "Sales assistant"
    jid = factory.LazyFunction(lambda: jids.new_jid("assistant"))


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    body = "Return order received"
    reference_id = "CUSTOMER_NUMBER"
    created_by = "agent@example.com"


class ContactListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactList

    name = factory.Sequence(lambda n: f"List {n}")
    jid = factory.LazyFunction(lambda: jids.new_jid("list"))


class QuickReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuickReply

    name = factory.Sequence(lambda n: f"reply-{n}")
    category = "Welcome Message"
    message = "Hi {{1}}, how can we help you?"


def approved_template(channel, *, name="support_after_24hours", text="Hello {{1}}, we are back.", language="en"):
    template, _ = Template.objects.get_or_create(channel=channel, name=name, defaults={"category": "TICKET_UPDATE"})
    TemplateTranslation.objects.create(
        template=template,
        language=language,
        components=[{"type": "BODY", "text": text}],
        status=TemplateTranslation.Status.APPROVED,
    )
    return template
