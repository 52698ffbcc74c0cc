"""Tenant scoping of the console for staff who are not superusers (DESIGN.md §2), shared by every app's admin.

A non-superuser sees, may open and may pick only the teams they manage: an active membership as owner or admin,
or as workforce manager. Other apps' admins reuse TeamScopedAdminMixin (import it from `accounts.admin`).
"""

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from accounts.models import Membership, Team, User
from accounts.services.memberships import membership_of
from core.exceptions import ApplicationError

_CACHE_ATTR = "_crewdesk_managed_team_ids"


def managed_team_ids(user) -> list[int]:
    """Teams `user` may administer: active memberships as owner/admin or workforce manager."""
    return list(Membership.objects.active().managing().filter(user=user).values_list("team_id", flat=True))


def request_team_ids(request) -> list[int]:
    """managed_team_ids of the request's user, read once per request."""
    if not hasattr(request, _CACHE_ATTR):
        setattr(request, _CACHE_ATTR, managed_team_ids(request.user))
    return getattr(request, _CACHE_ATTR)


def member_of_any(user_ref: str, team_ids: list[int]) -> Exists:
    """`user_ref` (an OuterRef path to a user id) has a membership in one of `team_ids` (no join, no DISTINCT)."""
    return Exists(Membership.objects.filter(user_id=OuterRef(user_ref), team_id__in=team_ids))


def acting_membership(request, team: Team) -> Membership | None:
    """`by` for the membership services: the staff user's own membership in `team`, or None for a superuser.

    Raises PermissionDeniedError (an ApplicationError) when a non-superuser is not a member of the team.
    """
    if request.user.is_superuser:
        return None
    return membership_of(team=team, user=request.user)


def adopt(obj, saved) -> None:
    """Make the admin's unsaved `obj` the row a service created (the admin goes on with `obj`: log, redirect)."""
    for field in type(saved)._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


def report_refusal(modeladmin, request, obj, exc: ApplicationError) -> None:
    """A service refused: say so on the page (the change did not happen)."""
    modeladmin.message_user(request, f"{obj}: {exc.message}", messages.ERROR)


class TeamScopedAdminMixin:
    """Limits rows and `team` choices to the teams a non-superuser manages.

    Rows are matched through `team_lookup` (e.g. "team", "account__team", "pk" for Team itself); a model reached
    through several paths overrides `team_scope(team_ids)` with a Q. Set `distinct` when the lookup crosses a
    to-many relation. FK fields named in `scoped_user_fields` offer only users who belong to a managed team.
    """

    team_lookup = "team"
    distinct = False  # set when the lookup crosses a to-many relation (users → memberships)
    scoped_user_fields: tuple[str, ...] = ()

    def team_scope(self, team_ids: list[int]) -> Q:
        return Q(**{f"{self.team_lookup}__in": team_ids})

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        queryset = queryset.filter(self.team_scope(request_team_ids(request)))
        return queryset.distinct() if self.distinct else queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            team_ids = request_team_ids(request)
            if db_field.name == "team":
                kwargs["queryset"] = Team.objects.filter(pk__in=team_ids)
            elif db_field.name in self.scoped_user_fields:
                kwargs["queryset"] = User.objects.filter(member_of_any("pk", team_ids))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdminMixin:
    """A journal: rows are written by services only. Delete stays allowed so cascades from users/teams work."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class UserJournalInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A read-only tabular journal of rows about users (recipients, participants): no add, change or delete.
    Subclasses set `model` and `fields`."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


# --- the team a console page is about (dashboard, week board) ----------------------------------------------------

_PICKED_TEAM_SESSION_KEY = "crewdesk_console_team"


def console_teams(request):
    """Teams the request's user may run in the console: a superuser every unarchived team, staff the managed ones."""
    teams = Team.objects.filter(is_archived=False).order_by("name", "pk")
    return teams if request.user.is_superuser else teams.filter(pk__in=request_team_ids(request))


def picked_team_id(request) -> int | None:
    """The team last picked in this session (not checked: use picked_team or console_teams to check it)."""
    return request.session.get(_PICKED_TEAM_SESSION_KEY)


def picked_team(request) -> Team | None:
    """The team a page shows: `?team=<id>` (404 unless the user runs it — checked on the server), else the last one
    picked (session), else the first. None when the user runs no team."""
    teams = console_teams(request)
    wanted = request.GET.get("team") or request.POST.get("team")
    if wanted:
        team = teams.filter(pk=wanted).first() if str(wanted).isdigit() else None
        if team is None:
            raise Http404("No such team.")
    else:
        remembered = request.session.get(_PICKED_TEAM_SESSION_KEY)
        team = (teams.filter(pk=remembered).first() if remembered else None) or teams.first()
    if team is not None:
        request.session[_PICKED_TEAM_SESSION_KEY] = team.pk
    return team
