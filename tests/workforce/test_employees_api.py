"""GET /api/v1/workforce/manager/employees, GET/PUT /api/v1/workforce/manager/employees/{user_id}."""

import pytest

from accounts.models import Membership, ServerEvent
from tests.factories import MembershipFactory
from tests.helpers import assert_tommy_error, user_client
from workforce.models import EmployeeProfile

pytestmark = pytest.mark.django_db
URL = "/api/v1/workforce/manager/employees"

TEAM_MEMBER_FIELDS = {
    "id", "user_id", "team_id", "first_name", "last_name", "email", "mobile", "manager", "member", "status",
    "icon_url", "roles", "locations", "tags", "favorite", "mute", "addon_links",
}  # fmt: skip


def _body(team, user, **fields):
    return {"user_id": user.pk, "team_id": team.pk, **fields}


def test_list_has_every_member_with_profile_fields(tommy_client, team, owner, teammate):
    membership = Membership.objects.get(team=team, user=teammate)
    EmployeeProfile.objects.create(team=team, membership=membership, has_vehicle=True, notes="Forklift")
    response = tommy_client.get(URL)
    assert response.status_code == 200, response.content
    rows = {row["user_id"]: row for row in response.json()}
    assert set(rows) == {owner.pk, teammate.pk}
    row = rows[teammate.pk]
    assert TEAM_MEMBER_FIELDS | {"has_vehicle", "compliance_check", "notes"} <= set(row)
    assert (row["id"], row["team_id"], row["has_vehicle"], row["notes"]) == (membership.pk, team.pk, True, "Forklift")
    assert (rows[owner.pk]["has_vehicle"], rows[owner.pk]["manager"]) == (False, True)
    assert response["X-Total-Count"] == "2"


@pytest.mark.parametrize("extra", [3, 15])
def test_list_query_count_is_constant(tommy_client, team, owner, extra, django_assert_max_num_queries):
    for membership in MembershipFactory.create_batch(extra, team=team):
        EmployeeProfile.objects.create(team=team, membership=membership, notes="n")
    tommy_client.get(URL)  # the credential's once-a-minute touch is out of the way
    with django_assert_max_num_queries(7):  # +accounts.visibility: the viewer's teams, their settings, relations
        response = tommy_client.get(URL)
    assert len(response.json()) == extra + 1


def test_get_one(tommy_client, team, teammate):
    response = tommy_client.get(f"{URL}/{teammate.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["user_id"], body["first_name"], body["has_vehicle"], body["notes"]) == (teammate.pk, "Tim", False, "")


def test_put_changes_membership_and_profile(tommy_client, team, teammate):
    body = _body(
        team,
        teammate,
        roles=["Chef"],
        tags=["night"],
        locations=["Downtown"],
        favorite=True,
        manager=True,
        has_vehicle=True,
        compliance_check="DBS 2024",
        notes="Speaks French",
    )
    response = tommy_client.put(f"{URL}/{teammate.pk}", body, format="json")
    assert response.status_code == 200, response.content
    out = response.json()
    assert (out["roles"], out["tags"], out["manager"], out["has_vehicle"], out["compliance_check"]) == (
        ["Chef"],
        ["night"],
        True,
        True,
        "DBS 2024",
    )
    membership = Membership.objects.get(team=team, user=teammate)
    assert (membership.roles, membership.locations, membership.favorite, membership.is_manager) == (
        ["Chef"],
        ["Downtown"],
        True,
        True,
    )
    profile = EmployeeProfile.objects.get(membership=membership)
    assert (profile.team_id, profile.notes) == (team.pk, "Speaks French")
    assert ServerEvent.objects.filter(team=team, name="server.contact.updated").exists()  # via the accounts service
    # a second PUT updates the same profile row
    tommy_client.put(f"{URL}/{teammate.pk}", _body(team, teammate, notes="Changed"), format="json")
    assert EmployeeProfile.objects.filter(membership=membership).get().notes == "Changed"


def test_workforce_manager_changes_the_profile_but_not_memberships(team, owner, teammate):
    boss = MembershipFactory(team=team, is_manager=True).user  # a member with the workforce manager flag
    client = user_client(boss)
    ok = client.put(f"{URL}/{teammate.pk}", _body(team, teammate, has_vehicle=True), format="json")
    assert ok.status_code == 200, ok.content
    body = assert_tommy_error(
        client.put(f"{URL}/{teammate.pk}", _body(team, teammate, roles=["x"]), format="json"), 403
    )
    assert body["code"] == "FORBIDDEN"  # the accounts permission table: only owners and admins manage members
    assert Membership.objects.get(team=team, user=teammate).roles == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"user_id": None}, "user_id"),  # user_id and team_id are required in the body too
        ({"team_id": None}, "team_id"),
        ({"team_id": 0}, "team_id"),
        ({"tags": "night"}, "tags"),
        ({"has_vehicle": "maybe"}, "has_vehicle"),
        ({"compliance_check": "x" * 300}, "compliance_check"),
    ],
)
def test_put_validation_errors_are_422(tommy_client, team, teammate, change, field):
    payload = {k: v for k, v in {**_body(team, teammate, notes="x"), **change}.items() if v is not None}
    out = assert_tommy_error(tommy_client.put(f"{URL}/{teammate.pk}", payload, format="json"), 422)
    assert field in out["details"]
    assert not EmployeeProfile.objects.exists()


def test_put_with_a_user_id_of_another_path_is_422(tommy_client, team, owner, teammate):
    out = assert_tommy_error(
        tommy_client.put(f"{URL}/{teammate.pk}", _body(team, owner, notes="x"), format="json"), 422
    )
    assert "user_id" in out["details"]


def test_employee_gets_403(team, teammate):
    client = user_client(teammate)
    assert_tommy_error(client.get(URL), 403)
    assert_tommy_error(client.get(f"{URL}/{teammate.pk}"), 403)
    assert_tommy_error(client.put(f"{URL}/{teammate.pk}", _body(team, teammate, notes="me"), format="json"), 403)
    assert not EmployeeProfile.objects.exists()


def test_unauthenticated_is_401(client, teammate):
    assert_tommy_error(client.get(URL), 401)
    assert_tommy_error(client.get(f"{URL}/{teammate.pk}"), 401)
    assert_tommy_error(client.put(f"{URL}/{teammate.pk}", {}, format="json"), 401)


def test_member_of_another_team_is_404(tommy_client, team, outsider, other_team):
    assert_tommy_error(tommy_client.get(f"{URL}/{outsider.pk}"), 404)
    response = tommy_client.put(f"{URL}/{outsider.pk}", _body(team, outsider, notes="x"), format="json")
    assert_tommy_error(response, 404)
    assert outsider.pk not in {row["user_id"] for row in tommy_client.get(URL).json()}
    assert not EmployeeProfile.objects.exists()


def test_delete_is_not_routed_405(tommy_client, teammate):
    assert_tommy_error(tommy_client.delete(f"{URL}/{teammate.pk}"), 405)
    assert_tommy_error(tommy_client.post(URL, {}, format="json"), 405)
