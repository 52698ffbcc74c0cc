"""Inbox agents (spec/inbox.md "Agents"): which members of a team are agents, and their roles.

An agent is identified by email, so every active member of an unarchived team whose user is active (not
suspended) and has an email address is an agent; members without email cannot be addressed and are left out.
"""

from django.db.models import QuerySet

from accounts.models import Membership, Team, User

ADMIN_ROLE = "admin"
USER_ROLE = "user"
_ADMIN_STATUSES = frozenset({Membership.Status.OWNER, Membership.Status.ADMIN})


def agent_memberships(*, team: Team) -> QuerySet[Membership]:
    """The team's agents as memberships (user joined in one query), ordered by email."""
    return (
        Membership.objects.active()
        .filter(team=team, user__is_active=True, user__email__isnull=False)
        .exclude(user__email="")
        .exclude(user__status=User.Status.SUSPENDED)
        .select_related("user")
        .order_by("user__email", "id")
    )


def agent_get(*, team: Team, email: str) -> Membership | None:
    """One agent by email (case-insensitive, as email addresses are in practice), or None."""
    return agent_memberships(team=team).filter(user__email__iexact=email.strip()).first()


def agent_roles(membership: Membership) -> list[str]:
    """Access status → inbox roles: owners and admins are `admin`, everyone else `user`."""
    return [ADMIN_ROLE] if membership.status in _ADMIN_STATUSES else [USER_ROLE]
