"""Scheduled replies: the beat job claims each due row exactly once and sends it with the id given when it was
scheduled; the window is checked again at send time (fallback template, or a failed message with that id)."""

import datetime

import pytest
from django.utils import timezone

from inbox.models import InboxMessage, ScheduledReply
from inbox.services import scheduled
from inbox.services import webhooks as inbox_webhooks
from tests.inbox.conftest import url
from tests.inbox.factories import approved_template

pytestmark = pytest.mark.django_db


def schedule(client, channel, conversation, **body):
    later = (timezone.now() + datetime.timedelta(minutes=30)).isoformat()
    payload = {"message": {"type": "text", "body": "Did it arrive?"}, "sendAt": later, **body}
    response = client.post(url(f"channels/{channel.jid}/messages/{conversation.contact.jid}"), payload, format="json")
    assert response.status_code == 202, response.content
    return response.json()["id"]


def due(reply_id: str) -> None:
    ScheduledReply.objects.filter(uid=reply_id).update(run_at=timezone.now() - datetime.timedelta(seconds=1))


def test_a_due_reply_is_sent_once_with_its_id(bearer_client, channel, conversation, django_capture_on_commit_callbacks):
    reply_id = schedule(bearer_client, channel, conversation)
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduled.replies_dispatch_due() == 0  # not due yet
        due(reply_id)
        assert scheduled.replies_dispatch_due() == 1
        assert scheduled.replies_dispatch_due() == 0  # a second dispatcher finds nothing
    message = InboxMessage.objects.get(uid=reply_id)
    assert message.content == {"body": "Did it arrive?"}
    assert message.status == "delivered"
    reply = ScheduledReply.objects.get(uid=reply_id)
    assert reply.status == "sent"
    assert reply.sent_message == message


def test_a_claimed_reply_is_never_sent_twice(bearer_client, channel, conversation):
    reply_id = schedule(bearer_client, channel, conversation)
    due(reply_id)
    pk = ScheduledReply.objects.get(uid=reply_id).pk
    assert scheduled.reply_send(reply_id=pk) == "sent"
    assert scheduled.reply_send(reply_id=pk) == "gone"
    assert InboxMessage.objects.filter(uid=reply_id).count() == 1


def test_outside_the_window_it_goes_as_its_fallback(bearer_client, channel, conversation):
    approved_template(channel)
    fallback = {"name": "support_after_24hours", "parameters": ["Ann"]}
    reply_id = schedule(bearer_client, channel, conversation, fallbackTemplate=fallback)
    conversation.last_message_received_at = timezone.now() - datetime.timedelta(days=2)
    conversation.save()
    due(reply_id)
    scheduled.replies_dispatch_due()
    message = InboxMessage.objects.get(uid=reply_id)
    assert message.type == "template"
    assert message.fallback_template is True


def test_outside_the_window_without_fallback_it_fails_with_a_receipt(
    bearer_client, channel, conversation, webhook_receiver, django_capture_on_commit_callbacks
):
    hook = inbox_webhooks.webhook_create(channel=channel, url=webhook_receiver.url, events=["receipt"])
    reply_id = schedule(bearer_client, channel, conversation)
    conversation.last_message_received_at = timezone.now() - datetime.timedelta(days=2)
    conversation.save()
    due(reply_id)
    with django_capture_on_commit_callbacks(execute=True):
        scheduled.replies_dispatch_due()
    reply = ScheduledReply.objects.get(uid=reply_id)
    assert reply.status == "failed"
    assert reply.reason == "Customer care window expired"
    assert InboxMessage.objects.get(uid=reply_id).status == "failed"
    receipt = webhook_receiver.requests[0].verified_with(hook.cipher_key)["receipt"]
    assert receipt["id"] == reply_id
    assert receipt["status"] == "failed"
    assert receipt["error"] == "WINDOW_EXPIRED: Customer care window expired"


def test_a_contact_blocked_meanwhile_gets_nothing(bearer_client, channel, conversation):
    reply_id = schedule(bearer_client, channel, conversation)
    conversation.contact.blacklisted_at = timezone.now()
    conversation.contact.save()
    due(reply_id)
    scheduled.replies_dispatch_due()
    assert ScheduledReply.objects.get(uid=reply_id).status == "failed"
    assert InboxMessage.objects.get(uid=reply_id).status == "failed"
