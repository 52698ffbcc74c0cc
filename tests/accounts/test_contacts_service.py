"""The contact-request state machine of accounts.services.contacts, in both directions."""

import pytest

from accounts.models import Contact, Invitation, User
from accounts.services import contacts
from accounts.services.contacts import Account
from accounts.services.invitations import invitation_accept
from core.exceptions import NotFoundError, ValidationFailed
from messaging import sms
from tests.factories import UserFactory
from tests.tommy.contacts_support import contact_row, invitation_route, statuses

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("invitation_route")]
__all__ = ["invitation_route"]


@pytest.fixture
def ids(team):
    return {team.pk}


def add(a, b, ids, team=None):
    return contacts.contact_add(account=Account(user=a, team=team), friend_id=b.pk, team_ids=ids)


def accept(a, b, ids, teams=()):
    return contacts.contact_accept(account=Account(user=a), friend_id=b.pk, team_ids=ids, teams=teams)


def decline(a, b, ids):
    return contacts.contact_decline(account=Account(user=a), friend_id=b.pk, team_ids=ids)


def invite(a, b, ids):
    return contacts.contact_invite(account=Account(user=a), friend_id=b.pk, team_ids=ids)


def test_add_then_accept(owner, teammate, ids):
    assert add(owner, teammate, ids).status == "pending"
    assert statuses(owner, teammate) == ("pending", "requested")
    assert statuses(teammate, owner) == ("requested", "pending")
    assert accept(teammate, owner, ids).status == "accepted"
    assert statuses(owner, teammate) == ("accepted", "accepted")


def test_the_other_direction_add_then_decline_then_ask_again(owner, teammate, ids):
    add(teammate, owner, ids)
    assert decline(owner, teammate, ids).status == "declined"
    assert statuses(owner, teammate) == ("declined", "declined")
    with pytest.raises(ValidationFailed):
        accept(owner, teammate, ids)  # nothing left to accept
    add(owner, teammate, ids)  # a declined pair may be asked again, by either side
    assert statuses(owner, teammate) == ("pending", "requested")


def test_adding_twice_is_idempotent(owner, teammate, ids):
    add(owner, teammate, ids)
    add(owner, teammate, ids)
    assert Contact.objects.count() == 2
    assert statuses(owner, teammate) == ("pending", "requested")


def test_illegal_transitions(owner, teammate, ids):
    with pytest.raises(ValidationFailed):
        add(owner, owner, ids)  # yourself
    with pytest.raises(ValidationFailed):
        accept(owner, teammate, ids)  # no request at all
    add(owner, teammate, ids)
    with pytest.raises(ValidationFailed):
        accept(owner, teammate, ids)  # my own outgoing request
    with pytest.raises(ValidationFailed):
        add(teammate, owner, ids)  # owner is waiting for teammate's answer: accept it instead
    with pytest.raises(ValidationFailed):
        invite(teammate, owner, ids)
    accept(teammate, owner, ids)
    for call in (add, invite):
        with pytest.raises(ValidationFailed, match="already a contact"):
            call(owner, teammate, ids)
    with pytest.raises(ValidationFailed):
        decline(teammate, owner, ids)  # nothing pending any more
    assert statuses(owner, teammate) == ("accepted", "accepted")


def test_strangers_cannot_be_addressed_by_id(owner, outsider, ids):
    with pytest.raises(NotFoundError):
        add(owner, outsider, ids)
    with pytest.raises(NotFoundError):
        contacts.contact_get(account=Account(user=owner), friend_id=outsider.pk)


