"""The team's workforce settings (GET/PUT /workforce): one row per team, created with defaults on first read."""

from django.db import transaction

from accounts.models import Membership, Team
from core.exceptions import PermissionDeniedError
from workforce.models import WorkforceSettings

WRITABLE = (
    "name",
    "week_start",
    "timeclock_require_gps",
    "timeclock_require_photo",
    "timeclock_enable_mobile",
    "timeclock_enable_web",
    "timeclock_enable_kiosk",
    "timesheets_rounding_method",
    "timesheets_rounding_minutes",
    "timesheets_enable_break_rounding",
    "shift_upcoming_notification_minutes",
    "shift_forgot_clockin_minutes",
    "shift_forgot_clockout_minutes",
    "shift_notifications_enabled",
    "event_notifications_enabled",
    "data",
)


@transaction.atomic
def workforce_settings_get(*, team: Team) -> WorkforceSettings:
    """The team's settings; the first read creates them with the model defaults (named after the team)."""
    settings, _ = WorkforceSettings.objects.get_or_create(team=team, defaults={"name": team.name})
    return settings


@transaction.atomic
def workforce_settings_update(*, team: Team, by: Membership, **fields) -> WorkforceSettings:
    """Partial update by a manager of the team (owner, admin or workforce manager); others get 403."""
    if not by.can_manage or by.team_id != team.pk:
        raise PermissionDeniedError("Only managers of the team may change its workforce settings.")
    unknown = set(fields) - set(WRITABLE)
    if unknown:
        raise ValueError(f"not workforce settings: {sorted(unknown)}")
    workforce_settings_get(team=team)
    settings = WorkforceSettings.objects.select_for_update(of=("self",)).get(team=team)
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.save()
    return settings
