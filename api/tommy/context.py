"""Who is calling tommy, in which team, as whom — the family's one caller context (DESIGN.md §1).

Tommy acts in ONE team at a time, the caller's "current account" (spec tommy-1 "Resource: Account"): an API key in
its own team as the manager who made it; a user in the team of their current account while they still belong to
it, else in their first active team (accounts.selectors.current_membership). /team, /team/*, team contacts,
invitations and the whole workforce module read it from here and nowhere else.

`/workforce/manager/*` is for managers of the current team (owner, admin, or a member flagged `is_manager`) and
works team-wide; `/workforce/*` is the caller's own records (spec tommy-1 "WORKFORCE" permission matrix).
"""

from accounts.models import Membership, Team
from accounts.selectors import current_membership
from api.authentication import CredentialMixin
from core.exceptions import NotFoundError, PermissionDeniedError

_UNSET = object()
NO_TEAM = "You are not in any team; create one with POST /teams or switch the current account."
MANAGERS_ONLY = "Only managers of the current team may do this."


class TommyContextMixin(CredentialMixin):
    """Every tommy view: `current_membership()` (memoised per request), `current_team()` (404 without one)."""

    _current_membership = _UNSET

    def current_membership(self) -> Membership | None:
        if self._current_membership is _UNSET:
            self._current_membership = current_membership(
                user=self.request.user, api_key=self.api_key(), team_ids=self.caller_team_ids()
            )
        return self._current_membership

    def current_team_or_none(self) -> Team | None:
        membership = self.current_membership()
        return membership.team if membership else None

    def current_team(self) -> Team:
        team = self.current_team_or_none()
        if team is None:
            raise NotFoundError(NO_TEAM)
        return team


class CurrentTeamMixin:
    """Sets `self.team` (the caller's current team) and `self.membership` before any handler runs, and scopes
    every queryset to that team, once, never in a view."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.membership = self.current_membership()
        if self.membership is None:
            raise NotFoundError(NO_TEAM)
        self.team = self.membership.team

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.for_team(self.team) if hasattr(queryset, "for_team") else queryset


class EmployeeMixin(CurrentTeamMixin):
    """The caller's own records in the current team (`/workforce/*`)."""

    def own(self, queryset):
        return queryset.filter(user=self.request.user)


class ManagerMixin(CurrentTeamMixin):
    """Team-wide records for managers (`/workforce/manager/*`)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not self.membership.can_manage:
            raise PermissionDeniedError(MANAGERS_ONLY)
