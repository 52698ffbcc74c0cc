"""Inbound on the sandbox's webhook and its processing: stored once per provider id, conversations opened or
reopened with their counters, the blacklist, `message` / `typing` events in order, automated messages, scheduled
replies cancelled by the customer, and the sweeper for lost enqueues."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from inbox.models import AutomatedMessage, Conversation, InboundEvent, InboxMessage, ScheduledReply
from inbox.services import inbound
from inbox.services import webhooks as inbox_webhooks
from tests.inbox.conftest import assert_error, url
from tests.inbox.factories import ContactFactory, ConversationFactory, make_channel

pytestmark = pytest.mark.django_db

PHONE = "+31612345678"
JID = "31612345678@sandbox.eazy.im"


def play(client, channel, body):
    return client.post(url(f"providers/sandbox/{channel.uid}"), body, format="json")


def test_a_customer_message_opens_a_conversation_and_is_told(
    client, channel, webhook_receiver, django_capture_on_commit_callbacks
):
    hook = inbox_webhooks.webhook_create(channel=channel, url=f"{webhook_receiver.url}/in", events=["message"])
    body = {"id": "cust-1", "from": PHONE, "name": "John", "message": {"type": "text", "body": "Hi!"}}
    with django_capture_on_commit_callbacks(execute=True):
        response = play(client, channel, body)
    assert response.status_code == 200
    assert response.json() == {"stored": 1}
    conversation = Conversation.objects.get(contact__jid=JID)
    assert conversation.status == "OPEN"
    assert conversation.messages_received == 1
    assert conversation.unread_count == 1
    assert conversation.last_message_received_at is not None
    event = webhook_receiver.requests[0].verified_with(hook.cipher_key)
    message = conversation.messages.get()
    assert event == {
        "from": {"jid": JID, "name": "John"},
        "message": {"body": "Hi!", "id": message.uid, "type": "text"},
        "timestamp": int(message.sent_at.timestamp()),
        "to": channel.jid,
        "type": "message",
        "version": 2,
    }


def test_a_retried_webhook_stores_one_message(client, channel, django_capture_on_commit_callbacks):
    body = {"id": "cust-2", "from": PHONE, "message": "Hello"}
    with django_capture_on_commit_callbacks(execute=True):
        assert play(client, channel, body).json() == {"stored": 1}
        assert play(client, channel, body).json() == {"stored": 0}
    assert InboundEvent.objects.count() == 1
    assert InboxMessage.objects.count() == 1
    assert Conversation.objects.get().messages_received == 1


def test_processing_twice_changes_nothing(client, channel, django_capture_on_commit_callbacks):
    play(client, channel, {"id": "cust-3", "from": PHONE, "message": "Hello"})  # not processed: no commit hooks
    event = InboundEvent.objects.get()
    assert inbound.event_process(event_id=event.pk).startswith("stored")
    assert inbound.event_process(event_id=event.pk) == "done"
    assert InboxMessage.objects.count() == 1


def test_a_message_reopens_a_closed_conversation_and_bumps_its_counters(channel, django_capture_on_commit_callbacks):
    conversation = ConversationFactory(
        contact__channel=channel, status="CLOSED", messages_received=4, unread_count=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        inbound.events_receive(
            channel_id=channel.pk,
            events=[
                inbound.ParsedEvent(
                    "message", "k1", {"from": conversation.contact.jid, "message": {"type": "text", "body": "again"}}
                )
            ],
        )
    conversation.refresh_from_db()
    assert conversation.status == "OPEN"
    assert conversation.messages_received == 5
    assert conversation.unread_count == 1


def test_a_blacklisted_contact_is_ignored(client, channel, webhook_receiver, django_capture_on_commit_callbacks):
    inbox_webhooks.webhook_create(channel=channel, url=webhook_receiver.url, events=["message"])
    ContactFactory(channel=channel, jid=JID, blacklisted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        play(client, channel, {"id": "cust-4", "from": PHONE, "message": "Spam"})
    assert InboundEvent.objects.get().outcome == "ignored: the contact is blacklisted"
    assert not Conversation.objects.exists()
    assert not webhook_receiver.requests


def test_media_and_quotes_follow_the_documented_shape(
    client, channel, conversation, webhook_receiver, django_capture_on_commit_callbacks
):
    hook = inbox_webhooks.webhook_create(channel=channel, url=webhook_receiver.url, events=["message"])
    image = {"type": "image", "mimeType": "image/png", "caption": "Box",
             "media": {"url": "https://cdn.example.com/box.png", "size": 512}}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        play(client, channel, {"id": "img-1", "from": conversation.contact.jid, "message": image})
    event = webhook_receiver.requests[0].verified_with(hook.cipher_key)
    assert event["media"] == {"size": 512, "url": "https://cdn.example.com/box.png"}
    assert event["message"]["caption"] == "Box"
    assert "media" not in event["message"]


def test_typing_is_passed_to_the_typing_webhooks(
    client, channel, conversation, webhook_receiver, django_capture_on_commit_callbacks
):
    hook = inbox_webhooks.webhook_create(channel=channel, url=webhook_receiver.url, events=["typing"])
    with django_capture_on_commit_callbacks(execute=True):
        play(client, channel, {"from": conversation.contact.jid, "typing": True})
    event = webhook_receiver.requests[0].verified_with(hook.cipher_key)
    assert event["type"] == "typing"
    assert event["typing"] == {"state": "composing"}


def test_the_customer_reads_our_message(
    client, bearer_client, channel, conversation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = bearer_client.post(
            url(f"channels/{channel.jid}/messages/{conversation.contact.jid}"),
            {"message": {"type": "text", "body": "Done"}},
            format="json",
        ).json()["id"]
        play(client, channel, {"receipt": {"id": sent, "status": "read"}})
    assert InboxMessage.objects.get(uid=sent).status == "read"


@pytest.mark.parametrize(
    "body",
    [
        {"from": PHONE},
        {"from": "not a phone", "message": "x"},
        {"from": PHONE, "message": {"body": "no type"}},
        {"receipt": {"id": "x", "status": "lost"}},
        ["a", "list"],
    ],
)
def test_the_sandbox_webhook_validates(client, channel, body):
    assert_error(play(client, channel, body), 400, 1005)
    assert not InboundEvent.objects.exists()


def test_the_sandbox_webhook_of_an_unknown_channel_is_1009(client, channel):
    body = {"from": PHONE, "message": "Hi"}
    assert_error(client.post(url("providers/sandbox/00000000-0000-0000-0000-000000000000"), body), 404, 1009)
    assert_error(client.post(url("providers/sandbox/not-a-uuid"), body), 404, 1009)
    whatsapp_kind = make_channel(channel.team, kind="whatsapp", name="Not a sandbox")
    assert_error(client.post(url(f"providers/sandbox/{whatsapp_kind.uid}"), body), 404, 1009)
    assert not InboundEvent.objects.exists()


# --- automated messages -------------------------------------------------------------------------------------------


def test_greeting_answers_a_new_conversation_and_away_when_nobody_is_online(
    client, channel, django_capture_on_commit_callbacks
):
    AutomatedMessage.objects.filter(channel=channel).update(enabled=True)
    with django_capture_on_commit_callbacks(execute=True):
        play(client, channel, {"id": "a-1", "from": PHONE, "message": "Anyone?"})
    sent = InboxMessage.objects.filter(direction="out").order_by("id")
    assert [m.content["body"] for m in sent] == [
        AutomatedMessage.DEFAULT_BODIES["GREETING"],
        AutomatedMessage.DEFAULT_BODIES["AWAY"],
    ]
    assert {m.sender for m in sent} == {"automated"}
    assert {m.status for m in sent} == {"delivered"}


def test_no_away_message_while_an_agent_is_online(client, channel, owner, django_capture_on_commit_callbacks):
    AutomatedMessage.objects.filter(channel=channel, type="AWAY").update(enabled=True)
    User.objects.filter(pk=owner.pk).update(last_seen_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        play(client, channel, {"id": "a-2", "from": PHONE, "message": "Anyone?"})
    assert not InboxMessage.objects.filter(direction="out").exists()


# --- scheduled replies and the sweeper ----------------------------------------------------------------------------


def test_the_customer_writing_first_cancels_scheduled_replies(
    client, channel, conversation, django_capture_on_commit_callbacks
):
    reply = ScheduledReply.objects.create(
        team=channel.team, conversation=conversation, message={"type": "text", "body": "Any news?"},
        run_at=timezone.now() + datetime.timedelta(hours=1),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        play(client, channel, {"id": "c-1", "from": conversation.contact.jid, "message": "I found it"})
    reply.refresh_from_db()
    assert reply.status == "canceled"
    assert reply.reason == "The customer wrote first."


def test_the_sweeper_processes_events_whose_enqueue_was_lost(client, channel):
    play(client, channel, {"id": "lost-1", "from": PHONE, "message": "Hello"})  # its enqueue never ran
    assert inbound.events_requeue_stuck() == 0  # too fresh to be lost
    InboundEvent.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    assert inbound.events_requeue_stuck() == 1  # eager Celery: processed now
    assert InboundEvent.objects.get().status == "processed"
    assert InboxMessage.objects.count() == 1


def test_a_receipt_before_its_message_waits_for_it(channel, conversation):
    inbound.events_receive(
        channel_id=channel.pk,
        events=[inbound.ParsedEvent("status", "early:delivered", {"id": "sandbox.early", "status": "delivered"})],
    )
    event = InboundEvent.objects.get()
    assert inbound.event_process(event_id=event.pk) == "later"
    assert InboundEvent.objects.get().status == "received"
    InboundEvent.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    assert inbound.event_process(event_id=event.pk) == "ignored: no message of ours has this id"


def test_a_channels_events_take_effect_in_arrival_order(client, channel, webhook_receiver):
    inbox_webhooks.webhook_create(channel=channel, url=webhook_receiver.url, events=["message"])
    for n in (1, 2):  # stored; their tasks not run yet (no commit hooks in this test)
        play(client, channel, {"id": f"order-{n}", "from": PHONE, "message": f"#{n}"})
    first, second = InboundEvent.objects.order_by("pk")
    # the second event's task happens to run first: it processes the earlier one before its own
    assert inbound.event_process(event_id=second.pk).startswith("stored")
    assert inbound.event_process(event_id=first.pk) == "done"
    bodies = [m.content["body"] for m in InboxMessage.objects.order_by("pk")]
    assert bodies == ["#1", "#2"]
    from messaging.models import WebhookDelivery

    assert [d.payload["message"]["body"] for d in WebhookDelivery.objects.order_by("pk")] == ["#1", "#2"]


def test_with_a_shared_cache_one_task_drains_a_burst(client, channel, settings, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from inbox.services.inbound import wake_key

    settings.INBOX_COALESCE_WAKEUPS = True
    cache.add(wake_key(channel.pk), 1)  # a drain task is already on its way: nothing more is published
    with django_capture_on_commit_callbacks(execute=True) as published:
        for n in (1, 2, 3):
            play(client, channel, {"id": f"burst-{n}", "from": PHONE, "message": f"#{n}"})
    assert len(published) == 3  # each request checked the flag
    assert not InboxMessage.objects.exists()  # ... and found a drain pending
    assert inbound.channel_drain(channel_id=channel.pk) == 3
    assert [m.content["body"] for m in InboxMessage.objects.order_by("pk")] == ["#1", "#2", "#3"]
    assert cache.get(wake_key(channel.pk)) is None
    with django_capture_on_commit_callbacks(execute=True):  # the next message wakes a drain (eager: runs now)
        play(client, channel, {"id": "burst-4", "from": PHONE, "message": "#4"})
    assert InboxMessage.objects.count() == 4
