"""Action installs: install (the addon first, `unique` actions once), change settings, schedule and tags, upgrade,
delete (soft), and the schedule's planted runs (DESIGN.md §4: a row per due run, no far-future countdowns).

Settings are checked against the version's `variables.settings` as given (types, ranges, members, chats, URLs) on
every write; they must be complete to run and to enable a schedule.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership, Team, User
from automations import schedules
from automations.activities import activity_for
from automations.models import Action, ActionInstall, ActionRun, AddonInstall
from automations.services.addons import check_roles
from automations.services.history import history_add
from automations.variables import check, with_defaults
from core.exceptions import ConflictError, ValidationFailed

EDITABLE = ("title", "summary", "description", "tag_ids", "tags_list")


def settings_check(*, install_or_version, team: Team, settings, complete: bool) -> dict:
    """`settings` checked against the version's variables (and the activity's rules about the team); returns them
    with the action's defaults when `complete`."""
    version = getattr(install_or_version, "version", install_or_version)
    if not isinstance(settings, dict):
        raise ValidationFailed.for_field("settings", "must be an object")
    schema = version.variables.get("settings") or {"type": "object"}
    filled = with_defaults(settings, schema) if complete else settings
    check(filled, schema, field="settings", complete=complete)
    activity_for(version.activity.key).clean(team=team, settings=filled, complete=complete)
    return filled


@transaction.atomic
def action_install(
    *,
    team: Team,
    action: Action,
    membership: Membership | None,
    by: User | None,
    settings: dict | None = None,
    schedule: dict | None = None,
    **fields,
) -> ActionInstall:
    """Install `action` in `team`: its addon must be installed there, the caller must hold one of the addon's
    roles, and a `unique` action is installed once. Optional settings and schedule are applied at once."""
    addon_install = AddonInstall.objects.filter(team=team, addon_id=action.addon_id).first()
    if addon_install is None:
        raise ValidationFailed.for_field("id", f"Install the addon {action.addon.package} first.")
    check_roles(addon=action.addon, membership=membership)
    if action.current_version_id is None:
        raise ValidationFailed.for_field("id", "This action has no published version yet.")
    live = ActionInstall.objects.live().filter(team=team, action=action)
    if action.unique and live.exists():
        raise ConflictError("This action can be installed once per team, and it is installed already.")
    version = action.current_version
    if settings is not None:
        settings_check(install_or_version=version, team=team, settings=settings, complete=False)
    values = {"title": action.name, "summary": action.summary, "description": action.description}
    values.update({k: v for k, v in fields.items() if k in EDITABLE and v is not None})
    try:
        with transaction.atomic():
            install = ActionInstall.objects.create(
                team=team,
                action=action,
                version=version,
                addon_install=addon_install,
                installed_by=by,
                settings=settings or {},
                action_unique=action.unique,
                **values,
            )
    except IntegrityError:  # action_install_unique_action: a concurrent install of a unique action won
        raise ConflictError("This action can be installed once per team, and it is installed already.") from None
    history_add(install=install, name="installed", message=f"{action.name} v{version.number} installed.", user=by)
    if schedule:
        _set_schedule(install, schedule, by=by)
    return install


@transaction.atomic
def install_update(*, install: ActionInstall, by: User | None, settings=None, schedule=None, installed=None, **fields):
    """PUT /actions/installs/{id}: the given fields replace the stored ones; a new `schedule` replans the install's
    scheduled runs; `installed: false` pauses it (its pending runs are canceled until it is true again)."""
    install = (
        ActionInstall.objects.select_for_update(of=("self",)).select_related("version__activity").get(pk=install.pk)
    )
    changed = []
    if settings is not None:
        settings_check(install_or_version=install, team=install.team, settings=settings, complete=False)
        install.settings = settings
        changed.append("settings")
    for name in EDITABLE:
        if fields.get(name) is not None:
            setattr(install, name, fields[name])
            changed.append(name)
    if installed is not None and installed != install.installed:
        install.installed = installed
        changed.append("installed")
    install.save()
    if changed:
        history_add(install=install, name="updated", message=f"Changed: {', '.join(changed)}.", user=by)
    if schedule is not None:
        _set_schedule(install, schedule, by=by)
    elif "installed" in changed or "settings" in changed:
        _replan(install, by=by)  # paused, resumed, or the settings a schedule needs changed
    return install


