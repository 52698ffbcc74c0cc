"""What every workforce view shares: the current team, the caller's membership, and the manager rule.

`/workforce/manager/*` is for managers of the current team (owner, admin, or a member flagged `is_manager`)
and works team-wide; `/workforce/*` is the caller's own records (spec tommy-1 "WORKFORCE" permission matrix).
Querysets are scoped to the current team here, once, never in a view.
"""

from rest_framework.permissions import BasePermission

from accounts.selectors import current_membership_for, current_team_for
from api.tommy.base import TommyAPIView, TommyViewSet
from core.exceptions import NotFoundError, PermissionDeniedError


class CurrentTeamMixin:
    """Sets `self.team` (the caller's current team) and `self.membership` before any handler runs."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.membership = current_membership_for(request)
        self.team = self.membership.team if self.membership else current_team_for(request)
        if self.team is None:
            raise NotFoundError("You have no current team; join a team or switch the current account.")
        if self.membership is None:
            raise PermissionDeniedError("You are not a member of the current team.")

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.for_team(self.team) if hasattr(queryset, "for_team") else queryset


class IsWorkforceManager(BasePermission):
    message = "Only managers of the current team may do this."

    def has_permission(self, request, view) -> bool:
        membership = getattr(view, "membership", None)
        return membership is not None and membership.can_manage


class EmployeeMixin(CurrentTeamMixin):
    """The caller's own records in the current team (`/workforce/*`)."""

    def own(self, queryset):
        return queryset.filter(user=self.request.user)


class ManagerMixin(CurrentTeamMixin):
    """Team-wide records for managers (`/workforce/manager/*`)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not self.membership.can_manage:
            raise PermissionDeniedError(IsWorkforceManager.message)


class EmployeeAPIView(EmployeeMixin, TommyAPIView):
    pass


class EmployeeViewSet(EmployeeMixin, TommyViewSet):
    pass


class ManagerAPIView(ManagerMixin, TommyAPIView):
    pass


class ManagerViewSet(ManagerMixin, TommyViewSet):
    pass
