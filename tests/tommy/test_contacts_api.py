"""Tommy /contacts: list, create, get, update, import (atomic), add, invite, accept, decline."""

import pytest
from django.core import mail

from accounts.models import Contact, Invitation, ServerEvent, User
from messaging import sms
from tests.factories import MembershipFactory, UserFactory
from tests.tommy.conftest import basic_client
from tests.tommy.contacts_support import contact_row, invitation_route, statuses
from tests.tommy.test_users_api import assert_envelope

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("invitation_route")]
__all__ = ["invitation_route"]

CONTACT_KEYS = {
    "friend_id", "favorite", "mute", "personal", "roles", "locations", "tags", "id", "type", "first_name",
    "last_name", "icon_url", "email", "mobile", "status", "member", "last_online_at",
}  # fmt: skip


def connect(owner, friend, **fields) -> Contact:
    Contact.objects.create(owner=friend, friend=owner, status=Contact.Status.ACCEPTED)
    return Contact.objects.create(owner=owner, friend=friend, status=Contact.Status.ACCEPTED, **fields)


@pytest.fixture
def teammate_basic(teammate):
    return basic_client(teammate)


# GET /contacts


def test_list_contacts_shows_only_mine(tommy_client, owner, teammate, outsider):
    mine = connect(owner, teammate, favorite=True, tags=["crew"])
    connect(outsider, UserFactory())  # someone else's contacts stay invisible
    response = tommy_client.get("/api/v1/contacts")
    assert response.status_code == 200, response.content
    assert response["X-Total-Count"] == "1"
    [row] = response.json()
    assert set(row) == CONTACT_KEYS
    assert row == {
        **row,
        "id": mine.pk,
        "friend_id": teammate.pk,
        "type": "User",
        "favorite": True,
        "tags": ["crew"],
        "first_name": "Tim",
        "mobile": teammate.phone,
        "email": teammate.email,
        "status": "accepted",
        "member": True,
        "icon_url": None,
    }


def test_list_pages_with_per(tommy_client, owner):
    for _ in range(3):
        connect(owner, UserFactory())
    response = tommy_client.get("/api/v1/contacts/", {"per": 2, "page": 2})
    assert response.status_code == 200
    assert response["X-Total-Count"] == "3"
    assert len(response.json()) == 1


def test_list_rejects_a_bad_per(tommy_client):
    body = assert_envelope(tommy_client.get("/api/v1/contacts", {"per": 0}), 422, "VALIDATION_ERROR")
    assert "per" in body["details"]


def test_list_needs_credentials(client):
    assert_envelope(client.get("/api/v1/contacts"), 401, "UNAUTHORIZED")


@pytest.mark.parametrize("size", [2, 12])
def test_list_query_count_is_constant(tommy_client, owner, size, django_assert_max_num_queries):
    for _ in range(size):
        connect(owner, UserFactory())
    # api key lookup + 2 presence UPDATEs (first use in a minute) + count + rows
    with django_assert_max_num_queries(8):  # +accounts.visibility: the viewer's teams, their settings, relations
        response = tommy_client.get("/api/v1/contacts")
    assert len(response.json()) == size


def test_team_account_lists_the_team_contacts(owner, team, teammate):
    connect(owner, UserFactory())  # personal
    team_row = Contact.objects.create(owner=teammate, team=team, friend=UserFactory(), status="accepted")
    owner.current_account_type, owner.current_account_id = "Team", team.pk
    owner.save()
    rows = basic_client(owner).get("/api/v1/contacts").json()
    assert [r["id"] for r in rows] == [team_row.pk]


# POST /contacts


def test_create_invites_a_new_person_by_sms(tommy_client, owner, django_capture_on_commit_callbacks):
    body = {"first_name": "Alex", "last_name": "Johnson", "mobile": "+1 (555) 123-4567", "via": "app"}
    with django_capture_on_commit_callbacks(execute=True):
        response = tommy_client.post("/api/v1/contacts", body, format="json")
    assert response.status_code == 201, response.content
    friend = User.objects.get(phone="+15551234567")
    assert friend.status == User.Status.PENDING
    assert friend.first_name == "Alex"
    data = response.json()
    assert (data["friend_id"], data["status"], data["member"], data["mobile"]) == (
        friend.pk,
        "invited",
        False,
        "+15551234567",
    )
    assert statuses(owner, friend) == ("invited", "requested")
    assert contact_row(owner, friend).via == "app"
    [text] = sms.outbox
    assert text.to == "+15551234567"
    assert "invited you" in text.body
    assert Invitation.objects.get(invitee=friend, inviter=owner).times_sent == 1


