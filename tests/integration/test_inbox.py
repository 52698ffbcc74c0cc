"""Issue 15 end to end with a real worker (Redis): an inbound sandbox message reaches a local webhook receiver once,
with a valid signature; a reply inside the window is delivered and its receipt events arrive; a reply outside the
window is 1015, or goes as the fallback template when asked."""

import datetime
import json
import os
import time

import pytest
from django.utils import timezone

from inbox.models import Conversation, InboxMessage
from inbox.services import webhooks as inbox_webhooks
from messaging.models import WebhookDelivery
from tests.inbox.factories import approved_template, make_channel

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="integration: REDIS_URL is unset (a real worker needs Redis)"
    ),
    pytest.mark.django_db(transaction=True),
]


def _events(receiver, hook) -> list[dict]:
    return [r.verified_with(hook.cipher_key) for r in receiver.requests]


def test_inbound_reply_receipts_and_the_window(client, bearer_client, team, celery_worker, webhook_receiver):
    channel = make_channel(team, name="Sandbox")
    approved_template(channel, name="support_after_24hours", text="Hello {{1}}, we are back.")
    hook = inbox_webhooks.webhook_create(
        channel=channel, url=f"{webhook_receiver.url}/inbox", events=["message", "receipt"], headers={"X-Env": "it"}
    )
    inbound = {"id": "it-1", "from": "+31612345678", "name": "Ann", "message": {"type": "text", "body": "Hi!"}}
    for _ in range(2):  # the provider retries: stored and told once
        assert client.post(f"/inbox/v3/providers/sandbox/{channel.uid}", inbound, format="json").status_code == 200

    celery_worker.wait_for(lambda: webhook_receiver.requests, what="the message event")
    time.sleep(1)  # a second delivery, if one were wrongly queued, would have had time to arrive
    [message_event] = _events(webhook_receiver, hook)
    assert message_event["type"] == "message"
    assert message_event["from"] == {"jid": "31612345678@sandbox.eazy.im", "name": "Ann"}
    assert message_event["message"]["body"] == "Hi!"
    assert webhook_receiver.requests[0].headers["X-Env"] == "it"
    conversation = Conversation.objects.get()
    assert conversation.messages_received == 1

    # a reply inside the window: delivered, its receipts (sent, delivered) arrive in order
    path = f"/inbox/v3/channels/{channel.jid}/messages/{conversation.contact.jid}"
    reply = bearer_client.post(path, {"message": {"type": "text", "body": "Hello Ann"}}, format="json")
    assert reply.status_code == 202, reply.content
    reply_id = reply.json()["id"]
    celery_worker.wait_for(
        lambda: InboxMessage.objects.get(uid=reply_id).status == "delivered", what="the reply delivered"
    )
    celery_worker.wait_for(lambda: len(webhook_receiver.requests) == 3, what="both receipts")
    receipts = [e["receipt"] for e in _events(webhook_receiver, hook)[1:]]
    assert receipts == [
        {"id": reply_id, "status": "sent", "error": None},
        {"id": reply_id, "status": "delivered", "error": None},
    ]

    # outside the window: 1015, or the fallback template when asked
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_received_at=timezone.now() - datetime.timedelta(hours=25)
    )
    late = bearer_client.post(path, {"message": {"type": "text", "body": "Still there?"}}, format="json")
    assert late.status_code == 422
    assert late.json()["error"]["code"] == 1015
    fallback = {"name": "support_after_24hours", "parameters": ["Ann"]}
    body = {"message": {"type": "text", "body": "Still there?"}, "fallbackTemplate": fallback}
    templated = bearer_client.post(path, body, format="json")
    assert templated.status_code == 202, templated.content
    celery_worker.wait_for(
        lambda: InboxMessage.objects.get(uid=templated.json()["id"]).status == "delivered", what="the template"
    )
    sent = InboxMessage.objects.get(uid=templated.json()["id"])
    assert sent.type == "template"
    assert sent.content["rendered"] == "Hello Ann, we are back."
    celery_worker.wait_for(
        lambda: not WebhookDelivery.objects.exclude(status=WebhookDelivery.Status.DELIVERED).exists(),
        what="every delivery finished",
    )
    assert json.loads(webhook_receiver.requests[-1].body)["receipt"]["id"] == templated.json()["id"]
    assert InboxMessage.objects.filter(direction="in").count() == 1
