"""The inbox's rows of the write matrix (issue 15): configuring channels, webhooks, teams, assistants and labels is
for the company's managers (Action.CONFIGURE_INBOX); contacts, notes, lists, the blacklist, conversations,
comments, messages and scheduled replies are every agent's (any member); the providers' webhooks are public."""

import datetime

from django.utils import timezone

from accounts.services.credentials import api_key_create
from inbox.models import QrCode, ScheduledReply
from inbox.services import webhooks
from tests.inbox.factories import (
    AssistantFactory,
    ContactListFactory,
    ConversationFactory,
    InboxTeamFactory,
    LabelFactory,
    NoteFactory,
    approved_template,
    make_channel,
)
from tests.permissions.matrix import Write

CH = "channels/{inbox_channel}"
CO = "companies/{team_uid}"
CONV = CH + "/conversations/{inbox_contact}"

WRITES = [
    # --- configuration: the company's managers ---
    Write("inbox", "PATCH", CH, "manager", {"name": "Renamed", "priority": 2}),
    Write("inbox", "POST", CH + "/profile", "manager", {"about": "Hi"}),
    Write("inbox", "PATCH", CH + "/profile", "manager", {"businessProfile": {"description": "Shop"}}),
    Write("inbox", "POST", CH + "/qr-codes", "manager", {"message": "Hello"}),
    Write("inbox", "PATCH", CH + "/qr-codes/{inbox_qr}", "manager", {"message": "Changed"}),
    Write("inbox", "DELETE", CH + "/qr-codes/{inbox_qr}", "manager"),
    Write(
        "inbox", "POST", CH + "/templates", "manager", {"name": "hello", "language": "en", "category": "ACCOUNT_UPDATE"}
    ),
    Write("inbox", "DELETE", CH + "/templates/{inbox_template}", "manager"),
    Write("inbox", "PATCH", CH + "/automated-messages/GREETING", "manager", {"enabled": True}),
    Write("inbox", "POST", CH + "/webhooks", "manager", {"events": ["message"], "url": "https://hooks.example.com/in"}),
    Write("inbox", "PATCH", CH + "/webhooks/{inbox_webhook}", "manager", {"name": "Support"}),
    Write("inbox", "DELETE", CH + "/webhooks/{inbox_webhook}", "manager"),
    Write("inbox", "POST", CO + "/teams", "manager", {"name": "Sales"}),
    Write("inbox", "PATCH", CO + "/teams/{inbox_team}", "manager", {"color": 3}),
    Write("inbox", "DELETE", CO + "/teams/{inbox_team}", "manager"),
    Write("inbox", "PATCH", CO + "/assistants/{inbox_assistant}", "manager", {"description": "Helps"}),
    Write("inbox", "POST", CO + "/labels", "manager", {"name": "VIP"}),
    Write("inbox", "PATCH", CO + "/labels/{inbox_label}", "manager", {"priority": 1}),
    Write("inbox", "DELETE", CO + "/labels/{inbox_label}", "manager"),
    # --- answering customers: every agent ---
    Write("inbox", "POST", CH + "/contacts", "member", {"jid": "447900099999@sandbox.eazy.im", "name": "New"}),
    Write("inbox", "PATCH", CH + "/contacts/{inbox_contact}", "member", {"remarks": "VIP"}),
    Write("inbox", "POST", CH + "/contacts/blacklist/{inbox_contact}", "member"),
    Write("inbox", "DELETE", CH + "/contacts/blacklist/{inbox_contact}", "member"),
    Write("inbox", "POST", CH + "/lists/{inbox_list}/{inbox_contact}", "member"),
    Write("inbox", "DELETE", CH + "/lists/{inbox_list}/{inbox_contact}", "member"),
    Write("inbox", "POST", CH + "/contacts/{inbox_contact}/notes", "member", {"body": "Called back"}),
    Write("inbox", "POST", CH + "/contacts/{inbox_contact}/notes/{inbox_note}", "member", {"isPinned": True}),
    Write("inbox", "DELETE", CH + "/contacts/{inbox_contact}/notes/{inbox_note}", "member"),
    Write("inbox", "PATCH", CONV, "member", {"status": "CLOSED"}),
    Write("inbox", "POST", CONV + "/comments", "member", {"body": "Looked into it"}),
    Write("inbox", "DELETE", CONV + "/scheduled/{inbox_scheduled}", "member"),
    Write("inbox", "POST", CH + "/messages/{inbox_contact}", "member", {"message": {"type": "text", "body": "Hi"}}),
    # --- the networks' webhooks (signed by Meta; the sandbox's is the test customer) ---
    Write("inbox", "POST", "providers/whatsapp/{inbox_whatsapp_uid}", "public"),
    Write("inbox", "POST", "providers/sandbox/{inbox_channel_uid}", "public"),
]


def extend_world(world) -> dict:
    objects = world["objects"]
    team, owner = objects["team"], objects["owner"]
    channel = make_channel(team, name="Matrix sandbox")
    whatsapp = make_channel(team, kind="whatsapp", name="Matrix WhatsApp", wa_app_secret="secret")
    conversation = ConversationFactory(contact__channel=channel, last_message_received_at=timezone.now())
    contact = conversation.contact
    contact_list = ContactListFactory(channel=channel)
    note = NoteFactory(contact=contact)
    qr = QrCode.objects.create(channel=channel, code="MATRIXQR", message="Hi", url="https://sandbox.invalid/m")
    template = approved_template(channel, name="matrix_template")
    hook = webhooks.webhook_create(channel=channel, url="https://hooks.example.com/matrix", events=["message"])
    assistant = AssistantFactory(team=team, api_key=api_key_create(team=team, created_by=owner, name="bot")[0])
    scheduled = ScheduledReply.objects.create(
        team=team,
        conversation=conversation,
        message={"type": "text", "body": "Later"},
        run_at=timezone.now() + datetime.timedelta(hours=1),
        created_by=owner,
    )
    return {
        "inbox_channel": channel.jid,
        "inbox_channel_uid": str(channel.uid),
        "inbox_whatsapp_uid": str(whatsapp.uid),
        "inbox_contact": contact.jid,
        "inbox_list": contact_list.jid,
        "inbox_note": str(note.uid),
        "inbox_qr": qr.code,
        "inbox_template": template.name,
        "inbox_webhook": str(hook.uid),
        "inbox_team": InboxTeamFactory(team=team).jid,
        "inbox_assistant": assistant.jid,
        "inbox_label": LabelFactory(team=team, name="Urgent").jid,
        "inbox_scheduled": scheduled.uid,
    }
