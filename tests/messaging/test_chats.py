"""messaging.chats: direct chats are unique per pair (also under a race), messages chain through `prev`, every
send announces `server.message.updated` to the participants; and the read-only, team-scoped chat admin pages."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, ServerEvent, Team
from core.exceptions import NotFoundError, ValidationFailed
from messaging import chats
from messaging.models import Chat, ChatMessage, ChatParticipant
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PLAIN = {"type": "plain", "text": "пыщ!"}


def test_direct_chat_is_opened_once_per_pair_whoever_asks(team, owner, teammate):
    first = chats.direct_chat_get_or_create(team=team, user_a=owner, user_b=teammate)
    second = chats.direct_chat_get_or_create(team=team, user_a=teammate, user_b=owner)
    assert first.pk == second.pk
    assert first.kind == Chat.Kind.DIRECT
    assert first.created_by == owner
    assert set(first.participants.all()) == {owner, teammate}
    assert Chat.objects.count() == 1


def test_direct_chat_race_loser_reads_the_winners_chat(team, owner, teammate, monkeypatch):
    """Two callers both miss the lookup; the second one's insert meets the unique constraint and falls back."""
    winner = chats.direct_chat_get_or_create(team=team, user_a=owner, user_b=teammate)
    real_find = chats._direct_chat_find
    lookups = []

    def find(**kwargs):
        lookups.append(kwargs)
        return None if len(lookups) == 1 else real_find(**kwargs)  # the loser looked before the winner committed

    monkeypatch.setattr(chats, "_direct_chat_find", find)

    loser = chats.direct_chat_get_or_create(team=team, user_a=teammate, user_b=owner)

    assert loser.pk == winner.pk
    assert len(lookups) == 2  # the insert was tried and lost
    assert Chat.objects.count() == 1
    assert ChatParticipant.objects.count() == 2
    assert Chat.objects.filter(team=team).exists()  # the caller's transaction is still usable


def test_direct_key_is_unique_per_team_in_the_database(team, owner, teammate):
    chats.direct_chat_get_or_create(team=team, user_a=owner, user_b=teammate)
    with pytest.raises(IntegrityError):
        Chat.objects.create(team=team, kind=Chat.Kind.DIRECT, direct_key=chats.direct_key(owner, teammate))


def test_the_same_pair_has_one_direct_chat_per_team(team, other_team, owner, teammate):
    MembershipFactory(team=other_team, user=owner)
    MembershipFactory(team=other_team, user=teammate)
    here = chats.direct_chat_get_or_create(team=team, user_a=owner, user_b=teammate)
    there = chats.direct_chat_get_or_create(team=other_team, user_a=owner, user_b=teammate)
    assert here.pk != there.pk


def test_groups_need_no_direct_key(team):
    Chat.objects.create(team=team, kind=Chat.Kind.GROUP, title="one")
    Chat.objects.create(team=team, kind=Chat.Kind.GROUP, title="two")
    assert Chat.objects.filter(kind=Chat.Kind.GROUP).count() == 2


def test_send_chains_messages_and_stamps_growing_gentime(team, owner, teammate):
    chat = chats.direct_chat_get_or_create(team=team, user_a=owner, user_b=teammate)
    first = chats.chat_message_send(chat=chat, sender=owner, content=PLAIN)
    second = chats.chat_message_send(chat=chat, sender=teammate, content={"type": "plain", "text": "hi"})
    assert first.prev is None
    assert second.prev_id == first.pk
    assert second.gentime > first.gentime
    assert first.text == "пыщ!"
    assert first.content == PLAIN
    assert list(ChatMessage.objects.for_team(team)) == [first, second]
    assert not ChatMessage.objects.for_teams([team.pk + 1000]).exists()


def test_send_publishes_the_message_to_each_participant_in_their_view(team, owner, teammate):
    chat = chats.direct_chat_get_or_create(team=team, user_a=owner, user_b=teammate)
    message = chats.chat_message_send(chat=chat, sender=owner, content=PLAIN)
    events = ServerEvent.objects.filter(name="server.message.updated").prefetch_related("recipients")
    seen = {event.recipients.get(): event.payload["messages"][0] for event in events}
    assert set(seen) == {owner, teammate}
    for viewer, other in ((owner, teammate), (teammate, owner)):
        data = seen[viewer]
        assert data["message_id"] == str(message.uid)
        assert data["chat"] == f"d-{other.uid}"
        assert data["from"] == f"d-{owner.uid}"
        assert data["to"] == f"d-{teammate.uid}"
    assert all(event.team_id == team.pk and event.actor_id == owner.pk for event in events)


def test_group_message_is_one_event_for_every_participant(team, owner, teammate):
    group = Chat.objects.create(team=team, kind=Chat.Kind.GROUP, title="crew")
    ChatParticipant.objects.bulk_create([ChatParticipant(chat=group, user=u) for u in (owner, teammate)])
    chats.chat_message_send(chat=group, sender=owner, content=PLAIN)
    event = ServerEvent.objects.get(name="server.message.updated")
    assert set(event.recipients.all()) == {owner, teammate}
    assert event.payload["messages"][0]["chat"] == f"g-{group.uid}"
    assert event.payload["messages"][0]["chat_type"] == "group"


