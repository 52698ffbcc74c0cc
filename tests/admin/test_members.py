"""Member management in the console goes through the same services as the APIs: invitations (SMS), access levels
(the permission table, the last-owner rule), removal; and the member and contact lists stay N+1-free."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Contact, Invitation, Membership
from messaging import sms
from tests.admin.conftest import staff_browser
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Membership.Status
MEMBERSHIPS = reverse("admin:accounts_membership_changelist")
INVITE = reverse("admin:accounts_invitation_add")


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _act(browser, action: str, *memberships):
    return browser.post(MEMBERSHIPS, {"action": action, "_selected_action": [m.pk for m in memberships]}, follow=True)


# --- Invite a member ----------------------------------------------------------------------------------------------


def test_invite_form_sends_the_invitation_by_sms(admin_browser, superuser, team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_browser.post(
            INVITE,
            {
                "team": team.pk,
                "phone": "+7 (916) 555-44-33",
                "email": "",
                "message": "Welcome!",
                "membership_status": "admin",
            },
            follow=True,
        )
    assert response.status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.phone == "+79165554433"
    assert invitation.team == team
    assert invitation.inviter == superuser
    assert invitation.membership_status == "admin"
    assert invitation.times_sent == 1
    assert [m.to for m in sms.outbox] == ["+79165554433"]
    assert "Acme Crew" in sms.outbox[0].body
    assert invitation.token in sms.outbox[0].body
    assert "on its way to +79165554433" in " ".join(_messages(response))


def test_invite_form_by_email_sends_a_mail(admin_browser, team, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_browser.post(INVITE, {"team": team.pk, "email": "new@example.com", "membership_status": "member"})
    assert [m.to for m in mailoutbox] == [["new@example.com"]]
    assert sms.outbox == []


def test_invite_form_needs_an_email_or_a_mobile(admin_browser, team):
    response = admin_browser.post(INVITE, {"team": team.pk, "email": "", "phone": "", "membership_status": "member"})
    assert response.status_code == 200
    assert "Give an email address or a mobile number." in response.content.decode()
    assert not Invitation.objects.exists()


def test_invite_form_rejects_a_bad_mobile(admin_browser, team):
    response = admin_browser.post(INVITE, {"team": team.pk, "phone": "12", "membership_status": "member"})
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    assert sms.outbox == []


def test_an_admin_may_not_invite_an_owner(team, owner, django_capture_on_commit_callbacks):
    browser = staff_browser(team, status=Status.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        refused = browser.post(INVITE, {"team": team.pk, "phone": "+79165554433", "membership_status": "owner"})
        assert refused.status_code == 200
        assert not Invitation.objects.exists()
        ok = browser.post(INVITE, {"team": team.pk, "phone": "+79165554433", "membership_status": "member"})
    assert ok.status_code == 302
    assert Invitation.objects.get().inviter == browser.user
    assert len(sms.outbox) == 1


def test_a_workforce_manager_who_is_a_plain_member_cannot_invite(team, owner):
    browser = staff_browser(team, status=Status.MEMBER, is_manager=True)
    response = browser.post(INVITE, {"team": team.pk, "phone": "+79165554433", "membership_status": "guest"})
    assert response.status_code == 200
    assert "You cannot invite members to this team." in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_manager_cannot_invite_into_another_team(rival_browser, team):
    response = rival_browser.post(INVITE, {"team": team.pk, "phone": "+79165554433", "membership_status": "member"})
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    assert sms.outbox == []


def test_team_page_links_to_the_invite_form(admin_browser, team):
    html = admin_browser.get(reverse("admin:accounts_team_change", args=[team.pk])).content.decode()
    assert f"{INVITE}?team={team.pk}" in html
    assert admin_browser.get(INVITE, {"team": team.pk}).context["adminform"].form.initial["team"] == str(team.pk)


def test_resend_action_sends_again(admin_browser, team, owner, django_capture_on_commit_callbacks):
    from accounts.services.invitations import invitation_send

    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(inviter=owner, team=team, phone="+79165554433")
        admin_browser.post(
            reverse("admin:accounts_invitation_changelist"), {"action": "resend", "_selected_action": [invitation.pk]}
        )
    assert len(sms.outbox) == 2
    invitation.refresh_from_db()
    assert invitation.times_sent == 2


# --- Access levels ------------------------------------------------------------------------------------------------


def test_role_change_action_promotes_through_the_service(admin_browser, team, owner, teammate):
    membership = Membership.objects.get(team=team, user=teammate)
    response = _act(admin_browser, "make_admin", membership)
    assert "1 member changed." in _messages(response)
    membership.refresh_from_db()
    assert membership.status == Status.ADMIN


def test_role_change_refuses_demoting_the_last_owner(admin_browser, team, owner):
    membership = Membership.objects.get(team=team, user=owner)
    response = _act(admin_browser, "make_member", membership)
    assert response.status_code == 200
    assert "The last owner of a team cannot be demoted." in " ".join(_messages(response))
    assert "The last owner of a team cannot be demoted." in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == Status.OWNER


def test_demoting_one_of_two_owners_works(admin_browser, team, owner):
    second = MembershipFactory(team=team, status=Status.OWNER)
    _act(admin_browser, "make_member", second)
    second.refresh_from_db()
    assert second.status == Status.MEMBER


def test_a_staff_admin_acts_as_their_own_membership(team, owner, teammate):
    browser = staff_browser(team, status=Status.ADMIN)
    target = Membership.objects.get(team=team, user=teammate)
    owner_row = Membership.objects.get(team=team, user=owner)
    # an admin may make a member an admin …
    _act(browser, "make_admin", target)
    target.refresh_from_db()
    assert target.status == Status.ADMIN
    # … but neither hand out ownership nor touch an owner (accounts.permissions)
    refused = _act(browser, "make_owner", target)
    assert "You cannot make anyone owner." in " ".join(_messages(refused))
    refused = _act(browser, "make_guest", owner_row)
    assert "You cannot change this member's access level." in " ".join(_messages(refused))
    target.refresh_from_db()
    owner_row.refresh_from_db()
    assert (target.status, owner_row.status) == (Status.ADMIN, Status.OWNER)


def test_one_refusal_does_not_stop_the_other_rows(admin_browser, team, owner, teammate):
    rows = Membership.objects.filter(team=team, user__in=[owner, teammate])
    response = _act(admin_browser, "make_guest", *rows)
    text = " ".join(_messages(response))
    assert "1 member changed." in text
    assert "last owner" in text
    assert dict(rows.values_list("user_id", "status")) == {owner.pk: Status.OWNER, teammate.pk: Status.GUEST}


def test_remove_action_deactivates_but_keeps_the_last_owner(admin_browser, team, owner, teammate):
    rows = Membership.objects.filter(team=team, user__in=[owner, teammate])
    response = _act(admin_browser, "remove_from_team", *rows)
    assert "The last owner of a team cannot be removed." in " ".join(_messages(response))
    assert dict(rows.values_list("user_id", "is_active")) == {owner.pk: True, teammate.pk: False}


def test_the_change_form_cannot_set_the_access_level(admin_browser, team, teammate):
    membership = Membership.objects.get(team=team, user=teammate)
    url = reverse("admin:accounts_membership_change", args=[membership.pk])
    form = admin_browser.get(url).context["adminform"].form
    assert "status" not in form.fields
    assert "is_active" not in form.fields
    response = admin_browser.post(
        url, {"status": "owner", "role": "Chef", "roles": "[]", "locations": "[]", "tags": "[]", "is_active": ""}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.status, membership.role, membership.is_active) == (Status.MEMBER, "Chef", True)


def test_a_staff_admin_cannot_edit_an_owner(team, owner):
    browser = staff_browser(team, status=Status.ADMIN)
    membership = Membership.objects.get(team=team, user=owner)
    url = reverse("admin:accounts_membership_change", args=[membership.pk])
    response = browser.post(url, {"role": "Intern", "roles": "[]", "locations": "[]", "tags": "[]"})
    assert response.status_code == 200
    assert "You cannot change this member." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == ""


def test_adding_a_member_respects_the_assignable_levels(team, owner):
    browser = staff_browser(team, status=Status.ADMIN)
    newcomer = UserFactory()
    url = reverse("admin:accounts_membership_add")
    data = {"team": team.pk, "user": newcomer.pk, "role": ""}
    assert browser.post(url, {**data, "status": "owner"}).status_code == 200
    assert not Membership.objects.filter(user=newcomer).exists()
    assert browser.post(url, {**data, "status": "member"}).status_code == 302
    added = Membership.objects.get(user=newcomer)
    assert (added.team, added.status, added.invited_by) == (team, Status.MEMBER, browser.user)


def test_team_page_lists_members_read_only(admin_browser, team, owner):
    html = admin_browser.get(reverse("admin:accounts_team_change", args=[team.pk])).content.decode()
    assert "memberships-TOTAL_FORMS" in html
    assert str(owner) in html
    assert 'name="memberships-0-status"' not in html


# --- No N+1 on the busy lists ---------------------------------------------------------------------------------------


def _grow(team, n: int) -> None:
    for _ in range(n):
        user = UserFactory()
        MembershipFactory(team=team, user=user)
        Contact.objects.create(owner=user, team=team, friend=UserFactory(), status=Contact.Status.ACCEPTED)
        Contact.objects.create(owner=user, friend=UserFactory(), status=Contact.Status.PENDING)


@pytest.mark.parametrize("model", ["accounts.membership", "accounts.contact", "accounts.invitation"])
@pytest.mark.parametrize("who", ["superuser", "manager"])
def test_changelist_query_count_is_constant(request, team, owner, model, who, django_assert_max_num_queries):
    browser = request.getfixturevalue("admin_browser") if who == "superuser" else staff_browser(team)
    app, name = model.split(".")
    url = reverse(f"admin:{app}_{name}_changelist")
    _grow(team, 2)
    Invitation.objects.create(inviter=owner, team=team, phone="+79160000001")
    browser.get(url)  # warm the session / content types
    with django_assert_max_num_queries(14) as small:
        assert browser.get(url).status_code == 200
    _grow(team, 20)
    _grow(TeamFactory(), 5)  # other teams' rows must not cost the manager anything either
    for n in range(20):
        Invitation.objects.create(inviter=owner, team=team, phone=f"+7916000{n:04d}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = browser.get(url)
    assert response.context["cl"].result_count >= 20