def _set_schedule(install: ActionInstall, schedule: dict, *, by: User | None) -> None:
    schedules.parse(schedule, team_timezone=install.team.timezone)  # 422 before anything changes
    install.schedule = schedule
    install.save(update_fields=["schedule", "updated_at"])
    _replan(install, by=by, announce=True)


def _cancel_planted(install: ActionInstall, *, reason: str) -> int:
    """Cancel the runs a schedule planted that have not started (event and manual runs go on)."""
    return ActionRun.objects.filter(
        install=install, status=ActionRun.Status.SCHEDULED, source__in=(ActionRun.Source.SCHEDULE,)
    ).update(status=ActionRun.Status.CANCELED, error=reason, finished_at=timezone.now(), updated_at=timezone.now())


def _replan(install: ActionInstall, *, by: User | None, announce: bool = False) -> ActionRun | None:
    """Cancel what the previous schedule planted and plant the first occurrence of the current one (when it is
    enabled, the install is active and its settings are complete)."""
    install.schedule_revision += 1
    _cancel_planted(install, reason="Rescheduled.")
    parsed = schedules.parse(install.schedule, team_timezone=install.team.timezone)
    install.next_run_at = None
    planted = None
    if parsed.kind != "none" and parsed.enabled and install.installed and install.deleted_at is None:
        settings_check(install_or_version=install, team=install.team, settings=install.settings, complete=True)
        due = parsed.first_after(timezone.now())
        if due is None:
            raise ValidationFailed.for_field("schedule.run_at", "is in the past")
        planted = plant(install, due=due)
        install.next_run_at = due
    install.save(update_fields=["schedule_revision", "next_run_at", "updated_at"])
    if announce or planted:
        words = schedules.describe(install.schedule, team_timezone=install.team.timezone)
        message = f"{words}; next run at {planted.due_at.isoformat()}." if planted else f"{words}; nothing planned."
        history_add(install=install, name="scheduled", message=message, user=by, run=planted)
    return planted


def plant(install: ActionInstall, *, due) -> ActionRun:
    """The install's scheduled run at `due` under its current schedule revision (created once: the key is unique,
    so two dispatchers planting the same occurrence make one row)."""
    key = f"schedule:{install.schedule_revision}:{due.isoformat()}"
    try:
        with transaction.atomic():
            return ActionRun.objects.create(
                team_id=install.team_id,
                install=install,
                source=ActionRun.Source.SCHEDULE,
                trigger="schedule",
                dedupe_key=key,
                due_at=due,
                schedule_revision=install.schedule_revision,
            )
    except IntegrityError:
        return ActionRun.objects.get(install=install, dedupe_key=key)


@transaction.atomic
def install_upgrade(*, install: ActionInstall, by: User | None) -> ActionInstall:
    """Move an install to its action's current version, if its settings still fit (else it stays, and says so)."""
    current = install.action.current_version
    if current is None or current.pk == install.version_id:
        return install
    try:
        settings_check(install_or_version=current, team=install.team, settings=install.settings, complete=False)
    except ValidationFailed as exc:
        history_add(install=install, name="upgrade skipped", message=f"v{current.number}: {exc.details}", user=by)
        return install
    old = install.version.number
    install.version = current
    install.save(update_fields=["version", "updated_at"])
    history_add(install=install, name="upgraded", message=f"v{old} → v{current.number}.", user=by)
    return install


@transaction.atomic
def install_delete(*, install: ActionInstall, by: User | None, reason: str = "Deleted.") -> ActionInstall:
    """Soft delete: `deleted_at` set, `installed` false, every run that has not started canceled."""
    install = ActionInstall.objects.select_for_update(of=("self",)).get(pk=install.pk)
    if install.deleted_at is not None:
        return install
    now = timezone.now()
    install.deleted_at, install.installed, install.next_run_at = now, False, None
    install.save(update_fields=["deleted_at", "installed", "next_run_at", "updated_at"])
    ActionRun.objects.filter(install=install, status=ActionRun.Status.SCHEDULED).update(
        status=ActionRun.Status.CANCELED, error=reason, finished_at=now, updated_at=now
    )
    history_add(install=install, name="deleted", message=reason, user=by)
    return install


def settings_for_run(install: ActionInstall) -> dict:
    """The install's settings with the action's defaults, checked complete (ValidationFailed otherwise)."""
    return settings_check(install_or_version=install, team=install.team, settings=install.settings, complete=True)
