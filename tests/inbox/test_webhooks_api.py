"""A channel's webhooks: CRUD for the company's managers, and how events reach them through the outbox — the event
itself as the body, signed with the webhook's cipherKey, its headers sent along, in order per conversation, retried
with backoff for the inbox's bounded time, replayable."""

import datetime
import json

import pytest
from django.utils import timezone

from inbox.models import InboxWebhook
from inbox.services import webhooks as inbox_webhooks
from messaging.models import WebhookDelivery
from messaging.services import webhooks as outbox
from tests.inbox.conftest import assert_error, url
from tests.inbox.factories import AssistantFactory, ConversationFactory

pytestmark = pytest.mark.django_db


def test_webhook_create_list_patch_delete(bearer_client, team, channel):
    assistant = AssistantFactory(team=team)
    body = {"events": ["message", "receipt"], "url": "https://hooks.example.com/in",
            "headers": {"Authorization": "Basic eDp5"}, "assistant": assistant.jid}  # fmt: skip
    created = bearer_client.post(url(f"channels/{channel.jid}/webhooks"), body, format="json")
    assert created.status_code == 201, created.content
    hook = created.json()
    assert hook["cipherKey"].startswith("whsec_")
    assert hook["enabled"] is True
    assert hook["assistant"] == assistant.jid
    assert hook["headers"] == {"Authorization": "Basic eDp5"}
    assert [h["id"] for h in bearer_client.get(url(f"channels/{channel.jid}/webhooks")).json()] == [hook["id"]]
    path = url(f"channels/{channel.jid}/webhooks/{hook['id']}")
    patched = bearer_client.patch(path, {"name": "Support", "enabled": False, "assistant": None}, format="json")
    assert patched.json()["name"] == "Support"
    assert patched.json()["enabled"] is False
    assert patched.json()["assistant"] is None
    assert bearer_client.delete(path).status_code == 204
    assert not InboxWebhook.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"events": ["message"]},
        {"events": ["message"], "url": "http://hooks.example.com/in"},  # not https
        {"events": ["message"], "url": "https://10.0.0.5/in"},  # a private address
        {"events": ["gossip"], "url": "https://hooks.example.com/in"},
        {"events": ["message"], "url": "https://hooks.example.com/in", "headers": {"webhook-signature": "x"}},
        {"events": ["message"], "url": "https://hooks.example.com/in", "assistant": "nobody@assistant.eazy.im"},
    ],
)
def test_webhook_create_validates(bearer_client, channel, body):
    assert_error(bearer_client.post(url(f"channels/{channel.jid}/webhooks"), body, format="json"), 400, 1005)
    assert not InboxWebhook.objects.exists()


def test_webhooks_are_for_managers(member_client, channel):
    assert_error(member_client.get(url(f"channels/{channel.jid}/webhooks")), 403, 1002)


@pytest.mark.parametrize("size", [2, 12])
def test_webhook_list_query_count_is_constant(bearer_client, team, channel, size, django_assert_max_num_queries):
    assistant = AssistantFactory(team=team)
    for _ in range(size):
        inbox_webhooks.webhook_create(
            channel=channel, url="https://hooks.example.com/in", events=["message"], assistant=assistant
        )
    with django_assert_max_num_queries(6):
        assert len(bearer_client.get(url(f"channels/{channel.jid}/webhooks")).json()) == size


# --- delivery -----------------------------------------------------------------------------------------------------


def _inbound(client, channel, n: int, sender: str = "+31612345678"):
    return client.post(
        url(f"providers/sandbox/{channel.uid}"), {"id": f"m{n}", "from": sender, "message": f"#{n}"}, format="json"
    )


def test_events_of_a_conversation_wait_for_the_earlier_ones(
    client, channel, webhook_receiver, django_capture_on_commit_callbacks
):
    hook = inbox_webhooks.webhook_create(channel=channel, url=webhook_receiver.url, events=["message"])
    webhook_receiver.statuses = [503]  # the first delivery fails once
    with django_capture_on_commit_callbacks(execute=True):
        _inbound(client, channel, 1)
        _inbound(client, channel, 2)
    first, second = WebhookDelivery.objects.order_by("id")
    assert first.status == "pending"  # to be retried with backoff
    assert second.status == "pending"  # waiting for the first, not sent ahead of it
    assert first.raw_body is True
    assert abs(first.give_up_at - first.created_at - datetime.timedelta(days=3)) < datetime.timedelta(seconds=1)
    assert first.ordering_key == second.ordering_key
    WebhookDelivery.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.webhook_deliver(delivery_id=first.pk) == "delivered"  # wakes the second
    bodies = [r.verified_with(hook.cipher_key)["message"]["body"] for r in webhook_receiver.requests]
    assert bodies == ["#1", "#1", "#2"]  # the failed try, its retry, then the next in order


def test_another_conversation_is_not_held_up(client, channel, webhook_receiver, django_capture_on_commit_callbacks):
    inbox_webhooks.webhook_create(channel=channel, url=webhook_receiver.url, events=["message"])
    webhook_receiver.statuses = [500]
    with django_capture_on_commit_callbacks(execute=True):
        _inbound(client, channel, 1, sender="+31600000001")
        _inbound(client, channel, 2, sender="+31600000002")
    assert [json.loads(r.body)["message"]["body"] for r in webhook_receiver.requests] == ["#1", "#2"]
    assert WebhookDelivery.objects.get(payload__message__body="#2").status == "delivered"


def test_only_subscribed_and_enabled_webhooks_get_events(
    client, channel, webhook_receiver, django_capture_on_commit_callbacks
):
    inbox_webhooks.webhook_create(channel=channel, url=f"{webhook_receiver.url}/receipts", events=["receipt"])
    off = inbox_webhooks.webhook_create(channel=channel, url=f"{webhook_receiver.url}/off", events=["message"])
    inbox_webhooks.webhook_update(webhook=off, enabled=False)
    on = inbox_webhooks.webhook_create(channel=channel, url=f"{webhook_receiver.url}/on", events=["message"])
    with django_capture_on_commit_callbacks(execute=True):
        _inbound(client, channel, 1)
    assert [r.path for r in webhook_receiver.requests] == ["/on"]
    assert webhook_receiver.requests[0].verified_with(on.cipher_key)["type"] == "message"


def test_a_webhook_tied_to_an_assistant_hears_only_its_conversations(
    client, team, channel, webhook_receiver, django_capture_on_commit_callbacks
):
    assistant = AssistantFactory(team=team)
    inbox_webhooks.webhook_create(channel=channel, url=webhook_receiver.url, events=["message"], assistant=assistant)
    ConversationFactory(
        contact__channel=channel, contact__jid="31600000001@sandbox.eazy.im", assignee_assistant=assistant
    )
    with django_capture_on_commit_callbacks(execute=True):
        _inbound(client, channel, 1, sender="+31600000001")
        _inbound(client, channel, 2, sender="+31600000002")
    assert [json.loads(r.body)["message"]["body"] for r in webhook_receiver.requests] == ["#1"]


def test_a_delivery_is_replayed_with_the_same_body(
    client, channel, webhook_receiver, django_capture_on_commit_callbacks
):
    hook = inbox_webhooks.webhook_create(channel=channel, url=webhook_receiver.url, events=["message"])
    with django_capture_on_commit_callbacks(execute=True):
        _inbound(client, channel, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.webhook_replay(delivery=WebhookDelivery.objects.get()) is True
    first, again = webhook_receiver.requests
    assert first.body == again.body
    assert first.headers["webhook-id"] == again.headers["webhook-id"]
    assert again.verified_with(hook.cipher_key)["message"]["body"] == "#1"
