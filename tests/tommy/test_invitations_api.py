"""Tommy /invitations: create (SMS or email), list sent and received, get by token, accept and decline."""

import pytest
from django.core import mail

from accounts.models import Contact, Invitation, Membership
from accounts.services.invitations import invitation_revoke, invitation_send
from messaging import sms
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import assert_tommy_error as assert_error
from tests.tommy.conftest import basic_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def friend(db):
    return UserFactory(first_name="Fran", last_name="Friend")


def known_to(owner, person) -> None:
    """Make `person` someone `owner` may address by id (issue 8): a teammate in another team of the owner's."""
    shared = MembershipFactory(user=owner).team
    MembershipFactory(team=shared, user=person)


@pytest.fixture
def friend_basic(friend):
    return basic_client(friend)


@pytest.fixture
def sent(owner, friend):
    """A personal invitation from the owner (as a user) to connect with `friend`."""
    return invitation_send(inviter=owner, invitee=friend, message="Hi")


@pytest.fixture
def team_invite(team, owner, friend):
    return invitation_send(inviter=owner, team=team, invitee=friend, membership_status="admin")


def post(c, body, capture):
    with capture(execute=True):
        return c.post("/api/v1/invitations", body, format="json")


# --- create -------------------------------------------------------------------------------------------------------


def test_create_for_a_friend_texts_them_the_link(owner_basic, owner, friend, django_capture_on_commit_callbacks):
    known_to(owner, friend)
    response = post(owner_basic, {"friend_id": friend.pk, "message": "Join me"}, django_capture_on_commit_callbacks)
    assert response.status_code == 201, response.content
    body = response.json()
    invitation = Invitation.objects.get(token=body["token"])
    assert (invitation.inviter, invitation.invitee, invitation.team, invitation.kind) == (
        owner,
        friend,
        None,
        Invitation.Kind.PERSONAL,
    )
    assert body["status"] == "pending"
    assert body["times_sent"] == 1
    assert body["sent_at"]
    assert body["friend_id"] == friend.pk
    assert body["invitee_id"] == friend.pk
    assert body["invitee_type"] == "User"
    assert body["user_id"] == owner.pk
    assert body["team_id"] is None
    assert body["accepted_at"] is None
    assert body["inviter"]["type"] == "User"
    assert body["inviter"]["id"] == owner.pk
    assert body["invitee"]["type"] == "User"
    assert body["invitee"]["id"] == friend.pk
    assert body["link"] == f"http://testserver/api/v1/invitations/{invitation.token}"
    assert "no-store" in response["Cache-Control"]
    [text] = [m for m in sms.outbox if m.to == friend.phone]
    assert f"/api/v1/invitations/{invitation.token}" in text.body
    assert "Join me" in text.body


def test_create_for_a_non_member_by_email_sends_an_email(owner_basic, django_capture_on_commit_callbacks):
    response = post(owner_basic, {"email": "New.Person@Example.com"}, django_capture_on_commit_callbacks)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["invitee"] is None
    assert body["friend_id"] is None
    assert body["contact"]["email"] == "New.Person@example.com"
    assert body["contact"]["id"] is None
    assert body["contact"]["member"] is False
    assert body["contact"]["status"] == "invited"
    [email] = mail.outbox
    assert email.to == ["New.Person@example.com"]
    assert body["token"] in email.body
    assert not sms.outbox


def test_create_for_a_non_member_by_mobile_texts_the_normalised_number(owner_basic, django_capture_on_commit_callbacks):
    response = post(owner_basic, {"mobile": "+7 (916) 555-0101"}, django_capture_on_commit_callbacks)
    assert response.status_code == 201, response.content
    assert Invitation.objects.get().phone == "+79165550101"
    assert [m.to for m in sms.outbox] == ["+79165550101"]


def test_a_mobile_of_someone_on_crewdesk_invites_them(owner_basic, friend, django_capture_on_commit_callbacks):
    response = post(owner_basic, {"mobile": friend.phone}, django_capture_on_commit_callbacks)
    # They may accept it in the app; the stranger who sent it is not told the number is on Crewdesk (issue 8).
    assert Invitation.objects.get(token=response.json()["token"]).invitee == friend
    assert response.json()["invitee_id"] is None


