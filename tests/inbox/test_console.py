"""The console's inbox (issue 15 §4), server side: the inbox page and its filters, the conversation page (reply
inside and outside the window, templates, assignment, labels, status, comments, notes, scheduled replies, playing
the sandbox customer), who gets in (managers; agents an inbox team lists), and the configuration pages."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Membership, User
from accounts.services.memberships import membership_add
from inbox.models import Channel, Comment, Conversation, InboundEvent, InboxMessage, InboxWebhook, Note, ScheduledReply
from inbox.services import directory
from inbox.services import webhooks as inbox_webhooks
from messaging.models import WebhookDelivery
from tests.factories import UserFactory
from tests.inbox.factories import ConversationFactory, InboxTeamFactory, LabelFactory, approved_template, make_channel

pytestmark = pytest.mark.django_db

INBOX = "/admin/inbox/conversation/inbox/"


def thread(conversation) -> str:
    return f"/admin/inbox/conversation/{conversation.pk}/thread/"


def browser_for(user) -> Client:
    browser = Client()
    browser.force_login(user)
    browser.user = user
    return browser


@pytest.fixture
def manager(team):
    user = UserFactory(email="lead@example.com")
    membership_add(team=team, user=user, status=Membership.Status.ADMIN)
    return browser_for(user)


@pytest.fixture
def agent(team):
    """A plain member an inbox team lists: staff with the Inbox agent group, through the services."""
    user = UserFactory(email="agent@example.com")
    membership = membership_add(team=team, user=user, status=Membership.Status.MEMBER)
    directory.team_members_set(team=InboxTeamFactory(team=team), memberships=[membership])
    return browser_for(User.objects.get(pk=user.pk))


# --- the inbox page -----------------------------------------------------------------------------------------------


def test_the_inbox_lists_the_teams_conversations(manager, channel, other_channel):
    mine = ConversationFactory(contact__channel=channel, contact__name="Ann Customer")
    ConversationFactory(contact__channel=other_channel, contact__name="Rival Customer")
    page = manager.get(INBOX)
    assert page.status_code == 200
    assert b"Ann Customer" in page.content
    assert b"Rival Customer" not in page.content
    assert thread(mine).encode() in page.content


def test_the_inbox_filters(manager, team, owner, channel):
    label = LabelFactory(team=team, name="Billing")
    labelled = ConversationFactory(contact__channel=channel, contact__name="Labelled One")
    labelled.labels.add(label)
    ConversationFactory(contact__channel=channel, contact__name="Closed One", status="CLOSED")
    ConversationFactory(contact__channel=channel, contact__name="Owners One", assignee=owner)
    second = make_channel(team, name="Second line")
    ConversationFactory(contact__channel=second, contact__name="Elsewhere One")

    def names(**params):
        content = manager.get(INBOX, params).content.decode()
        return {n for n in ("Labelled One", "Closed One", "Owners One", "Elsewhere One") if n in content}

    assert names() == {"Labelled One", "Owners One", "Elsewhere One"}  # open ones by default
    assert names(status="CLOSED") == {"Closed One"}
    assert names(label=label.pk) == {"Labelled One"}
    assert names(assignee=f"u{owner.pk}") == {"Owners One"}
    assert names(assignee="pool") == {"Labelled One", "Elsewhere One"}
    assert names(channel=second.pk) == {"Elsewhere One"}
    assert names(q="owners") == {"Owners One"}


@pytest.mark.parametrize("size", [2, 15])
def test_the_inbox_page_query_count_is_constant(manager, channel, size, django_assert_max_num_queries):
    for _ in range(size):
        conversation = ConversationFactory(contact__channel=channel)
        conversation.labels.add(LabelFactory(team=channel.team))
    with django_assert_max_num_queries(17):  # session, user, scope, team picker, filters' choices, rows, last messages
        assert manager.get(INBOX).status_code == 200


@pytest.mark.parametrize("size", [2, 15])
def test_the_conversation_page_query_count_is_constant(
    manager, channel, conversation, size, django_assert_max_num_queries
):
    from inbox.models import Comment

    for n in range(size):
        InboxMessage.objects.create(
            team=channel.team, channel=channel, conversation=conversation, direction="out", type="text",
            content={"body": f"#{n}"}, status="sent", sender="agent", sent_by=manager.user,
        )  # fmt: skip
        Comment.objects.create(conversation=conversation, body=f"c{n}", author=manager.user)
    with django_assert_max_num_queries(20):
        assert manager.get(thread(conversation)).status_code == 200


def test_another_teams_inbox_and_conversations_are_404(manager, other_team, other_channel):
    assert manager.get(INBOX, {"team": other_team.pk}).status_code == 404
    theirs = ConversationFactory(contact__channel=other_channel)
    assert manager.get(thread(theirs)).status_code == 404
    assert manager.post(thread(theirs), {"op": "comment", "body": "x"}).status_code == 404
    assert not Comment.objects.exists()


def test_a_member_outside_inbox_teams_does_not_get_in(team, teammate, conversation):
    assert browser_for(teammate).get(INBOX).status_code == 302  # to the admin login: not staff


# --- the conversation page ----------------------------------------------------------------------------------------


def test_opening_a_conversation_marks_it_read(manager, conversation):
    page = manager.get(thread(conversation))
    assert page.status_code == 200
    assert b'id="reply-body"' in page.content
    conversation.refresh_from_db()
    assert conversation.unread_count is None


def test_reply_inside_the_window(manager, conversation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = manager.post(thread(conversation), {"op": "reply", "body": "We are on it."})
    assert answer.status_code == 302
    message = InboxMessage.objects.get(direction="out")
    assert message.content == {"body": "We are on it."}
    assert message.sent_by == manager.user
    assert message.status == "delivered"


def test_outside_the_window_the_page_offers_templates_and_a_text_is_refused(
    manager, channel, django_capture_on_commit_callbacks
):
    approved_template(channel, name="follow_up", text="Hi {{1}}, any news?")
    stale = ConversationFactory(
        contact__channel=channel, last_message_received_at=timezone.now() - datetime.timedelta(days=2)
    )
    page = manager.get(thread(stale)).content.decode()
    assert 'id="window-closed"' in page
    assert 'id="reply-body"' not in page
    assert "follow_up (en)" in page
    refused = manager.post(thread(stale), {"op": "reply", "body": "Hello?"}, follow=True)
    assert "Customer care window expired" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(thread(stale), {"op": "reply", "template": "follow_up|en", "parameters": "Ann"})
    assert InboxMessage.objects.get(direction="out").content["rendered"] == "Hi Ann, any news?"


def test_schedule_and_cancel_from_the_page(manager, conversation):
    later = (timezone.localtime() + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    manager.post(thread(conversation), {"op": "reply", "body": "Reminder", "send_at": later})
    reply = ScheduledReply.objects.get()
    assert reply.status == "scheduled"
    assert b"Scheduled replies" in manager.get(thread(conversation)).content
    manager.post(thread(conversation), {"op": "cancel", "reply": reply.uid})
    reply.refresh_from_db()
    assert reply.status == "canceled"


def test_assign_label_close_comment_and_note(manager, team, teammate, conversation):
    label = LabelFactory(team=team, name="Urgent")
    manager.post(thread(conversation), {"op": "assign", "assignee": f"u{teammate.pk}"})
    manager.post(thread(conversation), {"op": "labels", "labels": [label.pk]})
    manager.post(thread(conversation), {"op": "status", "status": "CLOSED"})
    manager.post(thread(conversation), {"op": "comment", "body": "Called the courier"})
    manager.post(thread(conversation), {"op": "note", "body": "Prefers mornings"})
    conversation.refresh_from_db()
    assert conversation.assignee == teammate
    assert list(conversation.labels.all()) == [label]
    assert conversation.status == "CLOSED"
    assert Comment.objects.get().author == manager.user
    assert Note.objects.get().created_by == "lead@example.com"


def test_assigning_someone_of_another_team_is_404(manager, outsider, conversation):
    assert manager.post(thread(conversation), {"op": "assign", "assignee": f"u{outsider.pk}"}).status_code == 404


def test_play_the_sandbox_customer(manager, conversation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(thread(conversation), {"op": "play", "body": "Still waiting"})
    assert InboundEvent.objects.get().payload["message"] == {"type": "text", "body": "Still waiting"}
    conversation.refresh_from_db()
    assert conversation.messages_received == 2


# --- agents -------------------------------------------------------------------------------------------------------


def test_an_agent_sees_their_conversations_and_the_pool_of_their_channels(agent, team, owner, channel):
    assert agent.user.is_staff
    assert agent.user.groups.filter(name="Inbox agent").exists()
    ConversationFactory(contact__channel=channel, contact__name="Pool One")
    ConversationFactory(contact__channel=channel, contact__name="Owners One", assignee=owner)
    mine = ConversationFactory(contact__channel=channel, contact__name="Agents One", assignee=agent.user)
    page = agent.get(INBOX).content.decode()
    assert "Pool One" in page
    assert "Agents One" in page
    assert "Owners One" not in page
    assert agent.post(thread(mine), {"op": "comment", "body": "on it"}).status_code == 302
    assert agent.get("/admin/inbox/channel/").status_code == 403  # configuration is for managers


def test_leaving_every_inbox_team_ends_the_agents_console_access(agent, team):
    inbox_team = team.inbox_teams.get()
    directory.team_members_set(team=inbox_team, memberships=[])
    user = User.objects.get(pk=agent.user.pk)
    assert not user.is_staff
    assert not user.groups.filter(name="Inbox agent").exists()


# --- configuration pages ------------------------------------------------------------------------------------------


def test_add_a_sandbox_channel_in_the_console(manager, team):
    response = manager.post(
        "/admin/inbox/channel/add/",
        {
            "team": team.pk,
            "kind": "sandbox",
            "name": "Demo",
            "phone": "+31655500011",
            "local": "",
            "automated_messages-TOTAL_FORMS": "0",
            "automated_messages-INITIAL_FORMS": "0",
        },  # fmt: skip
    )
    assert response.status_code == 302, response.content[:2000]
    channel = Channel.objects.get(name="Demo")
    assert channel.jid == "31655500011@sandbox.eazy.im"
    assert channel.automated_messages.count() == 2


def test_play_a_customer_message_from_the_channel_list(manager, channel, django_capture_on_commit_callbacks):
    form = manager.post("/admin/inbox/channel/", {"action": "play_customer", "_selected_action": [channel.pk]})
    assert b"Send as the customer" in form.content
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(
            "/admin/inbox/channel/",
            {
                "action": "play_customer",
                "_selected_action": [channel.pk],
                "apply": "1",
                "phone": "+31612340000",
                "name": "Ann",
                "text": "Hi there",
            },  # fmt: skip
        )
    conversation = Conversation.objects.get()
    assert conversation.contact.jid == "31612340000@sandbox.eazy.im"
    assert conversation.messages.get().content == {"body": "Hi there"}


def test_webhook_test_event_and_key_rotation(manager, channel, webhook_receiver, django_capture_on_commit_callbacks):
    hook = inbox_webhooks.webhook_create(channel=channel, url=webhook_receiver.url, events=["custom"])
    with django_capture_on_commit_callbacks(execute=True):
        manager.post("/admin/inbox/inboxwebhook/", {"action": "send_test_event", "_selected_action": [hook.pk]})
    assert webhook_receiver.requests[0].verified_with(hook.cipher_key)["custom"]["test"] is True
    old = hook.cipher_key
    manager.post("/admin/inbox/inboxwebhook/", {"action": "rotate_key", "_selected_action": [hook.pk]})
    assert InboxWebhook.objects.get().cipher_key != old
    page = manager.get(f"/admin/inbox/inboxwebhook/{hook.pk}/change/").content.decode()
    assert f"?q=inbox:{hook.uid}" in page
    assert WebhookDelivery.objects.count() == 1
    assert manager.get(f"/admin/messaging/webhookdelivery/?q=inbox:{hook.uid}").status_code == 200


def test_a_manager_replays_an_inbox_delivery(manager, channel, webhook_receiver, django_capture_on_commit_callbacks):
    hook = inbox_webhooks.webhook_create(channel=channel, url=webhook_receiver.url, events=["custom"])
    with django_capture_on_commit_callbacks(execute=True):
        manager.post("/admin/inbox/inboxwebhook/", {"action": "send_test_event", "_selected_action": [hook.pk]})
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered"
    with django_capture_on_commit_callbacks(execute=True):
        page = manager.post(
            "/admin/messaging/webhookdelivery/", {"action": "replay", "_selected_action": [delivery.pk]}, follow=True
        )
    assert page.status_code == 200
    assert len(webhook_receiver.requests) == 2
    assert webhook_receiver.requests[1].body == webhook_receiver.requests[0].body
