"""Staff status and the "Team manager" group follow the membership (issue 11 §1): granted when someone becomes
owner/admin/workforce manager of an active team, withdrawn when they stop, through the membership services only."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import Membership
from accounts.services import memberships as membership_services
from accounts.services.console_access import TEAM_MANAGER_GROUP, team_manager_group
from accounts.services.teams import team_archive
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _console(user) -> tuple[bool, bool]:
    user.refresh_from_db()
    return user.is_staff, user.groups.filter(name=TEAM_MANAGER_GROUP).exists()


def test_an_owner_added_through_the_service_gets_the_console(team):
    user = UserFactory()
    membership_services.membership_add(team=team, user=user, status=Membership.Status.OWNER)
    assert _console(user) == (True, True)


def test_a_plain_member_does_not(team):
    user = UserFactory()
    membership_services.membership_add(team=team, user=user)
    assert _console(user) == (False, False)


def test_the_workforce_manager_flag_grants_and_withdraws(team, owner):
    user = UserFactory()
    membership = membership_services.membership_add(team=team, user=user)
    by = Membership.objects.get(team=team, user=owner)
    membership_services.membership_change(membership=membership, by=by, is_manager=True)
    assert _console(user) == (True, True)
    membership_services.membership_change(membership=membership, by=by, is_manager=False)
    assert _console(user) == (False, False)


def test_demotion_and_removal_withdraw(team, owner):
    user = UserFactory()
    membership = membership_services.membership_add(team=team, user=user, status=Membership.Status.ADMIN)
    by = Membership.objects.get(team=team, user=owner)
    membership_services.membership_change(membership=membership, by=by, status=Membership.Status.MEMBER)
    assert _console(user) == (False, False)
    membership_services.membership_change(membership=membership, by=by, status=Membership.Status.ADMIN)
    assert _console(user) == (True, True)
    membership_services.membership_remove(membership=membership, by=by)
    assert _console(user) == (False, False)


def test_managing_another_team_keeps_access(team):
    user = UserFactory()
    here = membership_services.membership_add(team=team, user=user, status=Membership.Status.ADMIN)
    membership_services.membership_add(team=TeamFactory(), user=user, status=Membership.Status.OWNER)
    membership_services.membership_remove(membership=here, by=None)
    assert _console(user) == (True, True)


def test_archiving_the_team_withdraws(team):
    user = UserFactory()
    by = membership_services.membership_add(team=team, user=user, status=Membership.Status.OWNER)
    team_archive(team=team, by=by)
    assert _console(user) == (False, False)


def test_a_superuser_keeps_staff_status(team, owner):
    root = UserFactory(is_staff=True, is_superuser=True)
    membership = membership_services.membership_add(team=team, user=root, status=Membership.Status.ADMIN)
    membership_services.membership_remove(membership=membership, by=None)
    root.refresh_from_db()
    assert root.is_staff


def test_an_invitation_grants_nothing_until_accepted(team, owner):
    from accounts.services.team_admin import team_member_invite

    user = UserFactory()
    by = Membership.objects.get(team=team, user=owner)
    team_member_invite(team=team, by=by, email=user.email, status=Membership.Status.ADMIN)
    assert _console(user) == (False, False)
    membership_services.membership_accept_invitation(team=team, user=user, status=Membership.Status.ADMIN)
    assert _console(user) == (True, True)


def test_the_group_holds_no_operator_only_permission():
    granted = team_manager_group(refresh=True).permissions.exclude(content_type__app_label="inbox")
    codenames = set(granted.values_list("codename", flat=True))
    assert {"view_shift", "change_timesheet", "add_invitation", "view_user"} <= codenames
    operator_only = {
        "view_onetimecode", "view_authtoken", "change_device", "view_periodictask", "view_crontabschedule",
        "view_chat", "view_chatmessage", "view_serverevent", "view_setting", "view_demorecord", "view_group",
        "change_user", "add_membership", "view_contact",
    }  # fmt: skip
    # (the inbox's own `contact` — customers of a channel — shares the codename view_contact with accounts' Contact)
    assert not codenames & operator_only
    assert "view_device" in codenames  # issue 13: managers see their people's push devices (read-only)
    assert Group.objects.filter(name=TEAM_MANAGER_GROUP).count() == 1


def test_grant_existing_lets_in_every_manager_and_agent_in_batches(monkeypatch):
    """`migrate` runs it over every member: in batches (a 100,000-member IN list is past PostgreSQL's parameter
    limit), and nobody is left out at a batch's edge."""
    from accounts.services import console_access
    from inbox.models import InboxTeam

    monkeypatch.setattr(console_access, "BATCH", 2)
    team = TeamFactory()
    managers = [UserFactory() for _ in range(5)]
    agents = [UserFactory() for _ in range(3)]
    plain = UserFactory()
    for user in managers:
        Membership.objects.create(team=team, user=user, status=Membership.Status.MEMBER, is_manager=True)
    agent_memberships = [
        Membership.objects.create(team=team, user=user, status=Membership.Status.MEMBER) for user in agents
    ]
    Membership.objects.create(team=team, user=plain, status=Membership.Status.MEMBER)
    InboxTeam.objects.create(team=team, name="Support").members.set(agent_memberships)
    type(plain).objects.update(is_staff=False)  # as before the rule existed
    Group.objects.all().delete()

    console_access.console_access_grant_existing()

    staff = set(type(plain).objects.filter(is_staff=True).values_list("pk", flat=True))
    assert staff == {user.pk for user in managers + agents}
    assert set(Group.objects.get(name=TEAM_MANAGER_GROUP).user_set.values_list("pk", flat=True)) == {
        user.pk for user in managers
    }
    assert set(Group.objects.get(name="Inbox agent").user_set.values_list("pk", flat=True)) == {
        user.pk for user in agents
    }