def test_message_data_has_the_documented_shape(team, owner, teammate):
    chat = chats.direct_chat_get_or_create(team=team, user_a=owner, user_b=teammate)
    message = chats.chat_message_send(chat=chat, sender=owner, content=PLAIN)
    data = chats.message_data(message, viewer_id=owner.pk)
    created = datetime.datetime.fromisoformat(data["created"])
    until = datetime.datetime.fromisoformat(data["editable_until"])
    assert data["created"].endswith("Z")
    assert (until - created).total_seconds() == Team.MAX_MESSAGE_UPDATE_AGE == 86400
    assert data["chat_type"] == "direct"
    assert data["chat"] == data["to"] == f"d-{teammate.uid}"
    assert data["content"] == PLAIN
    assert data["prev"] is None
    assert isinstance(data["gentime"], int)


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ({"type": "plain", "text": ""}, "content.text"),
        ({"type": "plain", "text": "   "}, "content.text"),
        ({"type": "plain", "text": "x" * 16001}, "content.text"),
        ({"type": "image", "text": "hi"}, "content.type"),
        ("hi", "content"),
    ],
)
def test_send_rejects_bad_content_and_stores_nothing(team, owner, teammate, content, field):
    chat = chats.direct_chat_get_or_create(team=team, user_a=owner, user_b=teammate)
    with pytest.raises(ValidationFailed) as caught:
        chats.chat_message_send(chat=chat, sender=owner, content=content)
    assert field in caught.value.details
    assert not ChatMessage.objects.exists()
    assert not ServerEvent.objects.filter(name="server.message.updated").exists()


def test_longest_text_is_accepted(team, owner, teammate):
    chat = chats.direct_chat_get_or_create(team=team, user_a=owner, user_b=teammate)
    message = chats.chat_message_send(chat=chat, sender=owner, content={"type": "plain", "text": "x" * 16000})
    assert len(message.text) == 16000


def test_only_participants_may_send(team, owner, teammate):
    stranger = UserFactory()
    MembershipFactory(team=team, user=stranger)
    chat = chats.direct_chat_get_or_create(team=team, user_a=owner, user_b=teammate)
    with pytest.raises(NotFoundError):
        chats.chat_message_send(chat=chat, sender=stranger, content=PLAIN)


def test_jid_of_a_removed_member_is_not_found(team, owner, teammate):
    Membership.objects.filter(team=team, user=teammate).update(is_active=False)
    with pytest.raises(NotFoundError):
        chats.chat_for_jid(team=team, user=owner, jid=f"d-{teammate.uid}")
    assert not Chat.objects.exists()


# --- admin -------------------------------------------------------------------------------------------------------


def _staff_of(team) -> Client:
    manager = UserFactory(is_staff=True)
    MembershipFactory(team=team, user=manager, status=Membership.Status.ADMIN)
    manager.user_permissions.set(Permission.objects.filter(content_type__app_label="messaging"))
    browser = Client()
    browser.force_login(manager)
    return browser


@pytest.fixture
def two_teams_of_messages(team, owner, teammate, other_team, outsider):
    mine = chats.chat_message_send(
        chat=chats.direct_chat_get_or_create(team=team, user_a=owner, user_b=teammate), sender=owner, content=PLAIN
    )
    rival_mate = UserFactory()
    MembershipFactory(team=other_team, user=rival_mate)
    theirs = chats.chat_message_send(
        chat=chats.direct_chat_get_or_create(team=other_team, user_a=outsider, user_b=rival_mate),
        sender=outsider,
        content=PLAIN,
    )
    return mine, theirs


@pytest.mark.parametrize("model", ["chat", "chatmessage"])
def test_admin_lists_only_the_managers_team_and_is_read_only(team, two_teams_of_messages, model):
    mine, theirs = two_teams_of_messages
    rows = {"chat": (mine.chat, theirs.chat), "chatmessage": (mine, theirs)}[model]
    browser = _staff_of(team)

    response = browser.get(reverse(f"admin:messaging_{model}_changelist"))
    assert response.status_code == 200
    assert [obj.pk for obj in response.context["cl"].result_list] == [rows[0].pk]
    assert browser.get(reverse(f"admin:messaging_{model}_change", args=[rows[0].pk])).status_code == 200
    assert browser.get(reverse(f"admin:messaging_{model}_change", args=[rows[1].pk])).status_code == 302  # not found
    assert browser.get(reverse(f"admin:messaging_{model}_add")).status_code == 403


@pytest.mark.parametrize("model", ["chat", "chatmessage"])
def test_admin_changelist_query_count_does_not_grow(
    team, owner, two_teams_of_messages, model, django_assert_max_num_queries
):
    browser = _staff_of(team)
    url = reverse(f"admin:messaging_{model}_changelist")
    with django_assert_max_num_queries(20) as few:
        browser.get(url)
    chat = chats.direct_chat_get_or_create(team=team, user_a=owner, user_b=owner)
    for n in range(5):
        chats.chat_message_send(chat=chat, sender=owner, content={"type": "plain", "text": f"note {n}"})
        other = UserFactory()
        MembershipFactory(team=team, user=other)
        chats.direct_chat_get_or_create(team=team, user_a=owner, user_b=other)
    with django_assert_max_num_queries(len(few.captured_queries)):
        browser.get(url)
