"""/teams: create with contacts, list, get, update, delete (archive); the Team and Team contact shapes."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Membership, ServerEvent, Team, User
from accounts.services.credentials import auth_token_issue
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.tada.conftest import outbox_code

pytestmark = pytest.mark.django_db

CREATE = {
    "contacts": [
        {"phone": "+7 999 233-11-22"},
        {"given_name": "Петя-админ", "phone": "+7 999 233-11-44", "role": "главный по катапультам", "status": "admin"},
        {"given_name": "Вася", "phone": "+7 999 233-11-33"},
    ],
    "name": "третий отдельный особый конный полк Чапаевской дивизии",
}
TEAM_KEYS = {
    "uid", "name", "icons", "me", "changeable_statuses", "can_add_to_team", "can_manage_integrations",
    "can_manage_sections", "bad_profile", "default_task_deadline", "last_active", "need_confirmation",
    "max_message_update_age", "unread", "uploads_size", "uploads_size_limit",
}  # fmt: skip
OWN_CONTACT_KEYS = {
    "jid", "display_name", "given_name", "family_name", "contact_phone", "contact_email", "role", "status",
    "sections", "icons", "last_activity", "changeable_fields", "can_add_to_group", "can_create_task", "can_delete",
    "alt_send", "default_lang", "unread_first", "contact_mshort_view", "contact_short_view", "contact_show_archived",
    "debug_show_activity", "group_mshort_view", "group_notifications_enabled", "group_short_view",
    "task_mshort_view", "task_notifications_enabled", "task_short_view",
}  # fmt: skip
OTHER_CONTACT_KEYS = {
    "jid", "display_name", "contact_phone", "contact_email", "role", "status", "sections", "icons", "last_activity",
    "changeable_fields", "can_add_to_group", "can_call", "can_create_task", "can_delete", "can_send_message",
}  # fmt: skip
ALL_STATUSES = ["guest", "member", "admin", "owner"]


def _team_url(team) -> str:
    return f"/api/v3/teams/{team.uid}"


# --- create ------------------------------------------------------------------------------------------------------


def test_create_makes_owner_and_members_and_returns_contacts(tada_client, owner):
    response = tada_client.post("/api/v3/teams", CREATE, format="json")
    assert response.status_code == 200, response.content
    result = response.json()["result"]
    assert set(result) == TEAM_KEYS | {"contacts"}
    assert result["name"] == CREATE["name"]
    assert result["icons"]["stub"].endswith("/%D1%82%D0%BE/256.png")  # "то"
    assert result["me"]["status"] == "owner"
    assert result["changeable_statuses"] == ALL_STATUSES
    assert result["need_confirmation"] is False
    assert result["uploads_size"] == 0
    assert result["uploads_size_limit"] == 1073741824
    assert result["unread"] == {k: {"chats": 0, "messages": 0} for k in ("direct", "group", "task")}
    by_phone = {c["contact_phone"]: c for c in result["contacts"]}
    assert set(by_phone) == {owner.phone, "+79992331122", "+79992331144", "+79992331133"}
    assert set(by_phone[owner.phone]) == OWN_CONTACT_KEYS
    petya = by_phone["+79992331144"]
    assert set(petya) == OTHER_CONTACT_KEYS
    # Asked for as admin, but nobody is made owner or admin by someone else's call (issue 8): a new person is a member.
    assert (petya["status"], petya["role"], petya["display_name"]) == ("member", "главный по катапультам", "Петя-админ")
    assert petya["icons"]["stub"].endswith("/%D0%9F/256.png")
    assert by_phone["+79992331133"]["status"] == "member"
    assert by_phone["+79992331122"]["display_name"] == "+7 999 233-11-22"
    assert by_phone["+79992331122"]["icons"]["stub"].endswith("/22/256.png")
    assert petya["changeable_fields"] == [
        "add_to_team_rights", "contact_email", "contact_phone", "role", "section", "sections", "status",
    ]  # fmt: skip
    assert petya["can_delete"] is True
    team = Team.objects.get(uid=result["uid"])
    assert team.created_by == owner
    assert Membership.objects.get(team=team, user=owner).status == "owner"


def test_unknown_phones_become_pending_users(tada_client):
    tada_client.post("/api/v3/teams", CREATE, format="json")
    vasya = User.objects.get(phone="+79992331133")
    assert vasya.status == User.Status.PENDING
    assert vasya.first_name == "Вася"
    assert not vasya.has_usable_password()


def test_create_publishes_contact_team_and_section_events_to_every_member(tada_client, owner):
    uid = tada_client.post("/api/v3/teams", CREATE, format="json").json()["result"]["uid"]
    team = Team.objects.get(uid=uid)
    members = set(Membership.objects.filter(team=team).values_list("user_id", flat=True))
    assert len(members) == 4
    events = ServerEvent.objects.filter(team=team).order_by("id")
    assert [e.name for e in events] == ["server.contact.updated", "server.team.updated", "server.section.updated"]
    for event in events:
        assert set(event.recipients.values_list("pk", flat=True)) == members
        assert event.actor == owner


def test_pending_member_logs_in_by_sms_and_sees_the_team(tada_client, client, request_code):
    uid = tada_client.post("/api/v3/teams", CREATE, format="json").json()["result"]["uid"]
    code = request_code("+7 999 233-11-33")
    assert outbox_code("+79992331133") == code
    login = client.post("/api/v3/sms-auth", {"phone": "+79992331133", "code": code}, format="json")
    assert login.status_code == 200, login.content
    teams = login.json()["result"]["me"]["teams"]
    assert [t["uid"] for t in teams] == [uid]
    assert teams[0]["me"]["status"] == "member"
    assert teams[0]["me"]["given_name"] == "Вася"
    assert User.objects.get(phone="+79992331133").status == User.Status.ACTIVE
    me = APIClient().get("/api/v3/me", HTTP_TOKEN=login.json()["result"]["token"]).json()["result"]
    assert [t["uid"] for t in me["teams"]] == [uid]


def test_create_reuses_existing_users_without_renaming_them(tada_client, owner, outsider):
    body = {"name": "Mixed", "contacts": [{"phone": outsider.phone, "given_name": "Renamed"}]}
    result = tada_client.post("/api/v3/teams", body, format="json").json()["result"]
    outsider.refresh_from_db()
    assert outsider.first_name == "Otto"
    # An existing user is invited, pending, and shown only as the creator wrote them (issue 8).
    assert {c["display_name"] for c in result["contacts"]} == {"Olga Owner", "Renamed"}
    assert User.objects.filter(phone=outsider.phone).count() == 1


def test_duplicate_phones_and_the_creators_own_phone_are_skipped(tada_client, owner):
    body = {"name": "Dupes", "contacts": [{"phone": owner.phone, "status": "guest"}, *[{"phone": "89992331122"}] * 2]}
    result = tada_client.post("/api/v3/teams", body, format="json").json()["result"]
    assert len(result["contacts"]) == 2
    assert result["me"]["status"] == "owner"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"contacts": []}, "name"),
        ({"name": "  "}, "name"),
        ({"name": "X", "contacts": [{"given_name": "no phone"}]}, "contacts.0.phone"),
        ({"name": "X", "contacts": [{"phone": "+7 999 233-11-22"}, {"phone": "not a phone"}]}, "contacts.1.phone"),
        ({"name": "X", "contacts": [{"phone": "+7 999 233-11-22", "status": "boss"}]}, "contacts.0.status"),
    ],
)
def test_create_validation_errors_are_400_and_create_nothing(tada_client, owner, body, field):
    users_before = User.objects.count()
    response = tada_client.post("/api/v3/teams", body, format="json")
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert field in response.json()["details"]
    assert Team.objects.filter(created_by=owner).count() == 0
    assert User.objects.count() == users_before
    assert not ServerEvent.objects.exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v3/teams"),
        ("get", "/api/v3/teams"),
        ("get", "/api/v3/teams/3525d76d-cfe0-469f-b46e-cbb79ae5491e"),
        ("put", "/api/v3/teams/3525d76d-cfe0-469f-b46e-cbb79ae5491e"),
        ("delete", "/api/v3/teams/3525d76d-cfe0-469f-b46e-cbb79ae5491e"),
    ],
)
def test_unauthenticated_is_401(client, method, path):
    response = getattr(client, method)(path, CREATE, format="json")
    assert response.status_code == 401
    assert response.json()["ok"] is False
    assert not Team.objects.exists()


# --- list / get --------------------------------------------------------------------------------------------------


def test_list_shows_my_teams_without_contacts(tada_client, owner, team, other_team, outsider):
    response = tada_client.get("/api/v3/teams/")
    assert response.status_code == 200
    [only] = response.json()["result"]
    assert set(only) == TEAM_KEYS
    assert only["uid"] == str(team.uid)
    assert only["me"]["jid"] == f"d-{owner.uid}"


@pytest.mark.parametrize("teams", [1, 5])
def test_list_and_me_query_counts_are_constant(tada_client, owner, django_assert_max_num_queries, teams):
    for _ in range(teams - 1):
        MembershipFactory(user=owner, team=TeamFactory(), status="member")
    with django_assert_max_num_queries(5):  # token, 2 presence writes (first call), team ids, memberships
        response = tada_client.get("/api/v3/teams")
    assert len(response.json()["result"]) == teams
    with django_assert_max_num_queries(4):  # token, team ids, devices, memberships
        response = tada_client.get("/api/v3/me")
    assert len(response.json()["result"]["teams"]) == teams


def test_get_one_team_as_owner(tada_client, owner, team):
    response = tada_client.get(_team_url(team))
    assert response.status_code == 200
    result = response.json()["result"]
    assert set(result) == TEAM_KEYS
    assert set(result["me"]) == OWN_CONTACT_KEYS
    assert result["can_add_to_team"] is result["can_manage_integrations"] is result["can_manage_sections"] is True
    assert result["bad_profile"] is False
    assert result["default_task_deadline"] == "18:00:00"
    assert result["max_message_update_age"] == 86400
    me = result["me"]
    assert "add_to_team_rights" in me["changeable_fields"]
    assert me["group_notifications_enabled"] is me["task_notifications_enabled"] is True
    assert me["contact_short_view"] is False
    assert me["default_lang"] is None


def test_member_sees_member_permissions_and_own_preferences(teammate_client, teammate, team):
    membership = Membership.objects.get(team=team, user=teammate)
    membership.preferences = {"contact_short_view": True, "task_notifications_enabled": False}
    membership.save()
    result = teammate_client.get(_team_url(team)).json()["result"]
    assert result["changeable_statuses"] == []
    assert result["can_add_to_team"] is result["can_manage_integrations"] is False
    me = result["me"]
    assert me["status"] == "member"
    assert me["contact_short_view"] is True
    assert me["task_notifications_enabled"] is False
    assert not {"add_to_team_rights", "section", "sections", "status"} & set(me["changeable_fields"])
    assert "given_name" in me["changeable_fields"]


def test_owner_without_names_has_bad_profile(tada_client, owner, team):
    User.objects.filter(pk=owner.pk).update(first_name="", last_name="")
    assert tada_client.get(_team_url(team)).json()["result"]["bad_profile"] is True


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_another_teams_uid_is_404(tada_client, other_team, outsider, method):
    response = getattr(tada_client, method)(_team_url(other_team), {"name": "hijacked"}, format="json")
    assert response.status_code == 404
    assert response.json()["ok"] is False
    other_team.refresh_from_db()
    assert (other_team.name, other_team.is_archived) == ("Rival Crew", False)


def test_outsider_cannot_see_my_team(outsider_client, team, owner):
    assert outsider_client.get(_team_url(team)).status_code == 404


def test_non_uuid_team_uid_is_404(tada_client):
    response = tada_client.get("/api/v3/teams/not-a-uuid")
    assert response.status_code == 404
    assert response.json()["ok"] is False


def test_api_key_sees_only_its_team(api_key, owner, team):
    second = TeamFactory()
    MembershipFactory(user=owner, team=second, status="owner")
    c = APIClient()
    c.credentials(HTTP_TOKEN=api_key)
    assert c.get(_team_url(team)).status_code == 200
    assert c.get(_team_url(second)).status_code == 404
    assert [t["uid"] for t in c.get("/api/v3/teams").json()["result"]] == [str(team.uid)]


# --- update ------------------------------------------------------------------------------------------------------


def test_owner_renames_team_and_stub_follows(tada_client, owner, teammate, team):
    old_stub = tada_client.get(_team_url(team)).json()["result"]["icons"]["stub"]
    response = tada_client.put(_team_url(team), {"name": "иное название"}, format="json")
    assert response.status_code == 200
    result = response.json()["result"]
    assert result["name"] == "иное название"
    assert result["icons"]["stub"] != old_stub
    assert result["icons"]["stub"].endswith("/%D0%B8%D0%BD/256.png")
    team.refresh_from_db()
    assert team.name == "иное название"
    event = ServerEvent.objects.get(name="server.team.updated")
    assert set(event.recipients.values_list("pk", flat=True)) == {owner.pk, teammate.pk}


def test_admin_may_rename(teammate_client, teammate, team):
    Membership.objects.filter(team=team, user=teammate).update(status="admin")
    assert teammate_client.put(_team_url(team), {"name": "Admins rule"}, format="json").status_code == 200


def test_member_may_not_rename(teammate_client, team):
    response = teammate_client.put(_team_url(team), {"name": "Mine now"}, format="json")
    assert response.status_code == 403
    assert response.json()["ok"] is False
    team.refresh_from_db()
    assert team.name == "Acme Crew"
    assert not ServerEvent.objects.exists()


@pytest.mark.parametrize("body", [{"name": ""}, {"name": "x" * 201}])
def test_update_validation_is_400(tada_client, team, body):
    response = tada_client.put(_team_url(team), body, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["details"]


# --- delete ------------------------------------------------------------------------------------------------------


def test_owner_deletes_team_softly(tada_client, owner, teammate, team):
    response = tada_client.delete(_team_url(team))
    assert response.status_code == 200
    result = response.json()["result"]
    assert set(result) == TEAM_KEYS | {"is_archive"}
    assert result["is_archive"] is True
    team.refresh_from_db()
    assert team.is_archived is True
    assert Membership.objects.filter(team=team).count() == 2  # rows kept
    event = ServerEvent.objects.get(name="server.team.deleted")
    assert set(event.recipients.values_list("pk", flat=True)) == {owner.pk, teammate.pk}
    assert tada_client.get(_team_url(team)).status_code == 404
    assert tada_client.get("/api/v3/teams").json()["result"] == []


@pytest.mark.parametrize("status", ["admin", "member"])
def test_only_owner_may_delete(teammate_client, teammate, team, status):
    Membership.objects.filter(team=team, user=teammate).update(status=status)
    response = teammate_client.delete(_team_url(team))
    assert response.status_code == 403
    team.refresh_from_db()
    assert team.is_archived is False


def test_create_then_get_by_a_new_pending_member_is_scoped(tada_client, owner):
    uid = tada_client.post("/api/v3/teams", CREATE, format="json").json()["result"]["uid"]
    stranger = UserFactory()
    c = APIClient()
    c.credentials(HTTP_TOKEN=auth_token_issue(user=stranger)[1])
    assert c.get(f"/api/v3/teams/{uid}").status_code == 404
