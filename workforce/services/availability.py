"""Employees' availability per date (PUT /workforce/availabilities/{date} is an upsert of the caller's record).

`*_locked` flags are the managers' (set in the console): the employee can neither change a locked slot nor change
a lock flag. The rule managers use when assigning is in workforce.selectors (availability_on / is_unavailable).
"""

import datetime

from django.db import transaction

from accounts.models import Team, User
from core.exceptions import ValidationFailed
from workforce.models import Availability

SLOTS = ("am", "pm", "nd")
LOCKS = tuple(f"{slot}_locked" for slot in SLOTS)


@transaction.atomic
def availability_upsert(*, team: Team, user: User, date: datetime.date, **values) -> Availability:
    """Create or change the employee's own record on `date`. Refused (422, naming the field) when a locked slot
    would change or a lock flag would be changed by the employee; nothing is written then."""
    unknown = set(values) - set(SLOTS) - set(LOCKS)
    if unknown:
        raise ValueError(f"not availability fields: {sorted(unknown)}")
    record, _ = Availability.objects.get_or_create(team=team, user=user, date=date)
    record = Availability.objects.select_for_update(of=("self",)).get(pk=record.pk)
    errors: dict[str, list[str]] = {}
    for slot in SLOTS:
        if slot in values and values[slot] != getattr(record, slot) and getattr(record, f"{slot}_locked"):
            errors[slot] = [f"is locked by a manager on {date.isoformat()} and cannot be changed"]
    for lock in LOCKS:
        if lock in values and values[lock] != getattr(record, lock):
            errors[lock] = ["is set by managers only"]
    if errors:
        first = next(iter(errors))
        raise ValidationFailed(f"{first}: {errors[first][0]}", details=errors)
    changed = [name for name in SLOTS if name in values and values[name] != getattr(record, name)]
    for name in changed:
        setattr(record, name, values[name])
    if changed:
        record.save(update_fields=[*changed, "updated_at"])
    return record


@transaction.atomic
def availability_set_locks(*, records, locked: bool, slots=SLOTS) -> int:
    """Managers (the console) lock or unlock slots of the given records; returns how many records changed."""
    changes = {f"{slot}_locked": locked for slot in slots}
    return Availability.objects.filter(pk__in=[r.pk for r in records]).update(**changes)
