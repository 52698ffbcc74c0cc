"""Issue 8 regressions: the audit's reproductions of item 1 (who can see whom) and item 3 (adding someone to a
team needs their consent), each at the root, plus the lookup and sending budgets."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Invitation, Membership, ServerEvent, Team, User
from messaging import sms
from tests.admin.conftest import staff_browser
from tests.factories import DeviceFactory, MembershipFactory, TeamFactory, UserFactory
from tests.helpers import assert_tada_error, assert_tommy_error, user_client

pytestmark = pytest.mark.django_db

Status = Membership.Status


@pytest.fixture
def victim(db):
    """Someone on Crewdesk, in a team of their own, unrelated to the caller."""
    user = UserFactory(first_name="Vic", last_name="Tim", email="vic@example.com", phone="+79165550404")
    MembershipFactory(team=TeamFactory(name="Victim's team"), user=user, status=Status.OWNER)
    return user


@pytest.fixture
def caller(db):
    user = UserFactory(first_name="Cal", last_name="Ler")
    MembershipFactory(team=TeamFactory(name="Caller's team"), user=user, status=Status.OWNER, is_manager=True)
    return user


@pytest.fixture
def as_caller(caller):
    return user_client(caller)


# --- item 1: the reproductions ---------------------------------------------------------------------------------


def test_inviting_a_strangers_id_is_refused_as_an_unknown_id_and_texts_nobody(
    as_caller, victim, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_caller.post("/api/v1/invitations", {"friend_id": victim.pk}, format="json")
    body = assert_tommy_error(response, 422)
    assert body["details"] == {"invitee_id": ["No such user."]}
    assert victim.email not in response.content.decode()
    assert sms.outbox == []
    assert not Invitation.objects.exists()


def test_a_contact_by_mobile_shows_what_the_caller_typed_not_the_persons_account(as_caller, victim):
    response = as_caller.post("/api/v1/contacts", {"mobile": "+7 916 555-04-04", "first_name": "Typed"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["email"], body["last_online_at"], body["member"], body["icon_url"]) == (None, None, False, None)
    assert (body["first_name"], body["last_name"], body["mobile"]) == ("Typed", "", victim.phone)


def test_an_import_by_email_returns_no_mobiles_and_no_names(as_caller, victim):
    rows = [{"first_name": "Typed", "email": "VIC@example.com"}]
    response = as_caller.post("/api/v1/contacts/import", rows, format="json")
    assert response.status_code == 200, response.content
    [row] = response.json()
    assert (row["mobile"], row["first_name"], row["last_name"], row["member"]) == (None, "Typed", "", False)
    assert row["email"] == "VIC@example.com"  # what the caller sent, as sent
    assert "Vic" not in response.content.decode()


def test_the_list_of_contacts_keeps_strangers_as_typed(as_caller, victim):
    as_caller.post("/api/v1/contacts", {"mobile": victim.phone, "first_name": "Typed"}, format="json")
    [row] = as_caller.get("/api/v1/contacts").json()
    assert (row["first_name"], row["email"], row["mobile"]) == ("Typed", None, victim.phone)


def test_once_they_accept_the_contact_sees_their_details(as_caller, caller, victim):
    contact = as_caller.post("/api/v1/contacts", {"mobile": victim.phone}, format="json").json()
    accepted = user_client(victim).post(f"/api/v1/contacts/{caller.pk}/accept", {}, format="json")
    assert accepted.status_code == 200, accepted.content
    row = as_caller.get(f"/api/v1/contacts/{contact['friend_id']}").json()
    assert (row["email"], row["first_name"], row["member"]) == (victim.email, "Vic", True)


def test_an_invitee_sees_who_invites_them_but_not_their_phone(caller, victim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        token = user_client(caller).post("/api/v1/invitations", {"mobile": victim.phone}, format="json").json()["token"]
    seen = user_client(victim).get(f"/api/v1/invitations/{token}").json()
    assert seen["inviter"]["name"] == "Cal Ler"
    assert seen["inviter"]["mobile"] is None


def test_shift_assignee_and_request_ids_answer_alike(team, owner, victim):
    client = user_client(owner)
    shift = {"start_at": "2031-01-01T09:00:00Z", "end_at": "2031-01-01T17:00:00Z"}
    bodies = []
    for pk in (victim.pk, 987654321):
        response = client.post("/api/v1/workforce/manager/shifts", {**shift, "assignee_id": pk}, format="json")
        bodies.append((response.status_code, response.json()["details"]))
    assert bodies[0] == bodies[1] == (422, {"assignee_id": ["No such user."]})


# --- budgets ---------------------------------------------------------------------------------------------------


def test_lookups_by_phone_are_budgeted_per_caller(as_caller, caller, settings):
    settings.PEOPLE_LOOKUPS_PER_DAY = 2
    for n in range(2):
        response = as_caller.post("/api/v1/contacts", {"mobile": f"+7916555100{n}"}, format="json")
        assert response.status_code == 201, response.content
    refused = as_caller.post("/api/v1/contacts", {"mobile": "+79165551009"}, format="json")
    assert assert_tommy_error(refused, 429)["code"] == "RATE_LIMITED"
    assert int(refused["Retry-After"]) > 0
    assert not User.objects.filter(phone="+79165551009").exists()
    other = user_client(UserFactory()).post("/api/v1/contacts", {"mobile": "+79165551009"}, format="json")
    assert other.status_code == 201  # another caller has their own budget


def test_an_import_spends_one_lookup_per_identifier(as_caller, settings):
    settings.PEOPLE_LOOKUPS_PER_DAY = 3
    rows = [{"first_name": f"N{n}", "mobile": f"+7916555200{n}", "email": f"n{n}@example.com"} for n in range(2)]
    assert_tommy_error(as_caller.post("/api/v1/contacts/import", rows, format="json"), 429)


def test_the_address_book_spends_only_new_phones_and_answers_429_in_the_tada_envelope(caller, settings):
    settings.PEOPLE_LOOKUPS_PER_DAY = 2
    device = DeviceFactory(user=caller)
    url = f"/api/v3/devices/{device.device_id}/address-book"
    client = user_client(caller)
    book = {"contacts": [{"phones": ["+79165553001", "+79165553002"]}]}
    assert client.put(url, book, format="json").status_code == 200
    assert client.put(url, book, format="json").status_code == 200  # the same book again is free
    bigger = {"contacts": [*book["contacts"], {"phones": ["+79165553003"]}]}
    assert_tada_error(client.put(url, bigger, format="json"), 429)


def test_the_address_book_shows_a_stranger_by_name_only(caller, victim):
    device = DeviceFactory(user=caller)
    body = {"contacts": [{"name": "Typed", "phones": ["8 916 555-04-04"]}]}
    result = user_client(caller).put(f"/api/v3/devices/{device.device_id}/address-book", body, format="json")
    [contact] = result.json()["result"]["contacts"]
    assert contact["account"] == {"family_name": "Tim", "given_name": "Vic", "phone": victim.phone}
    assert victim.email not in result.content.decode()


def test_invitations_sent_are_budgeted_per_inviter(as_caller, settings, django_capture_on_commit_callbacks):
    settings.INVITATIONS_PER_HOUR = 1
    with django_capture_on_commit_callbacks(execute=True):
        assert as_caller.post("/api/v1/invitations", {"mobile": "+79165554001"}, format="json").status_code == 201
        refused = as_caller.post("/api/v1/invitations", {"mobile": "+79165554002"}, format="json")
    assert_tommy_error(refused, 429)
    assert [m.to for m in sms.outbox] == ["+79165554001"]


# --- item 3: consent to join a team -----------------------------------------------------------------------------


def _create_team_with(caller, phone, **contact):
    body = {"name": "Grab", "contacts": [{"phone": phone, **contact}]}
    return user_client(caller).post("/api/v3/teams", body, format="json")


def test_an_existing_user_added_by_phone_as_owner_is_only_invited(caller, victim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _create_team_with(caller, "+7 916 555-04-04", status="owner", given_name="Typed")
    assert response.status_code == 200, response.content
    result = response.json()["result"]
    team = Team.objects.get(uid=result["uid"])
    membership = Membership.objects.get(team=team, user=victim)
    assert membership.invitation_pending is True
    assert membership.status == Status.MEMBER  # never an owner or admin by someone else's call
    invitation = Invitation.objects.get(team=team, invitee=victim)
    assert invitation.membership_status == Status.OWNER  # what they are asked to become
    [shown] = [c for c in result["contacts"] if c["contact_phone"] == victim.phone]
    assert (shown["display_name"], shown["contact_email"]) == ("Typed", "")
    assert victim.email not in response.content.decode()
    assert [m.to for m in sms.outbox] == [victim.phone]
    # No access, no events until they accept.
    assert [t["name"] for t in user_client(victim).get("/api/v3/teams").json()["result"]] == ["Victim's team"]
    assert not ServerEvent.objects.filter(team=team, recipients=victim).exists()
    assert list(team.memberships.filter(status=Status.OWNER).values_list("user_id", flat=True)) == [caller.pk]


def test_the_invitee_accepts_from_tada_with_the_invitations_token(caller, victim):
    uid = _create_team_with(caller, victim.phone, status="admin").json()["result"]["uid"]
    token = Invitation.objects.get(team__uid=uid, invitee=victim).token
    joined = user_client(victim).post("/api/v3/teams/join", {"token": token}, format="json")
    assert joined.status_code == 200, joined.content
    assert joined.json()["result"]["me"]["status"] == "admin"
    membership = Membership.objects.get(team__uid=uid, user=victim)
    assert (membership.invitation_pending, membership.status) == (False, Status.ADMIN)
    # …and now they are teammates, who see each other's details.
    assert user_client(caller).get(f"/api/v1/users/{victim.pk}").json()["email"] == victim.email


def test_someone_elses_invitation_token_is_an_unknown_token(caller, victim):
    uid = _create_team_with(caller, victim.phone).json()["result"]["uid"]
    token = Invitation.objects.get(team__uid=uid, invitee=victim).token
    intruder = user_client(UserFactory())
    theirs = intruder.post("/api/v3/teams/join", {"token": token}, format="json")
    unknown = intruder.post("/api/v3/teams/join", {"token": "x" * 27}, format="json")
    assert_tada_error(theirs, 404)
    assert theirs.json()["error"] == assert_tada_error(unknown, 404)["error"]
    assert Membership.objects.get(team__uid=uid, user=victim).invitation_pending


def test_a_new_phone_is_a_member_at_most(caller):
    result = _create_team_with(caller, "+79165556001", status="owner").json()["result"]
    assert Membership.objects.get(team__uid=result["uid"], user__phone="+79165556001").status == Status.MEMBER


def test_tommy_team_invite_of_an_existing_user_shows_only_what_was_sent(
    caller, victim, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client(caller).post(
            "/api/v1/team/members/invite", {"mobile": victim.phone, "first_name": "Typed", "status": "admin"}
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["first_name"], body["last_name"], body["email"], body["mobile"], body["member"]) == (
        "Typed",
        "",
        None,
        victim.phone,
        False,
    )
    [listed] = [m for m in user_client(caller).get("/api/v1/team/members").json() if m["user_id"] == victim.pk]
    assert (listed["first_name"], listed["email"], listed["status"]) == ("Typed", None, "member")


def test_tommy_team_invite_does_not_tell_whose_email_and_mobile_differ(caller, victim):
    other = UserFactory(email="other@example.com")
    response = user_client(caller).post(
        "/api/v1/team/members/invite", {"mobile": victim.phone, "email": other.email}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["email"] == "other@example.com"  # as sent; the invitation goes to the mobile's owner


def test_the_admin_adds_someone_else_as_an_invited_pending_member(team, owner, django_capture_on_commit_callbacks):
    browser = staff_browser(team, status=Status.OWNER)
    newcomer = UserFactory()
    url = reverse("admin:accounts_membership_add")
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(url, {"team": team.pk, "user": newcomer.pk, "role": "", "status": "admin"})
    assert response.status_code == 302
    added = Membership.objects.get(user=newcomer, team=team)
    assert (added.invitation_pending, added.status) == (True, Status.MEMBER)
    assert Invitation.objects.get(team=team, invitee=newcomer).membership_status == Status.ADMIN
    assert [m.to for m in sms.outbox] == [newcomer.phone]


def test_unauthenticated_lookups_see_nobody(victim):
    assert_tommy_error(APIClient().get(f"/api/v1/users/{victim.pk}"), 401)
