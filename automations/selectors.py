"""Reads of the automations app shared by the tommy API and the console: the catalogue with per-team flags
(`installed`), popularity and recency, a team's installs and an install's history. Each is one query plus a constant
number for what its rows need (DESIGN.md §6)."""

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet

from automations.models import (
    Action,
    ActionInstall,
    ActionRun,
    Addon,
    AddonInstall,
    Developer,
    HistoryEntry,
)


def addons(*, team_id: int | None) -> QuerySet[Addon]:
    """Published addons with `is_installed` for the team (False without one)."""
    queryset = Addon.objects.filter(published=True).select_related("developer")
    installed = AddonInstall.objects.filter(addon=OuterRef("pk"), team_id=team_id or 0)
    return queryset.annotate(is_installed=Exists(installed))


def addons_popular(*, team_id: int | None) -> QuerySet[Addon]:
    """By number of teams that have it installed, most first."""
    return (
        addons(team_id=team_id)
        .annotate(install_count=Count("installs", distinct=True))
        .order_by("-install_count", "title", "pk")
    )


def addons_search(*, team_id: int | None, term: str) -> QuerySet[Addon]:
    match = Q(title__icontains=term) | Q(package__icontains=term) | Q(description__icontains=term)
    return addons(team_id=team_id).filter(match)


def actions(*, team_id: int | None) -> QuerySet[Action]:
    """Published actions with `is_installed` (a live install in the team) and their current version's trigger and
    activity."""
    live = ActionInstall.objects.filter(action=OuterRef("pk"), team_id=team_id or 0, deleted_at__isnull=True)
    return (
        Action.objects.filter(published=True, current_version__isnull=False)
        .select_related("current_version__trigger", "current_version__activity", "developer")
        .annotate(is_installed=Exists(live))
    )


def actions_popular(*, team_id: int | None) -> QuerySet[Action]:
    live_installs = Count("installs", filter=Q(installs__deleted_at__isnull=True), distinct=True)
    return actions(team_id=team_id).annotate(install_count=live_installs).order_by("-install_count", "name", "pk")


def actions_recent(*, team_id: int) -> QuerySet[Action]:
    """Actions the team ran, latest run first (a run counts when it started)."""
    last = Max("installs__runs__started_at", filter=Q(installs__team_id=team_id))
    return actions(team_id=team_id).annotate(last_run=last).filter(last_run__isnull=False).order_by("-last_run", "pk")


def actions_search(*, team_id: int | None, term: str) -> QuerySet[Action]:
    match = (
        Q(name__icontains=term) | Q(summary__icontains=term) | Q(description__icontains=term) | Q(key__icontains=term)
    )
    return actions(team_id=team_id).filter(match)


def developers(*, team_id: int | None) -> QuerySet[Developer]:
    return Developer.objects.prefetch_related(
        Prefetch("addons", queryset=addons(team_id=team_id)),
        Prefetch("actions", queryset=actions(team_id=team_id)),
        "solutions",
    )


def installs(*, team_id: int) -> QuerySet[ActionInstall]:
    """The team's live action installs with what their shape needs."""
    return (
        ActionInstall.objects.live()
        .filter(team_id=team_id)
        .select_related("version__trigger", "version__activity", "action", "team")
        .order_by("pk")
    )


def history(*, install: ActionInstall) -> QuerySet[HistoryEntry]:
    return HistoryEntry.objects.filter(install=install).select_related("run").order_by("-created_at", "-pk")


def runs(*, install: ActionInstall) -> QuerySet[ActionRun]:
    return ActionRun.objects.filter(install=install).order_by("-due_at", "-pk")
