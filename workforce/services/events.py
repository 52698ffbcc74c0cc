"""Calendar events of a team (tommy-3 "Resource: Event"). Every shift is backed by one: such an event is changed
through its shift (its times) and never deleted directly."""

from django.db import transaction

from accounts.models import Membership, Team, User
from core.exceptions import PermissionDeniedError, ValidationFailed
from workforce.models import Event, Shift

FIELDS = ("kind", "title", "details", "location_name", "color", "start_at", "end_at")
TIMES = ("start_at", "end_at")


def _check_times(start_at, end_at) -> None:
    if start_at is not None and end_at is not None and end_at < start_at:
        raise ValidationFailed.for_field("end_at", "must be at or after start_at")


def _backing_shift_id(event: Event) -> int | None:
    return Shift.objects.filter(event=event).values_list("pk", flat=True).first()


def _require_editor(event: Event, by: Membership) -> None:
    if by.team_id != event.team_id or not (by.can_manage or event.user_id == by.user_id):
        raise PermissionDeniedError("Only the event's creator or a manager of the team may change it.")


@transaction.atomic
def event_create(*, team: Team, user: User, **fields) -> Event:
    """Any member of the team creates an event; `user` is its creator."""
    _check_times(fields.get("start_at"), fields.get("end_at"))
    return Event.objects.create(team=team, user=user, **{name: fields[name] for name in FIELDS if name in fields})


@transaction.atomic
def event_update(*, event: Event, by: Membership, **fields) -> Event:
    """Partial update by the creator or a manager; a shift's event keeps its times (422 pointing to the shift)."""
    _require_editor(event, by)
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    changes_times = any(name in fields and fields[name] != getattr(event, name) for name in TIMES)
    if changes_times:
        shift_id = _backing_shift_id(event)
        if shift_id is not None:
            message = f"backs shift {shift_id}: change its times with PUT /workforce/manager/shifts/{shift_id}"
            raise ValidationFailed(f"start_at: {message}", details={name: [message] for name in TIMES})
    for name in FIELDS:
        if name in fields:
            setattr(event, name, fields[name])
    _check_times(event.start_at, event.end_at)
    event.save()
    return event


@transaction.atomic
def event_delete(*, event: Event, by: Membership) -> Event:
    """Delete by the creator or a manager; returns the deleted event (with its id). A shift's event: 422."""
    _require_editor(event, by)
    shift_id = _backing_shift_id(event)
    if shift_id is not None:
        message = f"backs shift {shift_id}: delete the shift with DELETE /workforce/manager/shifts/{shift_id}"
        raise ValidationFailed(f"shift_id: {message}", details={"shift_id": [message]})
    pk = event.pk
    event.delete()
    event.pk = pk
    return event
