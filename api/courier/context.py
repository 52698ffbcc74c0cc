"""Who is calling courier, in which organization, as whom — the family's one caller context (DESIGN.md §1).

A courier organization is a Crewdesk team. The caller may act in the organizations of its credential (an API key:
its own team, as the manager who made it; a user token: every team the user is an active member of), and every
resource names its organization (`organization-id`) or belongs to one through its parent. Reading is open to any
member; configuring how the team sends (text accounts, numbers, user-number maps, org preferences, channels,
plugins, responders) is for its managers (accounts.permissions.Action.CONFIGURE_MESSAGING). Sending texts, asking
a member's consent and carrier lookups are for any member.
"""

from accounts.models import Membership
from accounts.permissions import Action, may
from accounts.selectors import acting_membership
from api.authentication import CredentialMixin
from core.exceptions import NotFoundError, PermissionDeniedError

MANAGERS_ONLY = "Only the organization's owners, admins and managers may do this."


class CourierContextMixin(CredentialMixin):
    def organization_membership(self, team_id: int) -> Membership | None:
        """As whom the caller acts in organization `team_id` (None: not one of the caller's), memoised."""
        memo = self.__dict__.setdefault("_organization_memberships", {})
        if team_id not in memo:
            allowed = team_id in self.caller_team_ids()
            memo[team_id] = (
                acting_membership(user=self.request.user, team_id=team_id, api_key=self.api_key()) if allowed else None
            )
        return memo[team_id]

    def require(self, action: Action, *, team_id: int) -> Membership:
        """The caller's membership in the organization when it may do `action` there; another organization is a
        404 (it is not there for this caller), a member without the right is a 403."""
        membership = self.organization_membership(team_id)
        if membership is None:
            raise NotFoundError("No such organization.")
        if not may(membership, action):
            raise PermissionDeniedError(MANAGERS_ONLY)
        return membership