def test_create_finds_an_existing_user_by_email_and_emails_them(
    tommy_client, owner, django_capture_on_commit_callbacks
):
    friend = UserFactory(email="sam@example.com", phone=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = tommy_client.post("/api/v1/contacts", {"email": "sam@EXAMPLE.com"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["friend_id"] == friend.pk
    assert User.objects.count() == 2
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]
    assert not sms.outbox


def test_create_matches_a_mobile_in_another_format(tommy_client, teammate):
    local = "8" + teammate.phone[2:]  # +7916… written the Russian national way
    response = tommy_client.post("/api/v1/contacts", {"mobile": local}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["friend_id"] == teammate.pk


def test_create_with_team_ids_adds_the_team_contact_too(tommy_client, owner, team):
    response = tommy_client.post("/api/v1/contacts", {"mobile": "+15551234567", "team_ids": [team.pk]}, format="json")
    assert response.status_code == 201, response.content
    friend = User.objects.get(phone="+15551234567")
    assert Contact.objects.get(team=team, friend=friend).status == "invited"
    assert contact_row(owner, friend).status == "invited"
    assert Invitation.objects.filter(invitee=friend).count() == 1


def test_create_validation(tommy_client):
    body = assert_envelope(
        tommy_client.post("/api/v1/contacts", {"first_name": "X"}, format="json"), 422, "VALIDATION_ERROR"
    )
    assert "mobile" in body["details"]
    body = assert_envelope(
        tommy_client.post("/api/v1/contacts", {"mobile": "12"}, format="json"), 422, "VALIDATION_ERROR"
    )
    assert body["details"] == {"mobile": ["is invalid"]}
    assert not Contact.objects.exists()
    assert User.objects.count() == 1


def test_create_for_another_teams_ids_is_422_and_writes_nothing(tommy_client, other_team):
    response = tommy_client.post(
        "/api/v1/contacts", {"mobile": "+15551234567", "team_ids": [other_team.pk]}, format="json"
    )
    assert "team_ids" in assert_envelope(response, 422, "VALIDATION_ERROR")["details"]
    assert not User.objects.filter(phone="+15551234567").exists()
    assert not sms.outbox


def test_create_an_existing_contact_or_yourself_is_422(tommy_client, owner, teammate):
    connect(owner, teammate)
    assert_envelope(
        tommy_client.post("/api/v1/contacts", {"email": teammate.email}, format="json"), 422, "VALIDATION_ERROR"
    )
    assert_envelope(
        tommy_client.post("/api/v1/contacts", {"email": owner.email}, format="json"), 422, "VALIDATION_ERROR"
    )
    assert not Invitation.objects.exists()


def test_create_needs_credentials(client):
    assert_envelope(client.post("/api/v1/contacts", {"mobile": "+15551234567"}, format="json"), 401, "UNAUTHORIZED")
    assert not User.objects.exists()


# GET /contacts/{friend_id}


def test_get_contact_by_friend_id(tommy_client, owner, teammate):
    row = connect(owner, teammate, roles=["driver"])
    response = tommy_client.get(f"/api/v1/contacts/{teammate.pk}")
    assert response.status_code == 200, response.content
    assert response.json()["id"] == row.pk
    assert response.json()["roles"] == ["driver"]


def test_get_someone_elses_contact_is_404(tommy_client, outsider):
    friend = UserFactory()
    connect(outsider, friend)
    assert_envelope(tommy_client.get(f"/api/v1/contacts/{friend.pk}"), 404, "NOT_FOUND")
    assert_envelope(tommy_client.get("/api/v1/contacts/999999"), 404, "NOT_FOUND")


def test_get_contact_needs_credentials(client, owner, teammate):
    connect(owner, teammate)
    assert_envelope(client.get(f"/api/v1/contacts/{teammate.pk}"), 401, "UNAUTHORIZED")


# PUT /contacts/{friend_id}


def test_update_writes_the_labels_only(tommy_client, owner, teammate):
    row = connect(owner, teammate)
    body = {
        "friend_id": teammate.pk,
        "favorite": True,
        "mute": True,
        "personal": True,
        "roles": ["lead"],
        "locations": ["Depot"],
        "tags": ["a", "b"],
        "status": "declined",
        "first_name": "Hacked",
        "member": False,
    }
    response = tommy_client.put(f"/api/v1/contacts/{teammate.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    row.refresh_from_db()
    teammate.refresh_from_db()
    assert (row.favorite, row.mute, row.personal, row.roles, row.locations, row.tags) == (
        True, True, True, ["lead"], ["Depot"], ["a", "b"],
    )  # fmt: skip
    assert row.status == "accepted"
    assert teammate.first_name == "Tim"
    assert response.json()["tags"] == ["a", "b"]


def test_update_validation(tommy_client, owner, teammate):
    row = connect(owner, teammate)
    body = assert_envelope(
        tommy_client.put(f"/api/v1/contacts/{teammate.pk}", {"roles": "lead", "friend_id": 1}, format="json"),
        422,
        "VALIDATION_ERROR",
    )
    assert {"roles", "friend_id"} <= set(body["details"])
    row.refresh_from_db()
    assert row.roles == []


def test_update_someone_elses_contact_is_404(tommy_client, outsider):
    friend = UserFactory()
    row = connect(outsider, friend)
    assert_envelope(
        tommy_client.put(f"/api/v1/contacts/{friend.pk}", {"favorite": True}, format="json"), 404, "NOT_FOUND"
    )
    row.refresh_from_db()
    assert row.favorite is False


def test_update_needs_credentials(client, owner, teammate):
    connect(owner, teammate)
    response = client.put(f"/api/v1/contacts/{teammate.pk}", {"favorite": True}, format="json")
    assert_envelope(response, 401, "UNAUTHORIZED")


# POST /contacts/import


def test_import_finds_and_creates_users_in_bulk(tommy_client, owner, teammate):
    existing = connect(owner, UserFactory(email="old@example.com"), favorite=True)
    rows = [
        {"first_name": "Tim", "mobile": teammate.phone},  # an existing user, by mobile
        {"first_name": "New", "last_name": "Phone", "mobile": "+1 555 123 4567"},
        {"first_name": "New", "email": "new@example.com"},
        {"first_name": "Again", "mobile": "+15551234567", "email": "dup@example.com"},  # same person as row 1
        {"first_name": "Old", "email": "OLD@example.com"},  # already a contact: unchanged
        {"first_name": "Me", "mobile": owner.phone},  # the caller's own card is skipped
    ]
    response = tommy_client.post("/api/v1/contacts/import", rows, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    new_phone = User.objects.get(phone="+15551234567")
    new_email = User.objects.get(email="new@example.com")
    assert [c["friend_id"] for c in data] == [teammate.pk, new_phone.pk, new_email.pk, existing.friend_id]
    assert {new_phone.status, new_email.status} == {"pending"}
    assert new_phone.last_name == "Phone"
    assert not new_phone.has_usable_password()
    assert [c["status"] for c in data] == ["invited", "invited", "invited", "accepted"]
    assert data[3]["favorite"] is True
    assert Contact.objects.filter(owner=owner, via="import").count() == 3
    assert Contact.objects.filter(friend=owner).count() == 1  # nobody else's side is written (1: `existing`)
    assert not sms.outbox
    assert not mail.outbox


def test_import_is_atomic_and_reports_errors_per_row(tommy_client, owner):
    rows = [
        {"first_name": "Ok", "mobile": "+15551234567"},
        {"mobile": "+15551234568"},
        {"first_name": "Bad", "mobile": "12"},
        {"first_name": "Nothing"},
        "not an object",
    ]
    body = assert_envelope(tommy_client.post("/api/v1/contacts/import", rows, format="json"), 422, "VALIDATION_ERROR")
    assert body["details"] == {
        "1.first_name": ["This field is required."],
        "2.mobile": ["is invalid"],
        "3.mobile": ["or email is required"],
        "4": ["must be a JSON object"],
    }
    assert User.objects.count() == 1
    assert not Contact.objects.exists()


def test_import_body_must_be_an_array(tommy_client):
    response = tommy_client.post("/api/v1/contacts/import", {"first_name": "A", "email": "a@x.io"}, format="json")
    assert_envelope(response, 422, "VALIDATION_ERROR")
    assert not Contact.objects.exists()


@pytest.mark.parametrize("size", [3, 30])
def test_import_query_count_does_not_grow_with_rows(tommy_client, owner, size, django_assert_max_num_queries):
    rows = [{"first_name": f"P{i}", "mobile": f"+1555{i:07d}"} for i in range(size)]
    rows[0]["mobile"] = UserFactory().phone
    with django_assert_max_num_queries(12):  # + accounts.visibility
        response = tommy_client.post("/api/v1/contacts/import", rows, format="json")
    assert response.status_code == 200, response.content
    assert Contact.objects.filter(owner=owner).count() == size


def test_import_needs_credentials(client):
    response = client.post("/api/v1/contacts/import", [{"first_name": "A", "email": "a@x.io"}], format="json")
    assert_envelope(response, 401, "UNAUTHORIZED")
    assert not User.objects.exists()


# POST /contacts/{friend_id}/add


def test_add_sends_a_request_and_publishes_nothing(tommy_client, owner, teammate):
    response = tommy_client.post(f"/api/v1/contacts/{teammate.pk}/add")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "pending"
    assert statuses(owner, teammate) == ("pending", "requested")
    assert not sms.outbox
    assert not mail.outbox
    assert not ServerEvent.objects.exists()


def test_add_on_behalf_of_a_team(tommy_client, owner, teammate, team):
    response = tommy_client.post(f"/api/v1/contacts/{teammate.pk}/add", {"team_id": team.pk}, format="json")
    assert response.status_code == 200, response.content
    assert Contact.objects.get(team=team, friend=teammate).status == "pending"
    assert contact_row(teammate, owner).status == "requested"
    assert contact_row(owner, teammate) is None


def test_add_illegal_transitions_are_422(tommy_client, owner, teammate, other_team):
    assert_envelope(tommy_client.post(f"/api/v1/contacts/{owner.pk}/add"), 422, "VALIDATION_ERROR")
    response = tommy_client.post(f"/api/v1/contacts/{teammate.pk}/add", {"team_id": other_team.pk}, format="json")
    assert "team_id" in assert_envelope(response, 422, "VALIDATION_ERROR")["details"]
    connect(owner, teammate)
    assert_envelope(tommy_client.post(f"/api/v1/contacts/{teammate.pk}/add"), 422, "VALIDATION_ERROR")
    assert statuses(owner, teammate) == ("accepted", "accepted")


def test_add_when_they_already_asked_is_422(tommy_client, owner, teammate_basic, teammate):
    assert teammate_basic.post(f"/api/v1/contacts/{owner.pk}/add").status_code == 200
    response = tommy_client.post(f"/api/v1/contacts/{teammate.pk}/add")
    assert "accept" in assert_envelope(response, 422, "VALIDATION_ERROR")["message"]
    assert statuses(owner, teammate) == ("requested", "pending")


def test_add_a_stranger_is_404(tommy_client, outsider):
    assert_envelope(tommy_client.post(f"/api/v1/contacts/{outsider.pk}/add"), 404, "NOT_FOUND")
    assert not Contact.objects.exists()


def test_add_needs_credentials(client, teammate):
    assert_envelope(client.post(f"/api/v1/contacts/{teammate.pk}/add"), 401, "UNAUTHORIZED")


# POST /contacts/{friend_id}/invite


def test_invite_texts_the_friend(tommy_client, owner, teammate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = tommy_client.post(f"/api/v1/contacts/{teammate.pk}/invite")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "invited"
    assert statuses(owner, teammate) == ("invited", "requested")
    assert [t.to for t in sms.outbox] == [teammate.phone]
    assert Invitation.objects.filter(inviter=owner, invitee=teammate, team__isnull=True).count() == 1


def test_invite_an_accepted_contact_is_422(tommy_client, owner, teammate):
    connect(owner, teammate)
    assert_envelope(tommy_client.post(f"/api/v1/contacts/{teammate.pk}/invite"), 422, "VALIDATION_ERROR")
    assert not Invitation.objects.exists()


def test_invite_a_stranger_is_404(tommy_client, outsider):
    assert_envelope(tommy_client.post(f"/api/v1/contacts/{outsider.pk}/invite"), 404, "NOT_FOUND")
    assert not sms.outbox
    assert not Invitation.objects.exists()


def test_invite_needs_credentials(client, teammate):
    assert_envelope(client.post(f"/api/v1/contacts/{teammate.pk}/invite"), 401, "UNAUTHORIZED")


# POST /contacts/{friend_id}/accept


def test_accept_an_incoming_request(tommy_client, owner, team, teammate_basic, teammate):
    teammate_basic.post(f"/api/v1/contacts/{owner.pk}/add")
    response = tommy_client.post(f"/api/v1/contacts/{teammate.pk}/accept", {"team_ids": [team.pk]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    assert statuses(owner, teammate) == ("accepted", "accepted")
    assert Contact.objects.get(team=team, friend=teammate).status == "accepted"


def test_accept_without_a_request_is_422(tommy_client, owner, teammate):
    response = tommy_client.post(f"/api/v1/contacts/{teammate.pk}/accept", {"team_ids": []}, format="json")
    assert_envelope(response, 422, "VALIDATION_ERROR")
    # my own outgoing request is not an incoming one
    tommy_client.post(f"/api/v1/contacts/{teammate.pk}/add")
    assert_envelope(tommy_client.post(f"/api/v1/contacts/{teammate.pk}/accept"), 422, "VALIDATION_ERROR")
    assert statuses(owner, teammate) == ("pending", "requested")


def test_accept_into_another_teams_is_422(tommy_client, owner, teammate_basic, teammate, other_team):
    teammate_basic.post(f"/api/v1/contacts/{owner.pk}/add")
    response = tommy_client.post(f"/api/v1/contacts/{teammate.pk}/accept", {"team_ids": [other_team.pk]}, format="json")
    assert "team_ids" in assert_envelope(response, 422, "VALIDATION_ERROR")["details"]
    assert statuses(owner, teammate) == ("requested", "pending")


def test_accept_a_stranger_is_404(tommy_client, outsider):
    assert_envelope(tommy_client.post(f"/api/v1/contacts/{outsider.pk}/accept"), 404, "NOT_FOUND")


def test_accept_needs_credentials(client, teammate):
    assert_envelope(
        client.post(f"/api/v1/contacts/{teammate.pk}/accept", {"team_ids": []}, format="json"), 401, "UNAUTHORIZED"
    )


# POST /contacts/{friend_id}/decline


def test_decline_an_incoming_request(tommy_client, owner, teammate_basic, teammate):
    teammate_basic.post(f"/api/v1/contacts/{owner.pk}/add")
    response = tommy_client.post(f"/api/v1/contacts/{teammate.pk}/decline")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "declined"
    assert statuses(owner, teammate) == ("declined", "declined")


def test_decline_without_a_request_is_422(tommy_client, owner, teammate):
    assert_envelope(tommy_client.post(f"/api/v1/contacts/{teammate.pk}/decline"), 422, "VALIDATION_ERROR")
    assert statuses(owner, teammate) == (None, None)


def test_decline_a_stranger_is_404(tommy_client, outsider):
    assert_envelope(tommy_client.post(f"/api/v1/contacts/{outsider.pk}/decline"), 404, "NOT_FOUND")


def test_decline_needs_credentials(client, teammate):
    assert_envelope(client.post(f"/api/v1/contacts/{teammate.pk}/decline"), 401, "UNAUTHORIZED")


def test_a_friend_outside_my_teams_who_asked_me_can_be_answered(tommy_client, owner, outsider):
    Contact.objects.create(owner=outsider, friend=owner, status="invited")  # a stranger who invited owner
    Contact.objects.create(owner=owner, friend=outsider, status="requested")
    response = tommy_client.post(f"/api/v1/contacts/{outsider.pk}/accept")
    assert response.status_code == 200, response.content
    assert statuses(owner, outsider) == ("accepted", "accepted")


def test_a_teammate_is_a_member_once_signed_up(tommy_client, owner, team):
    pending = UserFactory(status=User.Status.PENDING)
    MembershipFactory(team=team, user=pending)
    connect(owner, pending)
    assert tommy_client.get(f"/api/v1/contacts/{pending.pk}").json()["member"] is False
