"""Tada POST /teams/{team_uid}/ws/{client_event_name}: `client.message.updated` sends a chat message (seed 003
lines 2837–2872); the answer is the Message, and the participants get `server.message.updated`."""

import datetime
import uuid

import pytest

from accounts.models import ServerEvent
from messaging.models import Chat, ChatMessage, ChatParticipant
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import assert_tada_error as assert_error
from tests.helpers import user_client

pytestmark = pytest.mark.django_db

EVENT = "client.message.updated"


def url(team, event: str = EVENT, slash: str = "") -> str:
    return f"/api/v3/teams/{team.uid}/ws/{event}{slash}"


def send(api, team, to, text="пыщ!", **extra):
    return api.post(url(team), {"to": to, "content": {"text": text, "type": "plain"}, **extra}, format="json")


@pytest.mark.parametrize("slash", ["", "/"])
def test_message_to_a_teammate_is_stored_and_answered_as_the_documented_message(
    tada_client, team, owner, teammate, slash
):
    to = f"d-{teammate.uid}"
    body = {"to": to, "content": {"text": "пыщ!", "type": "plain"}}
    response = tada_client.post(url(team, slash=slash), body, format="json")

    assert response.status_code == 200, response.content
    envelope = response.json()
    assert envelope["ok"] is True
    result = envelope["result"]
    message = ChatMessage.objects.get()
    assert message.sender == owner
    assert message.text == "пыщ!"
    assert message.chat.team == team
    assert set(message.chat.participants.all()) == {owner, teammate}
    assert result == {
        "chat": to,
        "chat_type": "direct",
        "content": {"text": "пыщ!", "type": "plain"},
        "created": result["created"],
        "editable_until": result["editable_until"],
        "from": f"d-{owner.uid}",
        "gentime": message.gentime,
        "message_id": str(message.uid),
        "prev": None,
        "to": to,
    }
    created = datetime.datetime.fromisoformat(result["created"])
    assert result["created"].endswith("Z")
    assert datetime.datetime.fromisoformat(result["editable_until"]) - created == datetime.timedelta(seconds=86400)
    assert abs(message.gentime - created.timestamp() * 1e9) < 5e9


def test_second_message_points_to_the_first_in_one_chat(tada_client, team, owner, teammate):
    first = send(tada_client, team, f"d-{teammate.uid}").json()["result"]
    reply = send(user_client(teammate), team, f"d-{owner.uid}", text="ответ").json()["result"]

    assert reply["prev"] == first["message_id"]
    assert reply["chat"] == f"d-{owner.uid}"  # the other party, as the sender sees it
    assert reply["from"] == f"d-{teammate.uid}"
    assert reply["gentime"] > first["gentime"]
    assert Chat.objects.count() == 1
    assert ChatMessage.objects.count() == 2


def test_both_participants_get_the_server_event(tada_client, team, owner, teammate):
    result = send(tada_client, team, f"d-{teammate.uid}").json()["result"]

    events = ServerEvent.objects.filter(name="server.message.updated", team=team)
    by_recipient = {user.pk: event for event in events for user in event.recipients.all()}
    assert set(by_recipient) == {owner.pk, teammate.pk}
    assert by_recipient[owner.pk].payload["messages"][0] == result
    assert by_recipient[teammate.pk].payload["messages"][0]["chat"] == f"d-{owner.uid}"
    assert by_recipient[teammate.pk].payload["messages"][0]["message_id"] == result["message_id"]


def test_message_to_a_group_the_caller_is_in(tada_client, team, owner, teammate):
    group = Chat.objects.create(team=team, kind=Chat.Kind.GROUP, title="crew")
    ChatParticipant.objects.bulk_create([ChatParticipant(chat=group, user=u) for u in (owner, teammate)])

    response = send(tada_client, team, f"g-{group.uid}")

    assert response.status_code == 200, response.content
    result = response.json()["result"]
    assert result["chat"] == result["to"] == f"g-{group.uid}"
    assert result["chat_type"] == "group"
    assert ChatMessage.objects.get().chat == group


def test_a_group_the_caller_is_not_in_is_404(tada_client, team, teammate):
    group = Chat.objects.create(team=team, kind=Chat.Kind.GROUP, title="secret")
    ChatParticipant.objects.create(chat=group, user=teammate)
    assert_error(send(tada_client, team, f"g-{group.uid}"), 404)
    assert not ChatMessage.objects.exists()


