"""Conversations: read, assignment (handover), labels, status, read/unread, comments, the unread counter, and
scheduled replies (list, cancel)."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Membership
from accounts.services.credentials import api_key_create
from inbox.models import Comment, Conversation, ScheduledReply
from inbox.services import webhooks as inbox_webhooks
from tests.factories import MembershipFactory, UserFactory
from tests.inbox.conftest import assert_error, url
from tests.inbox.factories import AssistantFactory, ConversationFactory, InboxTeamFactory, LabelFactory, make_channel

pytestmark = pytest.mark.django_db


def patch(client, conversation, body):
    path = url(f"channels/{conversation.channel.jid}/conversations/{conversation.contact.jid}")
    return client.patch(path, body, format="json")


def test_read_a_conversation(bearer_client, owner, conversation):
    conversation.assignee = owner
    conversation.save()
    body = bearer_client.get(url(f"channels/{conversation.channel.jid}/conversations/{conversation.contact.jid}"))
    assert body.json()["assignee"] == owner.email
    assert body.json()["status"] == "OPEN"
    assert body.json()["unreadCount"] == 1
    assert body.json()["lastMessageSentAt"] is None


def test_a_contact_without_a_conversation_is_1009(bearer_client, channel):
    from tests.inbox.factories import ContactFactory

    contact = ContactFactory(channel=channel)
    assert_error(bearer_client.get(url(f"channels/{channel.jid}/conversations/{contact.jid}")), 404, 1009)


def test_handover_to_an_agent_then_to_the_pool(
    bearer_client, team, teammate, conversation, webhook_receiver, django_capture_on_commit_callbacks
):
    hook = inbox_webhooks.webhook_create(channel=conversation.channel, url=webhook_receiver.url, events=["handover"])
    with django_capture_on_commit_callbacks(execute=True):
        assert patch(bearer_client, conversation, {"assignee": teammate.email}).json()["assignee"] == teammate.email
        assert patch(bearer_client, conversation, {"assignee": None}).json()["assignee"] is None
        patch(bearer_client, conversation, {"status": "CLOSED"})  # no handover: assignee not named
    events = [r.verified_with(hook.cipher_key)["handover"] for r in webhook_receiver.requests]
    assert [(e["from"], e["to"]) for e in events] == [(None, teammate.email), (teammate.email, None)]


def test_handover_to_an_assistant(bearer_client, team, conversation):
    assistant = AssistantFactory(team=team)
    assert patch(bearer_client, conversation, {"assignee": assistant.jid}).json()["assignee"] == assistant.jid
    conversation.refresh_from_db()
    assert conversation.assignee_assistant == assistant
    assert conversation.assignee is None


@pytest.mark.parametrize("assignee", ["nobody@example.com", "", 42])
def test_an_unknown_assignee_is_1005(bearer_client, conversation, assignee, other_team):
    assert_error(patch(bearer_client, conversation, {"assignee": assignee}), 400, 1005)


def test_another_companys_agent_is_not_an_assignee(bearer_client, conversation, outsider):
    assert_error(patch(bearer_client, conversation, {"assignee": outsider.email}), 400, 1005)


def test_labels_replace_the_set_and_are_told(
    bearer_client, team, conversation, webhook_receiver, django_capture_on_commit_callbacks
):
    hook = inbox_webhooks.webhook_create(channel=conversation.channel, url=webhook_receiver.url, events=["label"])
    a, b = LabelFactory(team=team), LabelFactory(team=team)
    with django_capture_on_commit_callbacks(execute=True):
        assert patch(bearer_client, conversation, {"labels": [a.jid, b.jid]}).json()["labels"] == sorted([a.jid, b.jid])
        assert patch(bearer_client, conversation, {"label": b.jid}).json()["labels"] == [b.jid]  # the legacy form
        assert patch(bearer_client, conversation, {"labels": []}).json()["labels"] == []
    events = [r.verified_with(hook.cipher_key)["label"] for r in webhook_receiver.requests]
    assert [e["removed"] for e in events] == [[], [a.jid], [b.jid]]


def test_an_unknown_label_is_1005(bearer_client, other_team, conversation):
    theirs = LabelFactory(team=other_team)
    assert_error(patch(bearer_client, conversation, {"labels": [theirs.jid]}), 400, 1005)


def test_unread_count_null_marks_read_and_0_marks_unread(bearer_client, conversation):
    assert patch(bearer_client, conversation, {"unreadCount": None}).json()["unreadCount"] is None
    assert patch(bearer_client, conversation, {"unreadCount": 0}).json()["unreadCount"] == 0
    conversation.refresh_from_db()
    assert conversation.unread_count == 0
    assert_error(patch(bearer_client, conversation, {"unreadCount": -1}), 400, 1005)


def test_status_close_and_reopen(bearer_client, conversation):
    assert patch(bearer_client, conversation, {"status": "CLOSED"}).json()["status"] == "CLOSED"
    assert Conversation.objects.get(pk=conversation.pk).status == "CLOSED"
    assert_error(patch(bearer_client, conversation, {"status": "ARCHIVED"}), 400, 1005)


def test_an_assistant_changing_a_conversation_it_does_not_own_is_1010(team, owner, conversation):
    key, secret = api_key_create(team=team, created_by=owner, name="bot")
    AssistantFactory(team=team, api_key=key)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert_error(patch(client, conversation, {"status": "CLOSED"}), 403, 1010)
    path = url(f"channels/{conversation.channel.jid}/conversations/{conversation.contact.jid}/comments")
    assert_error(client.post(path, {"body": "x"}), 403, 1010)


# --- comments -----------------------------------------------------------------------------------------------------


def test_comment_create(member_client, teammate, conversation):
    path = url(f"channels/{conversation.channel.jid}/conversations/{conversation.contact.jid}/comments")
    response = member_client.post(path, {"body": "Order #12345 has been delivered"}, format="json")
    assert response.status_code == 201
    comment = Comment.objects.get(uid=response.json()["id"])
    assert comment.author == teammate
    assert len(response.json()["id"]) == 36
    assert_error(member_client.post(path, {"body": {"nested": 1}}, format="json"), 400, 1005)


# --- unread counter -----------------------------------------------------------------------------------------------

UNREAD = "custom/e96eb049-ec39-4a19-9973-c6f770c4e636/unread"


def test_unread_counter_of_an_agent(bearer_client, team, owner, teammate, channel):
    ConversationFactory(contact__channel=channel, assignee=teammate, unread_count=3)
    ConversationFactory(contact__channel=channel, unread_count=2)  # the pool, on a channel in no team
    ConversationFactory(contact__channel=channel, unread_count=0)  # marked unread by hand: counts 1
    ConversationFactory(contact__channel=channel, unread_count=None)  # read
    ConversationFactory(contact__channel=channel, assignee=owner, unread_count=7)  # someone else's
    assert bearer_client.get(url(UNREAD), {"agent": teammate.email}).json() == {"unread": 6}
    assert bearer_client.get(url(UNREAD), {"agent": teammate.email.upper()}).json() == {"unread": 6}


def test_unread_counter_skips_pools_of_channels_handled_by_other_teams(bearer_client, team, teammate, channel):
    elsewhere = make_channel(team, name="Sales line")
    sales = InboxTeamFactory(team=team)
    sales.channels.add(elsewhere)  # the teammate is not in Sales
    ConversationFactory(contact__channel=elsewhere, unread_count=4)
    ConversationFactory(contact__channel=channel, unread_count=1)
    assert bearer_client.get(url(UNREAD), {"agent": teammate.email}).json() == {"unread": 1}
    sales.members.add(Membership.objects.get(team=team, user=teammate))
    assert bearer_client.get(url(UNREAD), {"agent": teammate.email}).json() == {"unread": 5}


def test_unread_counter_needs_a_known_agent(bearer_client, outsider):
    assert_error(bearer_client.get(url(UNREAD)), 400, 1005)
    assert_error(bearer_client.get(url(UNREAD), {"agent": outsider.email}), 404, 1009)


@pytest.mark.parametrize("size", [2, 12])
def test_unread_counter_query_count_is_constant(bearer_client, team, channel, size, django_assert_max_num_queries):
    agent = UserFactory()
    MembershipFactory(team=team, user=agent)
    ConversationFactory.create_batch(size, contact__channel=channel, assignee=agent, unread_count=1)
    with django_assert_max_num_queries(10):
        assert bearer_client.get(url(UNREAD), {"agent": agent.email}).json() == {"unread": size}


# --- scheduled replies --------------------------------------------------------------------------------------------


def test_schedule_list_and_cancel_a_reply(bearer_client, channel, conversation):
    later = (timezone.now() + datetime.timedelta(hours=2)).isoformat()
    body = {"message": {"type": "text", "body": "Following up"}, "sendAt": later}
    sent = bearer_client.post(url(f"channels/{channel.jid}/messages/{conversation.contact.jid}"), body, format="json")
    assert sent.status_code == 202
    reply_id = sent.json()["id"]
    assert sent.json()["sendAt"].endswith("Z")
    base = url(f"channels/{channel.jid}/conversations/{conversation.contact.jid}/scheduled")
    assert [r["id"] for r in bearer_client.get(base).json()] == [reply_id]
    assert bearer_client.delete(f"{base}/{reply_id}").status_code == 204
    assert ScheduledReply.objects.get(uid=reply_id).status == "canceled"
    assert bearer_client.get(base).json() == []
    assert_error(bearer_client.delete(f"{base}/{reply_id}"), 400, 1005)  # already canceled
    assert_error(bearer_client.delete(f"{base}/nope"), 404, 1009)


def test_scheduling_too_far_ahead_is_1005(bearer_client, channel, conversation):
    body = {"message": {"type": "text", "body": "x"}, "sendAt": "2099-01-01T00:00:00Z"}
    response = bearer_client.post(url(f"channels/{channel.jid}/messages/{conversation.contact.jid}"), body)
    assert_error(response, 400, 1005)
    assert not ScheduledReply.objects.exists()
