"""The world the inbox contract test calls into, and how each documented call is made in it: the path's
placeholders filled with its objects, and the document's request sample adapted where it cannot work as written
(its JIDs are on `company.com`, its template `components` is the string "string", its assignee and label name
nobody)."""

import datetime

from django.utils import timezone

from inbox.models import QrCode
from inbox.services import webhooks
from tests.inbox.factories import (
    AssistantFactory,
    ContactListFactory,
    ConversationFactory,
    InboxTeamFactory,
    LabelFactory,
    NoteFactory,
    QuickReplyFactory,
    approved_template,
    make_channel,
)


def build_world(team, owner) -> dict:
    channel = make_channel(team, name="WhatsApp sandbox")
    label = LabelFactory(team=team, name="Urgent")
    conversation = ConversationFactory(
        contact__channel=channel,
        assignee=owner,
        unread_count=5,
        messages_received=12,
        messages_sent=8,
        last_message_sent_at=timezone.now() - datetime.timedelta(hours=1),
    )
    conversation.labels.add(label)
    contact = conversation.contact
    note = NoteFactory(contact=contact)
    inbox_team = InboxTeamFactory(team=team, color=8)
    inbox_team.channels.add(channel)
    inbox_team.members.add(team.memberships.get(user=owner))
    assistant = AssistantFactory(team=team, color=8)
    QrCode.objects.create(
        channel=channel, code="VETO8Y3SYCSFH1", message="Hi", url="https://sandbox.invalid/message/VETO8Y3SYCSFH1"
    )
    approved_template(channel, name="delivery_notification", text="Hello {{1}}, order {{2}} delivered.")
    hook = webhooks.webhook_create(
        channel=channel, url="https://your.company.com/webhook", events=["message"], assistant=assistant
    )
    QuickReplyFactory(team=team).channels.add(channel)
    return {
        "channel": channel,
        "contact": contact,
        "label": label,
        "note": note,
        "list": ContactListFactory(channel=channel, remarks="Support"),
        "inbox_team": inbox_team,
        "assistant": assistant,
        "webhook": hook,
        "owner": owner,
        "team": team,
    }


def call(entry: dict, world: dict) -> tuple[str, dict | None]:
    """(path after /inbox/v3, body) of a documented call."""
    path, method = entry["path"], entry["method"]
    jid = {"teams": world["inbox_team"].jid, "assistants": world["assistant"].jid, "labels": world["label"].jid}
    resource = path.split("/")[3] if path.startswith("/companies/{companyId}/") and path.count("/") > 3 else ""
    values = {
        "{companyId}": str(world["team"].uid),
        "{channelJid}": world["channel"].jid,
        "{contactJid}": world["contact"].jid,
        "{listJid}": world["list"].jid,
        "{code}": "VETO8Y3SYCSFH1",
        "{name}": "delivery_notification",
        "{type}": "AWAY",
        "{email}": world["owner"].email,
        "{jid}": jid.get(resource, ""),
        "{id}": _id(path, world),
    }
    for placeholder, value in values.items():
        path = path.replace(placeholder, value)
    body = entry.get("request_sample")
    body = _adapt(entry["path"], method, body, world)
    if "/unread" in path:
        path += f"?agent={world['owner'].email}"
    return path, body


def _id(path: str, world: dict) -> str:
    if "/notes/" in path:
        return str(world["note"].uid)
    if "/webhooks/" in path:
        return str(world["webhook"].uid)
    return str(world["team"].uid)


def _adapt(path: str, method: str, body, world):
    channel = world["channel"]
    if path == "/channels/{channelJid}/contacts" and method == "POST":
        return {**body, "jid": f"31611111111@{channel.jid.split('@')[1]}"}
    if path == "/channels/{channelJid}/conversations/{contactJid}" and method == "PATCH":
        return {**body, "assignee": world["owner"].email, "label": world["label"].jid}
    if path == "/channels/{channelJid}/templates" and method == "POST":
        return {**body, "components": [{"type": "BODY", "text": "We answer within {{1}} hours."}]}
    if path == "/channels/{channelJid}/webhooks" and method == "POST":
        return {**body, "assistant": world["assistant"].jid}
    return body