def test_invite_sends_and_accept_connects(owner, teammate, ids, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(owner, teammate, ids).status == "invited"
    assert [t.to for t in sms.outbox] == [teammate.phone]
    assert statuses(owner, teammate) == ("invited", "requested")
    accept(teammate, owner, ids)
    assert statuses(owner, teammate) == ("accepted", "accepted")


def test_invite_upgrades_a_pending_request_and_resends(owner, teammate, ids):
    add(owner, teammate, ids)
    invite(owner, teammate, ids)
    invite(owner, teammate, ids)
    assert statuses(owner, teammate) == ("invited", "requested")
    assert Invitation.objects.filter(invitee=teammate).count() == 2


def test_accepting_the_invitation_connects_the_pair(owner, teammate, ids):
    invite(owner, teammate, ids)
    invitation_accept(invitation=Invitation.objects.get(invitee=teammate), user=teammate)
    assert statuses(owner, teammate) == ("accepted", "accepted")


def test_team_request_is_accepted_with_the_personal_side(owner, teammate, team, ids):
    add(owner, teammate, ids, team=team)
    assert Contact.objects.get(team=team, friend=teammate).status == "pending"
    assert contact_row(teammate, owner).status == "requested"
    accept(teammate, owner, ids)
    assert Contact.objects.get(team=team, friend=teammate).status == "accepted"
    assert contact_row(teammate, owner).status == "accepted"
    assert contact_row(owner, teammate) is None  # owner's personal list was not asked


def test_team_add_of_someone_who_already_accepted_me_connects_at_once(owner, teammate, team, ids):
    add(owner, teammate, ids)
    accept(teammate, owner, ids)
    assert add(owner, teammate, ids, team=team).status == "accepted"
    assert Contact.objects.get(team=team, friend=teammate).status == "accepted"


def test_accept_with_team_ids_adds_the_friend_to_my_teams(owner, teammate, team, ids):
    add(teammate, owner, ids)
    accept(owner, teammate, ids, teams=[team])
    assert Contact.objects.get(team=team, friend=teammate, owner=owner).status == "accepted"


def test_create_prefers_the_mobile_match_and_creates_pending_users(owner, teammate, ids):
    other = UserFactory(email="other@example.com")
    contact = contacts.contact_create(account=Account(user=owner), phone=teammate.phone, email=other.email)
    assert contact.friend == teammate
    fresh = contacts.contact_create(account=Account(user=owner), phone="+15551234567", first_name="Al")
    assert fresh.friend.status == User.Status.PENDING
    assert fresh.friend.first_name == "Al"
    assert statuses(owner, fresh.friend) == ("invited", "requested")
    with pytest.raises(ValidationFailed):
        contacts.contact_create(account=Account(user=owner))


def test_contact_connect_keeps_its_signature(owner, teammate):
    row = contacts.contact_connect(owner=owner, friend=teammate, team=None, via="test")
    assert (row.owner, row.friend, row.via) == (owner, teammate, "test")
    assert statuses(owner, teammate) == ("accepted", "accepted")


def test_update_writes_only_the_labels(owner, teammate):
    contacts.contact_connect(owner=owner, friend=teammate)
    row = contacts.contact_update(
        account=Account(user=owner), friend_id=teammate.pk, favorite=True, tags=["x"], status="declined"
    )
    row.refresh_from_db()
    assert (row.favorite, row.tags, row.status) == (True, ["x"], "accepted")


def test_team_account_sees_only_team_rows(owner, teammate, team):
    contacts.contact_connect(owner=owner, friend=teammate)
    team_row = contacts.contact_connect(owner=owner, friend=UserFactory(), team=team)
    assert list(contacts.contacts_list(account=Account(user=owner, team=team))) == [team_row]
    assert [c.friend for c in contacts.contacts_list(account=Account(user=owner))] == [teammate]


def test_caller_teams_refuses_teams_of_others(team, other_team):
    assert contacts.caller_teams(requested_ids=[0, team.pk], allowed_ids={team.pk}, field="team_ids") == [team]
    with pytest.raises(ValidationFailed) as exc:
        contacts.caller_teams(requested_ids=[other_team.pk], allowed_ids={team.pk}, field="team_ids")
    assert "team_ids" in exc.value.details


def test_import_matches_case_insensitively_and_dedupes(owner):
    known = UserFactory(email="Known@Example.com", phone=None)
    rows = [
        {"first_name": "K", "email": "known@example.com"},
        {"first_name": "N", "phone": "+15551234567", "email": "n@example.com"},
        {"first_name": "N2", "email": "n@example.com"},
    ]
    result = contacts.contacts_import(account=Account(user=owner), rows=rows)
    assert [c.friend.pk for c in result][0] == known.pk
    assert len(result) == 2
    assert User.objects.filter(email="n@example.com", phone="+15551234567").count() == 1
