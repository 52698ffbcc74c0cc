"""Teams, assistants, labels (`/companies/{companyId}/…`) and quick replies."""

import pytest

from inbox.models import Assistant, InboxTeam, Label
from tests.inbox.conftest import assert_error, url
from tests.inbox.factories import AssistantFactory, InboxTeamFactory, LabelFactory, QuickReplyFactory, make_channel

pytestmark = pytest.mark.django_db


# --- teams -------------------------------------------------------------------------------------------------------


def test_team_create_answers_the_team_with_a_jid(bearer_client, team):
    response = bearer_client.post(url(f"companies/{team.uid}/teams"), {"name": "Support"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Support"
    assert body["jid"].endswith("@team.eazy.im")
    assert body["channels"] == []
    assert InboxTeam.objects.get(jid=body["jid"]).team == team


def test_team_create_needs_a_name(bearer_client, team):
    assert_error(bearer_client.post(url(f"companies/{team.uid}/teams"), {}, format="json"), 400, 1005)
    assert not InboxTeam.objects.exists()


def test_team_create_by_a_plain_member_is_1002(member_client, team):
    assert_error(member_client.post(url("companies/current/teams"), {"name": "X"}, format="json"), 403, 1002)


def test_team_patch_changes_only_what_is_given(bearer_client, team, channel):
    inbox_team = InboxTeamFactory(team=team, name="Support", color=2)
    inbox_team.channels.add(channel)
    body = {"color": 9, "metadata": {"floor": 2}, "reference": "Team-Support-1"}
    response = bearer_client.patch(url(f"companies/{team.uid}/teams/{inbox_team.jid}"), body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Support"
    assert response.json()["color"] == 9
    assert response.json()["metadata"] == '{"floor":2}'  # the document's response types it as a string
    assert response.json()["channels"][0]["jid"] == channel.jid
    inbox_team.refresh_from_db()
    assert inbox_team.reference == "Team-Support-1"


def test_team_patch_rejects_a_non_integer_color(bearer_client, team):
    inbox_team = InboxTeamFactory(team=team)
    response = bearer_client.patch(url(f"companies/{team.uid}/teams/{inbox_team.jid}"), {"color": "red"}, format="json")
    assert_error(response, 400, 1005)


def test_team_delete(bearer_client, team):
    inbox_team = InboxTeamFactory(team=team)
    assert bearer_client.delete(url(f"companies/{team.uid}/teams/{inbox_team.jid}")).status_code == 204
    assert not InboxTeam.objects.exists()


def test_unknown_team_is_1009(bearer_client, team):
    assert_error(bearer_client.delete(url(f"companies/{team.uid}/teams/nobody@team.eazy.im")), 404, 1009)


@pytest.mark.parametrize("size", [2, 12])
def test_team_list_query_count_is_constant(bearer_client, team, size, django_assert_max_num_queries):
    channel = make_channel(team)
    for _ in range(size):
        InboxTeamFactory(team=team).channels.add(channel)
    with django_assert_max_num_queries(8):
        response = bearer_client.get(url(f"companies/{team.uid}/teams"))
    assert len(response.json()) == size


def test_agents_list_their_inbox_teams(bearer_client, team, owner):
    inbox_team = InboxTeamFactory(team=team)
    inbox_team.members.add(team.memberships.get(user=owner))
    agent = bearer_client.get(url(f"companies/{team.uid}/agents/{owner.email}")).json()
    assert agent["teams"] == [inbox_team.jid]


# --- assistants ---------------------------------------------------------------------------------------------------


def test_assistant_patch(bearer_client, team):
    assistant = AssistantFactory(team=team, name="Jane")
    body = {"color": 4, "description": "Sales assistant", "name": "Jane Mayer", "enabled": False}
    response = bearer_client.patch(url(f"companies/{team.uid}/assistants/{assistant.jid}"), body, format="json")
    assert response.status_code == 200
    assert response.json() == {**body, "jid": assistant.jid}
    assistant.refresh_from_db()
    assert assistant.enabled is False


def test_assistant_patch_validates(bearer_client, team):
    assistant = AssistantFactory(team=team)
    response = bearer_client.patch(url(f"companies/{team.uid}/assistants/{assistant.jid}"), {"enabled": "maybe"})
    assert_error(response, 400, 1005)


@pytest.mark.parametrize("size", [2, 12])
def test_assistant_list_query_count_is_constant(bearer_client, team, size, django_assert_max_num_queries):
    AssistantFactory.create_batch(size, team=team)
    with django_assert_max_num_queries(6):
        response = bearer_client.get(url(f"companies/{team.uid}/assistants"))
    assert len(response.json()) == size
    assert Assistant.objects.count() == size


# --- labels ------------------------------------------------------------------------------------------------------


def test_label_create(bearer_client, team):
    response = bearer_client.post(url(f"companies/{team.uid}/labels"), {"name": "Support", "description": "Q&A"})
    assert response.status_code == 201
    assert response.json()["jid"].endswith("@label.eazy.im")
    assert Label.objects.get(team=team).description == "Q&A"


def test_label_names_are_unique_per_company(bearer_client, team, other_team):
    LabelFactory(team=other_team, name="Support")  # another company's label does not count
    assert bearer_client.post(url("companies/current/labels"), {"name": "Support"}).status_code == 201
    assert_error(bearer_client.post(url("companies/current/labels"), {"name": "Support"}), 409, 1014)


def test_label_patch_and_rename_onto_another_is_1014(bearer_client, team):
    LabelFactory(team=team, name="Billing")
    label = LabelFactory(team=team, name="Support")
    response = bearer_client.patch(url(f"companies/current/labels/{label.jid}"), {"priority": 3, "color": 1})
    assert response.json()["priority"] == 3
    assert_error(bearer_client.patch(url(f"companies/current/labels/{label.jid}"), {"name": "Billing"}), 409, 1014)


def test_label_delete_unlabels_conversations(bearer_client, team, conversation):
    label = LabelFactory(team=team)
    conversation.labels.add(label)
    assert bearer_client.delete(url(f"companies/current/labels/{label.jid}")).status_code == 204
    assert not conversation.labels.exists()


@pytest.mark.parametrize("size", [2, 12])
def test_label_list_query_count_is_constant(bearer_client, team, size, django_assert_max_num_queries):
    LabelFactory.create_batch(size, team=team)
    with django_assert_max_num_queries(6):
        response = bearer_client.get(url(f"companies/{team.uid}/labels"))
    assert len(response.json()) == size


# --- quick replies ------------------------------------------------------------------------------------------------


def test_quick_replies_of_the_current_company(bearer_client, team, other_team, channel):
    QuickReplyFactory(team=team, name="welcome").channels.add(channel)
    QuickReplyFactory(team=other_team, name="theirs")
    body = bearer_client.get(url("companies/current/quick-replies")).json()
    assert [r["name"] for r in body] == ["welcome"]
    assert body[0]["jids"] == [channel.jid]


@pytest.mark.parametrize("size", [2, 12])
def test_quick_reply_list_query_count_is_constant(bearer_client, team, channel, size, django_assert_max_num_queries):
    for _ in range(size):
        QuickReplyFactory(team=team).channels.add(channel)
    with django_assert_max_num_queries(7):
        response = bearer_client.get(url("companies/current/quick-replies"))
    assert len(response.json()) == size