def test_inviting_the_same_person_again_resends(owner_basic, owner, friend, django_capture_on_commit_callbacks):
    known_to(owner, friend)
    first = post(owner_basic, {"friend_id": friend.pk}, django_capture_on_commit_callbacks).json()
    again = post(owner_basic, {"invitee_id": friend.pk, "invitee_type": "User"}, django_capture_on_commit_callbacks)
    assert again.json()["token"] == first["token"]
    assert again.json()["times_sent"] == 2
    assert Invitation.objects.count() == 1
    assert len(sms.outbox) == 2


def test_a_team_api_key_invites_to_join_the_team(
    tommy_client, team, owner, outsider, django_capture_on_commit_callbacks
):
    # An accepted contact of the team (an API key acts for its team, issue 8).
    Contact.objects.create(owner=owner, team=team, friend=outsider, status=Contact.Status.ACCEPTED)
    response = post(tommy_client, {"invitee_id": outsider.pk}, django_capture_on_commit_callbacks)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["team_id"] == team.pk
    assert body["user_id"] == owner.pk
    assert body["inviter"]["type"] == "Team"
    assert body["inviter"]["id"] == team.pk


def test_a_team_can_be_invited(owner_basic, other_team, django_capture_on_commit_callbacks):
    other_team.email = "hq@rival.example.com"
    other_team.save()
    body = post(owner_basic, {"invitee_id": other_team.pk, "invitee_type": "Team"}, django_capture_on_commit_callbacks)
    assert body.status_code == 201, body.content
    assert body.json()["invitee"]["type"] == "Team"
    assert body.json()["invitee_type"] == "Team"
    assert mail.outbox[0].to == ["hq@rival.example.com"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"friend_id": 0, "invitee_id": 0, "message": "nobody"},
        {"friend_id": 999999},
        {"invitee_id": 1, "invitee_type": "Robot"},
        {"mobile": "not a phone"},
        {"email": "nope"},
        {"friend_id": 1, "invitee_id": 2},
    ],
)
def test_create_validation_errors_are_422(owner_basic, body, django_capture_on_commit_callbacks):
    assert_error(post(owner_basic, body, django_capture_on_commit_callbacks), 422)
    assert not Invitation.objects.exists()
    assert not sms.outbox


def test_inviting_yourself_or_a_member_is_422(
    tommy_client, owner_basic, owner, teammate, django_capture_on_commit_callbacks
):
    assert_error(post(owner_basic, {"friend_id": owner.pk}, django_capture_on_commit_callbacks), 422)
    assert_error(post(tommy_client, {"friend_id": teammate.pk}, django_capture_on_commit_callbacks), 422)
    assert not Invitation.objects.exists()


def test_unauthenticated_is_401(client, sent):
    assert_error(client.get("/api/v1/invitations"), 401)
    assert_error(client.post("/api/v1/invitations", {"friend_id": 1}, format="json"), 401)
    assert_error(client.get(f"/api/v1/invitations/{sent.token}"), 401)
    assert_error(client.get(f"/api/v1/invitations/{sent.token}/accept"), 401)


# --- read ---------------------------------------------------------------------------------------------------------


def test_list_shows_sent_and_received(owner_basic, friend_basic, outsider_basic, sent, friend, outsider):
    received = invitation_send(inviter=outsider, invitee=friend)
    assert [i["token"] for i in owner_basic.get("/api/v1/invitations").json()] == [sent.token]
    assert {i["token"] for i in friend_basic.get("/api/v1/invitations").json()} == {sent.token, received.token}
    assert [i["token"] for i in outsider_basic.get("/api/v1/invitations/").json()] == [received.token]


@pytest.mark.parametrize("count", [1, 6])
def test_list_query_count_is_constant(owner_basic, owner, team, count, django_assert_max_num_queries):
    for _ in range(count):
        invitee = UserFactory()
        invitation_send(inviter=owner, invitee=invitee)
        invitation_send(inviter=owner, team=team, invitee=invitee)
    with django_assert_max_num_queries(13):
        response = owner_basic.get("/api/v1/invitations")
    assert len(response.json()) == 2 * count


def test_get_by_token_for_inviter_and_invitee_only(owner_basic, friend_basic, outsider_basic, sent):
    assert owner_basic.get(f"/api/v1/invitations/{sent.token}").json()["token"] == sent.token
    assert friend_basic.get(f"/api/v1/invitations/{sent.token}/").json()["message"] == "Hi"
    assert_error(outsider_basic.get(f"/api/v1/invitations/{sent.token}"), 404)
    assert_error(owner_basic.get("/api/v1/invitations/unknown-token"), 404)


