"""Tommy team members: GET /team/members, GET/PUT /team/members/{user_id}, POST /team/members/invite
(spec tommy-2 "TeamMember")."""

import pytest
from django.core import mail

from accounts.models import Invitation, Membership, ServerEvent, User
from messaging import sms
from tests.factories import MembershipFactory, UserFactory
from tests.tommy.team_helpers import token_client
from tests.tommy.test_users_api import assert_envelope

pytestmark = pytest.mark.django_db

MEMBER_FIELDS = {
    "id", "user_id", "team_id", "first_name", "last_name", "email", "mobile", "manager", "member", "status",
    "icon_url", "roles", "locations", "tags", "favorite", "mute", "addon_links",
}  # fmt: skip


# GET /team/members


def test_list_members_of_current_team(owner_client, owner, teammate, team, outsider):
    response = owner_client.get("/api/v1/team/members")
    assert response.status_code == 200
    rows = response.json()
    assert [r["user_id"] for r in rows] == [owner.pk, teammate.pk]
    assert all(set(r) == MEMBER_FIELDS for r in rows)
    assert rows[0]["manager"] is True
    assert rows[0]["status"] == "owner"
    assert rows[0]["member"] is True
    assert rows[1]["manager"] is False
    assert rows[1]["team_id"] == team.pk
    assert rows[1]["addon_links"] == []
    assert response["X-Total-Count"] == "2"


def test_list_members_paginates(owner_client, team):
    for _ in range(3):
        MembershipFactory(team=team)
    response = owner_client.get("/api/v1/team/members", {"per": 2, "page": 2})
    assert len(response.json()) == 2
    assert response["X-Total-Count"] == "4"
    assert_envelope(owner_client.get("/api/v1/team/members", {"per": 0}), 422, "VALIDATION_ERROR")


def test_list_members_needs_credentials(client):
    assert_envelope(client.get("/api/v1/team/members"), 401, "UNAUTHORIZED")


@pytest.mark.parametrize("size", [2, 20])
def test_list_members_query_count_is_constant(owner, team, size, django_assert_max_num_queries):
    for _ in range(size):
        MembershipFactory(team=team)
    c = token_client(owner)
    # token, 2 presence UPDATEs, team_ids, current team, count, rows
    with django_assert_max_num_queries(12):  # +accounts.visibility: the viewer's teams, their settings, relations
        response = c.get("/api/v1/team/members")
    assert len(response.json()) == size + 1


# GET /team/members/{user_id}


def test_get_member_by_user_id(owner_client, teammate):
    body = owner_client.get(f"/api/v1/team/members/{teammate.pk}").json()
    assert (body["user_id"], body["first_name"], body["mobile"]) == (teammate.pk, "Tim", teammate.phone)


def test_get_member_of_another_team_is_404(owner_client, outsider_client, outsider, teammate):
    assert_envelope(owner_client.get(f"/api/v1/team/members/{outsider.pk}"), 404, "NOT_FOUND")
    assert_envelope(outsider_client.get(f"/api/v1/team/members/{teammate.pk}"), 404, "NOT_FOUND")


def test_get_member_needs_credentials(client, teammate):
    assert_envelope(client.get(f"/api/v1/team/members/{teammate.pk}"), 401, "UNAUTHORIZED")


# PUT /team/members/{user_id}


def test_owner_updates_member_labels_and_manager_flag(owner_client, teammate, team):
    body = {"user_id": teammate.pk, "team_id": team.pk, "roles": ["Chef"], "locations": ["Downtown"],
            "tags": ["night"], "manager": True, "status": "admin", "first_name": "ignored"}  # fmt: skip
    response = owner_client.put(f"/api/v1/team/members/{teammate.pk}", body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["roles"], data["locations"], data["tags"]) == (["Chef"], ["Downtown"], ["night"])
    assert (data["manager"], data["status"], data["first_name"]) == (True, "admin", "Tim")
    membership = Membership.objects.get(team=team, user=teammate)
    assert membership.is_manager
    assert membership.status == "admin"
    assert membership.roles == ["Chef"]
    assert ServerEvent.objects.filter(name="server.contact.updated", team=team).exists()


def test_member_may_change_only_own_favorite_and_mute(member_client, teammate, owner, team):
    response = member_client.put(f"/api/v1/team/members/{teammate.pk}", {"favorite": True, "mute": True}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["favorite"], response.json()["mute"]) == (True, True)
    for body in ({"roles": ["Boss"]}, {"manager": True}):
        assert_envelope(member_client.put(f"/api/v1/team/members/{teammate.pk}", body, format="json"), 403, "FORBIDDEN")
    assert_envelope(
        member_client.put(f"/api/v1/team/members/{teammate.pk}", {"status": "admin"}, format="json"), 403, "FORBIDDEN"
    )
    assert_envelope(
        member_client.put(f"/api/v1/team/members/{owner.pk}", {"tags": ["x"]}, format="json"), 403, "FORBIDDEN"
    )
    membership = Membership.objects.get(team=team, user=teammate)
    assert (membership.roles, membership.is_manager, membership.status) == ([], False, "member")


def test_admin_cannot_touch_the_owner(team, owner):
    admin = UserFactory()
    MembershipFactory(team=team, user=admin, status=Membership.Status.ADMIN)
    response = token_client(admin).put(f"/api/v1/team/members/{owner.pk}", {"status": "member"}, format="json")
    assert_envelope(response, 403, "FORBIDDEN")
    assert Membership.objects.get(team=team, user=owner).status == "owner"