def test_api_key_acts_as_its_manager(team, owner, teammate, api_key):
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key}")
    response = send(api, team, f"d-{teammate.uid}")
    assert response.status_code == 200, response.content
    assert response.json()["result"]["from"] == f"d-{owner.uid}"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"content": {"text": "hi", "type": "plain"}}, "to"),
        ({"to": "teammate", "content": {"text": "hi", "type": "plain"}}, "to"),
        ({"to": "x-6c1a6a43-1e0a-4c84-9d1f-2b1f9a1e6d7e", "content": {"text": "hi", "type": "plain"}}, "to"),
        ({"to": "{to}"}, "content"),
        ({"to": "{to}", "content": {"text": "", "type": "plain"}}, "content.text"),
        ({"to": "{to}", "content": {"text": "  \n ", "type": "plain"}}, "content.text"),
        ({"to": "{to}", "content": {"text": "x" * 16001, "type": "plain"}}, "content.text"),
        ({"to": "{to}", "content": {"text": "hi", "type": "image"}}, "content.type"),
        ({"to": "{to}", "content": {"text": "hi"}}, "content.type"),
        ({"to": "{to}", "content": "hi"}, "content"),
    ],
)
def test_invalid_payload_is_400_in_the_envelope_and_sends_nothing(tada_client, team, teammate, body, field):
    if body.get("to") == "{to}":
        body = {**body, "to": f"d-{teammate.uid}"}
    response = tada_client.post(url(team), body, format="json")
    error = assert_error(response, 400)
    assert any(key == field or key.startswith(f"{field}.") for key in error["details"]), error
    assert not ChatMessage.objects.exists()
    assert not Chat.objects.exists()
    assert not ServerEvent.objects.filter(name="server.message.updated").exists()


def test_longest_text_is_accepted(tada_client, team, teammate):
    response = send(tada_client, team, f"d-{teammate.uid}", text="я" * 16000)
    assert response.status_code == 200, response.content


def test_unknown_event_is_400_naming_it(tada_client, team):
    response = tada_client.post(url(team, "client.chat.exploded"), {}, format="json")
    error = assert_error(response, 400)
    assert "client.chat.exploded" in error["error"]
    assert "client_event_name" in error["details"]


def test_unauthenticated_is_401(client, team, teammate):
    response = send(client, team, f"d-{teammate.uid}")
    assert_error(response, 401)
    assert not ChatMessage.objects.exists()


def test_another_teams_uid_is_404(outsider_client, team, teammate):
    assert_error(send(outsider_client, team, f"d-{teammate.uid}"), 404)
    assert not ChatMessage.objects.exists()


def test_unknown_team_is_404(tada_client, teammate):
    response = tada_client.post(f"/api/v3/teams/{uuid.uuid4()}/ws/{EVENT}", {"to": f"d-{teammate.uid}"}, format="json")
    assert_error(response, 404)


def test_a_member_of_another_team_as_to_is_404(tada_client, team, outsider):
    assert_error(send(tada_client, team, f"d-{outsider.uid}"), 404)
    assert not Chat.objects.exists()


def test_an_unknown_jid_is_404(tada_client, team):
    assert_error(send(tada_client, team, f"d-{uuid.uuid4()}"), 404)
    assert_error(send(tada_client, team, f"g-{uuid.uuid4()}"), 404)


def test_a_removed_member_cannot_send(team, teammate, owner):
    api = user_client(teammate)
    MembershipFactory._meta.model.objects.filter(team=team, user=teammate).update(is_active=False)
    assert_error(send(api, team, f"d-{owner.uid}"), 404)


def test_a_group_chat_of_another_team_is_404(tada_client, team, owner, other_team, outsider):
    foreign = Chat.objects.create(team=other_team, kind=Chat.Kind.GROUP, title="rivals")
    ChatParticipant.objects.bulk_create([ChatParticipant(chat=foreign, user=u) for u in (owner, outsider)])
    assert_error(send(tada_client, team, f"g-{foreign.uid}"), 404)


def test_message_to_self_is_a_notes_chat(tada_client, team, owner):
    response = send(tada_client, team, f"d-{owner.uid}")
    assert response.status_code == 200, response.content
    result = response.json()["result"]
    assert result["chat"] == result["to"] == result["from"] == f"d-{owner.uid}"
    assert list(Chat.objects.get().participants.all()) == [owner]


def test_pending_team_member_is_not_a_recipient(tada_client, team):
    invited = UserFactory()
    MembershipFactory(team=team, user=invited, invitation_pending=True)
    assert_error(send(tada_client, team, f"d-{invited.uid}"), 404)
