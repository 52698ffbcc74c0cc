"""Who is calling tada, in which team, as whom — the family's one caller context (DESIGN.md §1).

Tada names the team in the path (`/teams/{team_uid}/…`): the caller acts there through their active membership,
limited to the credential's teams (an API key: its own team, as the manager who made it). Any other team, or an
archived one, is a 404; a permission the membership lacks (accounts.permissions) is a 403.
"""

from accounts.models import Team
from accounts.services.team_access import team_managed_by
from accounts.services.teams import team_for
from api.authentication import CredentialMixin


class TadaContextMixin(CredentialMixin):
    def caller_team(self, team_uid) -> Team:
        """The team `team_uid` with `caller_membership` attached, or 404."""
        return team_for(user=self.request.user, team_uid=team_uid, team_ids=self.caller_team_ids())

    def managed_team(self, team_uid, *, permission: str) -> Team:
        """The team `team_uid` where the caller has `permission` (a `can_*` flag of accounts.permissions), or
        404 (not the caller's) / 403 (no such right)."""
        return team_managed_by(
            team_uid=team_uid, team_ids=self.caller_team_ids(), user=self.request.user, permission=permission
        )