def test_last_owner_cannot_demote_self(owner_client, owner):
    response = owner_client.put(f"/api/v1/team/members/{owner.pk}", {"status": "member"}, format="json")
    assert_envelope(response, 422, "VALIDATION_ERROR")


@pytest.mark.parametrize(
    ("body", "field"),
    [({"roles": "Chef"}, "roles"), ({"status": "boss"}, "status"), ({"favorite": "maybe"}, "favorite"),
     ({"team_id": 999999}, "team_id"), ({"user_id": 999999}, "user_id")],
)  # fmt: skip
def test_put_member_validation_is_422(owner_client, teammate, body, field):
    data = assert_envelope(
        owner_client.put(f"/api/v1/team/members/{teammate.pk}", body, format="json"), 422, "VALIDATION_ERROR"
    )
    assert field in data["details"]


def test_put_member_of_another_team_is_404(owner_client, outsider):
    assert_envelope(
        owner_client.put(f"/api/v1/team/members/{outsider.pk}", {"tags": ["x"]}, format="json"), 404, "NOT_FOUND"
    )
    assert Membership.objects.get(user=outsider).tags == []


def test_put_member_needs_credentials(client, teammate):
    assert_envelope(client.put(f"/api/v1/team/members/{teammate.pk}", {}, format="json"), 401, "UNAUTHORIZED")


# POST /team/members/invite


def test_invite_by_mobile_creates_pending_member_and_texts_them(
    owner_client, team, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            "/api/v1/team/members/invite",
            {"mobile": "+1 202 555 0199", "first_name": "Nina", "roles": ["Barista"]},
            format="json",
        )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["mobile"], data["first_name"], data["member"], data["roles"]) == (
        "+12025550199",
        "Nina",
        False,
        ["Barista"],
    )
    user = User.objects.get(phone="+12025550199")
    assert user.status == User.Status.PENDING
    membership = Membership.objects.get(team=team, user=user)
    assert membership.need_confirmation
    assert membership.invited_by == owner
    assert [m.to for m in sms.outbox] == ["+12025550199"]
    assert "Acme Crew" in sms.outbox[0].body
    assert Invitation.objects.get(invitee=user).team == team


def test_invite_by_email_sends_a_mail(owner_client, team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post("/api/v1/team/members/invite", {"email": "New.Hire@Example.com"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["email"] == "New.Hire@example.com"
    assert mail.outbox[0].to == ["New.Hire@example.com"]
    assert sms.outbox == []


def test_invite_existing_user_by_id_from_another_of_my_teams(
    owner_client, owner, team, django_capture_on_commit_callbacks
):
    friend = UserFactory()
    from tests.factories import TeamFactory

    MembershipFactory(team=TeamFactory(), user=owner)
    MembershipFactory(team=owner.memberships.last().team, user=friend)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post("/api/v1/team/members/invite", {"user_id": friend.pk}, format="json")
    assert response.status_code == 201, response.content
    assert Membership.objects.get(team=team, user=friend).need_confirmation
    assert [m.to for m in sms.outbox] == [friend.phone]


def test_invite_pending_member_again_resends(owner_client, team, django_capture_on_commit_callbacks):
    body = {"mobile": "+12025550199"}
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post("/api/v1/team/members/invite", body, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post("/api/v1/team/members/invite", body, format="json")
    assert response.status_code == 200
    assert len(sms.outbox) == 2
    assert Membership.objects.filter(team=team, user__phone="+12025550199").count() == 1


def test_invite_existing_member_is_409(owner_client, teammate):
    response = owner_client.post("/api/v1/team/members/invite", {"user_id": teammate.pk}, format="json")
    assert_envelope(response, 409, "CONFLICT")
    assert sms.outbox == []


def test_invite_user_of_another_tenant_by_id_is_404(owner_client, outsider, team):
    assert_envelope(
        owner_client.post("/api/v1/team/members/invite", {"user_id": outsider.pk}, format="json"), 404, "NOT_FOUND"
    )
    assert not Membership.objects.filter(team=team, user=outsider).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "user_id"),
        ({"mobile": "abc"}, "mobile"),
        ({"email": "nope"}, "email"),
        ({"email": "a@b.co", "status": "boss"}, "status"),
    ],
)
def test_invite_validation_is_422(owner_client, body, field):
    before = User.objects.count()
    data = assert_envelope(
        owner_client.post("/api/v1/team/members/invite", body, format="json"), 422, "VALIDATION_ERROR"
    )
    assert field in data["details"]
    assert User.objects.count() == before


def test_member_cannot_invite(member_client, team):
    response = member_client.post("/api/v1/team/members/invite", {"mobile": "+12025550199"}, format="json")
    assert_envelope(response, 403, "FORBIDDEN")
    assert not User.objects.filter(phone="+12025550199").exists()
    assert sms.outbox == []


def test_admin_cannot_invite_an_owner(team):
    admin = UserFactory()
    MembershipFactory(team=team, user=admin, status=Membership.Status.ADMIN)
    response = token_client(admin).post(
        "/api/v1/team/members/invite", {"mobile": "+12025550199", "status": "owner"}, format="json"
    )
    assert_envelope(response, 403, "FORBIDDEN")


def test_invite_needs_credentials(client):
    assert_envelope(
        client.post("/api/v1/team/members/invite", {"mobile": "+12025550199"}, format="json"), 401, "UNAUTHORIZED"
    )
