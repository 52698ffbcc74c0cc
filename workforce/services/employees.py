"""Employees (WorkforceEmployee = a TeamMember + workforce profile): membership fields change through the accounts
services (the permission table decides), the profile (`has_vehicle`, `compliance_check`, `notes`) here."""

from django.db import transaction
from django.db.models import QuerySet

from accounts.models import Membership, Team
from accounts.services.team_admin import team_member_get, team_member_update, team_members
from workforce.models import EmployeeProfile

PROFILE_FIELDS = ("has_vehicle", "compliance_check", "notes")


def employees_of(*, team: Team) -> QuerySet[Membership]:
    """The team's members with their user and workforce profile loaded (one query)."""
    return team_members(team=team).select_related("employee")


def employee_get(*, team: Team, user_id: int) -> Membership:
    """The member `user_id` of `team` with the profile loaded; NotFoundError when not a member."""
    team_member_get(team=team, user_id=user_id)
    return employees_of(team=team).get(user_id=user_id)


@transaction.atomic
def employee_update(*, team: Team, by: Membership, user_id: int, **fields) -> Membership:
    """Change an employee. Membership fields (roles, locations, tags, favorite, mute, is_manager) go through
    accounts.services.team_admin.team_member_update → membership_change, so only the team's owners and admins may
    change another member's; any workforce manager may change the profile fields."""
    profile = {name: fields.pop(name) for name in PROFILE_FIELDS if name in fields}
    membership = team_member_get(team=team, user_id=user_id)
    if fields:
        team_member_update(team=team, by=by, user_id=user_id, **fields)
    if profile:
        EmployeeProfile.objects.update_or_create(membership=membership, defaults={"team": team, **profile})
    return employee_get(team=team, user_id=membership.user_id)