def test_another_teams_invitation_is_404(tommy_client, outsider, other_team, friend):
    theirs = invitation_send(inviter=outsider, team=other_team, invitee=friend)
    assert_error(tommy_client.get(f"/api/v1/invitations/{theirs.token}"), 404)
    assert_error(tommy_client.get(f"/api/v1/invitations/{theirs.token}/accept"), 404)
    assert tommy_client.get("/api/v1/invitations").json() == []


# --- accept / decline ---------------------------------------------------------------------------------------------


def test_accept_connects_inviter_and_invitee(friend_basic, sent, owner, friend):
    response = friend_basic.get(f"/api/v1/invitations/{sent.token}/accept")
    assert response.status_code == 200, response.content
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "accepted"
    assert body["accepted_at"]
    assert Contact.objects.get(owner=owner, friend=friend, team=None).status == Contact.Status.ACCEPTED
    assert Contact.objects.get(owner=friend, friend=owner, team=None).status == Contact.Status.ACCEPTED
    assert body["contact"]["id"] == Contact.objects.get(owner=owner, friend=friend).pk

    again = friend_basic.get(f"/api/v1/invitations/{sent.token}/accept")
    assert again.status_code == 200
    assert again.json()["accepted_at"] == body["accepted_at"]
    assert_error(friend_basic.get(f"/api/v1/invitations/{sent.token}/decline"), 422)
    sent.refresh_from_db()
    assert sent.status == Invitation.Status.ACCEPTED


def test_accept_a_team_invitation_joins_the_team(friend_basic, team_invite, team, owner, friend):
    response = friend_basic.get(f"/api/v1/invitations/{team_invite.token}/accept/")
    assert response.status_code == 200, response.content
    membership = Membership.objects.get(team=team, user=friend)
    assert membership.status == Membership.Status.ADMIN
    assert membership.invited_by == owner
    assert response.json()["invitee"]["type"] == "TeamMember"
    assert response.json()["invitee"]["team_id"] == team.pk
    assert not Contact.objects.filter(friend=friend).exists()


def test_decline_then_accept_is_422(friend_basic, sent):
    response = friend_basic.get(f"/api/v1/invitations/{sent.token}/decline")
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert "no-store" in response["Cache-Control"]
    assert friend_basic.get(f"/api/v1/invitations/{sent.token}/decline").json()["status"] == "declined"
    assert_error(friend_basic.get(f"/api/v1/invitations/{sent.token}/accept"), 422)
    assert not Contact.objects.exists()


def test_only_the_invitee_may_answer(owner_basic, sent):
    assert_error(owner_basic.get(f"/api/v1/invitations/{sent.token}/accept"), 403)
    assert_error(owner_basic.get(f"/api/v1/invitations/{sent.token}/decline"), 403)
    sent.refresh_from_db()
    assert sent.status == Invitation.Status.PENDING


def test_a_revoked_invitation_cannot_be_accepted(friend_basic, sent):
    invitation_revoke(invitation=sent)
    assert_error(friend_basic.get(f"/api/v1/invitations/{sent.token}/accept"), 422)
    assert not Contact.objects.exists()


def test_an_invitation_by_phone_is_for_whoever_verified_that_phone(owner, team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(inviter=owner, team=team, phone="+79165550102")
    unverified = UserFactory(phone="+79165550102", phone_verified_at=None)
    assert_error(basic_client(unverified).get(f"/api/v1/invitations/{invitation.token}/accept"), 404)
    unverified.phone_verified_at = unverified.date_joined
    unverified.save()
    response = basic_client(unverified).get(f"/api/v1/invitations/{invitation.token}/accept")
    assert response.status_code == 200, response.content
    invitation.refresh_from_db()
    assert invitation.invitee == unverified
    assert invitation.status == Invitation.Status.ACCEPTED
    assert Membership.objects.filter(team=team, user=unverified, status=Membership.Status.MEMBER).exists()


def test_a_team_invitation_is_answered_by_its_managers(owner, other_team, outsider):
    invitation = invitation_send(inviter=owner, invitee_team=other_team, email="hq@rival.example.com")
    member = UserFactory()
    MembershipFactory(team=other_team, user=member)
    assert_error(basic_client(member).get(f"/api/v1/invitations/{invitation.token}/accept"), 404)
    response = basic_client(outsider).get(f"/api/v1/invitations/{invitation.token}/accept")
    assert response.status_code == 200, response.content
    assert Contact.objects.get(owner=owner, friend=outsider).status == Contact.Status.ACCEPTED
