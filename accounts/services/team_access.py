"""Finding a team the caller may see by its uid, and requiring a permission of accounts.permissions in it."""

from collections.abc import Iterable

from accounts.models import Team, User
from accounts.permissions import team_permissions
from accounts.services.memberships import membership_of
from core.exceptions import NotFoundError, PermissionDeniedError


def team_managed_by(*, team_uid, team_ids: Iterable[int], user: User, permission: str) -> Team:
    """The caller's team `team_uid` (another team's, or an archived one, is a 404) where `user` has `permission`
    (a `can_*` flag of accounts.permissions.team_permissions), else 403."""
    team = Team.objects.filter(uid=team_uid, pk__in=list(team_ids), is_archived=False).first()
    if team is None:
        raise NotFoundError("No such team.")
    if not getattr(team_permissions(membership_of(team=team, user=user)), permission):
        raise PermissionDeniedError("Only the team's owners and admins may do this.")
    return team
