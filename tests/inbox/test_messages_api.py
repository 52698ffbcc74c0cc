"""POST /channels/{channelJid}/messages/{contactJid}: 202 + Celery, receipts, and the documented refusals."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services.credentials import api_key_create
from inbox.models import Conversation, InboxMessage
from inbox.services import webhooks as inbox_webhooks
from tests.inbox.conftest import url
from tests.inbox.factories import AssistantFactory, ConversationFactory, approved_template

pytestmark = pytest.mark.django_db


def send(client, channel, contact_jid, body, **extra):
    return client.post(url(f"channels/{channel.jid}/messages/{contact_jid}"), body, format="json", **extra)


def test_send_text_inside_the_window_is_accepted_sent_and_delivered(
    bearer_client, channel, conversation, django_capture_on_commit_callbacks
):
    # given a customer who wrote a minute ago
    contact = conversation.contact
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = send(bearer_client, channel, contact.jid, {"message": {"type": "text", "body": "Hello world"}})
    # then
    assert response.status_code == 202, response.content
    message = InboxMessage.objects.get(uid=response.json()["id"])
    assert message.direction == "out"
    assert message.content == {"body": "Hello world"}
    assert message.status == InboxMessage.Status.DELIVERED  # the sandbox sent it, then reported it delivered
    conversation.refresh_from_db()
    assert conversation.messages_sent == 1
    assert conversation.last_message_sent_at is not None
    assert conversation.unread_count is None  # the agent who answered has read it


def test_send_emits_echo_then_receipts_signed_with_the_cipher_key(
    bearer_client, channel, conversation, webhook_receiver, django_capture_on_commit_callbacks
):
    hook = inbox_webhooks.webhook_create(
        channel=channel, url=f"{webhook_receiver.url}/in", events=["echo", "receipt"], headers={"X-Tenant": "acme"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = send(bearer_client, channel, conversation.contact.jid, {"message": {"type": "text", "body": "Hi"}})
    assert response.status_code == 202
    bodies = [r.verified_with(hook.cipher_key) for r in webhook_receiver.requests]
    assert [b["type"] for b in bodies] == ["echo", "receipt", "receipt"]
    assert bodies[0]["message"] == {"id": response.json()["id"], "body": "Hi", "type": "text"}
    assert bodies[0]["from"]["jid"] == channel.jid
    assert bodies[0]["to"] == conversation.contact.jid
    assert [b["receipt"]["status"] for b in bodies[1:]] == ["sent", "delivered"]
    assert {b["receipt"]["id"] for b in bodies[1:]} == {response.json()["id"]}
    assert all(r.headers["X-Tenant"] == "acme" for r in webhook_receiver.requests)


def test_send_to_a_new_contact_opens_its_conversation_outside_the_window(bearer_client, channel):
    # a contact who never wrote: only a template may go to them
    response = send(bearer_client, channel, "447900000001@sandbox.eazy.im", {"message": {"type": "text", "body": "x"}})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == 1015


def test_send_outside_the_window_is_1015(bearer_client, channel):
    stale = ConversationFactory(
        contact__channel=channel, last_message_received_at=timezone.now() - datetime.timedelta(hours=25)
    )
    response = send(bearer_client, channel, stale.contact.jid, {"message": {"type": "text", "body": "late"}})
    assert response.status_code == 422
    assert response.json()["error"] == {"code": 1015, "message": "Customer care window expired"}
    assert not InboxMessage.objects.exists()


def test_send_outside_the_window_goes_as_the_fallback_template(
    bearer_client, channel, django_capture_on_commit_callbacks
):
    approved_template(channel)
    stale = ConversationFactory(
        contact__channel=channel, last_message_received_at=timezone.now() - datetime.timedelta(hours=25)
    )
    body = {
        "message": {"type": "text", "body": "late"},
        "fallbackTemplate": {"name": "support_after_24hours", "parameters": ["Ann"]},
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = send(bearer_client, channel, stale.contact.jid, body)
    assert response.status_code == 202, response.content
    assert response.json()["fallback"] is True
    message = InboxMessage.objects.get(uid=response.json()["id"])
    assert message.type == "template"
    assert message.fallback_template
    assert message.content["rendered"] == "Hello Ann, we are back."
    assert message.status == InboxMessage.Status.DELIVERED


def test_send_a_template_outside_the_window(bearer_client, channel, django_capture_on_commit_callbacks):
    approved_template(channel, name="ticket", text="Ticket {{1}} is {{2}}.")
    message = {"type": "template", "template": {"name": "ticket", "language": "en", "parameters": ["7", "closed"]}}
    with django_capture_on_commit_callbacks(execute=True):
        response = send(bearer_client, channel, "447900000002@sandbox.eazy.im", {"message": message})
    assert response.status_code == 202, response.content
    sent = InboxMessage.objects.get(uid=response.json()["id"])
    assert sent.content["rendered"] == "Ticket 7 is closed."
    assert Conversation.objects.get(contact__jid="447900000002@sandbox.eazy.im").messages_sent == 1


@pytest.mark.parametrize(
    ("template", "code"),
    [
        ({"name": "nope"}, 1006),
        ({"name": "ticket", "parameters": ["only one"]}, 1013),
        ({"name": "ticket", "language": "de", "parameters": ["1", "2"]}, 1006),
    ],
)
def test_send_template_errors(bearer_client, channel, conversation, template, code):
    approved_template(channel, name="ticket", text="Ticket {{1}} is {{2}}.")
    response = send(
        bearer_client, channel, conversation.contact.jid, {"message": {"type": "template", "template": template}}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize(
    ("message", "code", "field"),
    [
        ({"type": "text"}, 1005, "message.body"),
        ({"type": "smoke", "body": "x"}, 1005, "message.type"),
        ({"type": "document", "mimeType": "application/pdf", "title": "T"}, 1005, "message.fileName"),
        ({"type": "image", "mimeType": "image/png"}, 1008, None),
        ({"type": "location", "latitude": "north", "longitude": 4}, 1005, "message.latitude"),
    ],
)
def test_send_validates_the_message_by_type(bearer_client, channel, conversation, message, code, field):
    response = send(bearer_client, channel, conversation.contact.jid, {"message": message})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    if field:
        assert error["message"].startswith(field)
    assert "traceId" in response.json()


def test_send_media_by_url(bearer_client, channel, conversation, django_capture_on_commit_callbacks):
    message = {"type": "image", "mimeType": "image/png", "url": "https://cdn.example.com/a.png", "caption": "Look"}
    with django_capture_on_commit_callbacks(execute=True):
        response = send(bearer_client, channel, conversation.contact.jid, {"message": message})
    assert response.status_code == 202
    assert InboxMessage.objects.get(uid=response.json()["id"]).content == {
        "mimeType": "image/png",
        "caption": "Look",
        "url": "https://cdn.example.com/a.png",
    }


def test_send_to_a_blacklisted_contact_is_1011(bearer_client, channel, conversation):
    conversation.contact.blacklisted_at = timezone.now()
    conversation.contact.save()
    response = send(bearer_client, channel, conversation.contact.jid, {"message": {"type": "text", "body": "Hi"}})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == 1011


def test_an_assistant_writing_into_a_conversation_it_does_not_own_is_1010(team, owner, channel, conversation):
    key = api_key_create(team=team, created_by=owner, name="bot")
    AssistantFactory(team=team, api_key=key[0])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key[1]}")
    response = send(client, channel, conversation.contact.jid, {"message": {"type": "text", "body": "Hi"}})
    assert response.status_code == 403
    assert response.json()["error"] == {"code": 1010, "message": "Assistant has no ownership of conversation"}


def test_an_assistant_writes_into_its_own_conversation(team, owner, channel, django_capture_on_commit_callbacks):
    key, secret = api_key_create(team=team, created_by=owner, name="bot")
    assistant = AssistantFactory(team=team, api_key=key)
    mine = ConversationFactory(contact__channel=channel, assignee_assistant=assistant)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, channel, mine.contact.jid, {"message": {"type": "text", "body": "Bot here"}})
    assert response.status_code == 202
    sent = InboxMessage.objects.get(uid=response.json()["id"])
    assert sent.sender == "assistant"
    assert sent.sent_by_assistant == assistant


def test_send_unauthenticated_is_1001(client, channel, conversation):
    response = send(client, channel, conversation.contact.jid, {"message": {"type": "text", "body": "Hi"}})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == 1001


def test_send_on_another_companys_channel_is_1009(outsider_bearer_client, channel, conversation):
    response = send(
        outsider_bearer_client, channel, conversation.contact.jid, {"message": {"type": "text", "body": "Hi"}}
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == 1009
    assert not InboxMessage.objects.exists()


def test_send_with_an_invalid_contact_jid_is_1005(bearer_client, channel):
    response = send(bearer_client, channel, "not-a-jid", {"message": {"type": "text", "body": "Hi"}})
    assert response.status_code == 400
    assert response.json()["error"] == {"code": 1005, "message": "Jid is invalid"}


def test_a_kind_without_adapter_answers_1003(bearer_client, team):
    from tests.inbox.factories import make_channel

    messenger = make_channel(team, kind="messenger", name="Messenger")
    response = send(bearer_client, messenger, "someone@messenger.eazy.im", {"message": {"type": "text", "body": "Hi"}})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == 1003


def test_free_form_json_is_bounded(bearer_client, channel, conversation):
    contacts = [{"name": {"formatted_name": "A"}, "id": 2**60}]  # beyond I-JSON's safe integers
    response = send(
        bearer_client, channel, conversation.contact.jid, {"message": {"type": "contact", "contacts": contacts}}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == 1005
