"""Telling employees about published shifts: ONE SMS per affected employee per publish, listing their new and
changed shifts (issue 11), through core.sms (the Text path) and recorded as ShiftNotice rows of kind `published`.

A publish is one call (publishing a week on the board, publishing a few shifts in the admin, an API create or update
that publishes). `announce` takes every shift the call published or changed and writes, per employee, one row per
shift they have not been told about in its current form — new (never announced to them) or changed (announced
with other times) — all under one `batch` id. After commit, `published_notices_send` claims an employee's rows of
the batch with a conditional UPDATE and sends one text for them; a redelivery finds nothing to claim. If sending
fails, the rows stay `scheduled` and the notices dispatcher (workforce.services.notices) sends them, still one text
per employee and batch.
"""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from core import sms
from workforce.models import Shift, ShiftNotice

Kind, Status = ShiftNotice.Kind, ShiftNotice.Status
LIVE = (Status.SCHEDULED, Status.SENDING, Status.SENT)
# An SMS listing more shifts than this ends with "and N more" (a week per person fits).
LISTED = 7


def _zone(team) -> datetime.tzinfo:
    from workforce.services.shifts import team_zone  # shifts imports this module

    return team_zone(team)


def _told(shifts: list[Shift]) -> dict[tuple[int, int], ShiftNotice]:
    """The latest live published notice per (shift, employee) for these shifts: what each was last told."""
    latest: dict[tuple[int, int], ShiftNotice] = {}
    rows = ShiftNotice.objects.filter(
        kind=Kind.PUBLISHED, shift_id__in=[s.pk for s in shifts], status__in=LIVE
    ).order_by("created_at", "id")
    for notice in rows.only("id", "shift_id", "user_id", "status", "announced_start_at", "announced_end_at"):
        latest[(notice.shift_id, notice.user_id)] = notice
    return latest


def _needs_telling(shift: Shift, told: ShiftNotice | None) -> bool:
    if told is None:
        return True
    if told.announced_start_at is None:  # written before times were recorded: assume it told the current times
        return False
    return (told.announced_start_at, told.announced_end_at) != (shift.start_at, shift.end_at)


def _announceable(shifts: Iterable[Shift]) -> list[Shift]:
    """Published, assigned, not over yet (nobody needs a text about yesterday), and not generated demo data
    (automations.demo: made-up people, never texted — the reminder planner skips them too)."""
    return [
        s for s in shifts if s.status == Shift.Status.PUBLISHED and s.assignee_id and not (s.data or {}).get("demo")
    ]


def unannounced(shifts: Iterable[Shift]) -> set[int]:
    """Ids of the published, assigned `shifts` whose employee has not been told their current times (the board
    shows them as "changed, not announced"; publishing the week tells them)."""
    shifts = _announceable(shifts)
    if not shifts:
        return set()
    told = _told(shifts)
    return {s.pk for s in shifts if _needs_telling(s, told.get((s.pk, s.assignee_id)))}


def announce(*, shifts: Iterable[Shift]) -> uuid.UUID | None:
    """Schedule one SMS per employee for the published, assigned `shifts` they have not been told about as they
    are now; returns the batch id (None when nobody needs telling). Call inside the publishing transaction."""
    shifts = _announceable(shifts)
    if not shifts:
        return None
    told = _told(shifts)
    batch, now = uuid.uuid4(), timezone.now()
    rows, superseded = [], []
    for shift in shifts:
        previous = told.get((shift.pk, shift.assignee_id))
        if not _needs_telling(shift, previous):
            continue
        if previous is not None and previous.status == Status.SCHEDULED:
            superseded.append(previous.pk)  # not sent yet: this batch tells the new times instead
        rows.append(
            ShiftNotice(
                team_id=shift.team_id,
                shift=shift,
                user_id=shift.assignee_id,
                kind=Kind.PUBLISHED,
                due_at=now,
                batch=batch,
                announced_start_at=shift.start_at,
                announced_end_at=shift.end_at,
            )
        )
    if not rows:
        return None
    ShiftNotice.objects.filter(pk__in=superseded, status=Status.SCHEDULED).update(status=Status.CANCELED)
    ShiftNotice.objects.bulk_create(rows)
    for user_id in sorted({row.user_id for row in rows}):
        transaction.on_commit(lambda user_id=user_id: published_notices_send(batch=batch, user_id=user_id), robust=True)
    return batch


def _line(shift: Shift, zone) -> str:
    start, end = shift.start_at.astimezone(zone), shift.end_at.astimezone(zone)
    what = " ".join(part for part in (shift.title, f"({shift.role})" if shift.role else "") if part)
    return f"{start:%a %d %b} {start:%H:%M}–{end:%H:%M}" + (f" {what}" if what else "")


def published_body(*, team, entries: list[tuple[Shift, bool]]) -> str:
    """The SMS text: `entries` are (shift, changed) pairs of one employee, listed in time order."""
    zone = _zone(team)
    entries = sorted(entries, key=lambda entry: entry[0].start_at)
    parts = []
    for label, changed in (("New", False), ("Changed", True)):
        lines = [_line(shift, zone) for shift, was_changed in entries if was_changed is changed]
        if len(lines) > LISTED:
            lines = [*lines[:LISTED], f"and {len(lines) - LISTED} more"]
        if lines:
            parts.append(f"{label}: " + "; ".join(lines))
    count = len(entries)
    noun = "shift" if count == 1 else "shifts"
    return f"{team.name}: your schedule was published ({count} {noun}). " + ". ".join(parts) + "."


def still_valid(notice: ShiftNotice) -> bool:
    """A published notice still makes sense: its shift is published and still the employee's."""
    shift = notice.shift
    published = shift.status == Shift.Status.PUBLISHED
    return published and shift.assignee_id == notice.user_id and shift.end_at > timezone.now()


def entries_of(notices: list[ShiftNotice]) -> list[tuple[Shift, bool]]:
    """(shift, changed) for each notice: changed when the employee had been told about the shift before."""
    earlier = set(
        ShiftNotice.objects.filter(
            kind=Kind.PUBLISHED,
            status=Status.SENT,
            shift_id__in=[n.shift_id for n in notices],
            user_id__in={n.user_id for n in notices},
        )
        .exclude(pk__in=[n.pk for n in notices])
        .values_list("shift_id", "user_id")
    )
    return [(n.shift, (n.shift_id, n.user_id) in earlier) for n in notices]


@transaction.atomic
def published_notices_send(*, batch: uuid.UUID, user_id: int) -> bool:
    """Claim the employee's scheduled rows of a publish (scheduled → sending, one conditional UPDATE) and send ONE
    text listing them; False when there was nothing to claim (already sent, or a redelivery).

    Claim, Text and status commit together: if sending fails, the rows are still `scheduled` for the dispatcher."""
    claimed = ShiftNotice.objects.filter(
        batch=batch, user_id=user_id, kind=Kind.PUBLISHED, status=Status.SCHEDULED
    ).update(status=Status.SENDING)
    if not claimed:
        return False
    notices = list(
        ShiftNotice.objects.filter(batch=batch, user_id=user_id, status=Status.SENDING).select_related(
            "shift", "team", "user"
        )
    )
    send_grouped(notices)
    return True


def send_grouped(notices: list[ShiftNotice]) -> ShiftNotice | None:
    """Send one text for claimed (`sending`) published notices of one employee; cancel those no longer valid.
    Returns the notices marked sent's first row (None when everything was canceled)."""
    valid = [n for n in notices if still_valid(n)]
    user = notices[0].user
    stale = [n.pk for n in notices if n not in valid]
    if not user.phone:
        stale, valid = [n.pk for n in notices], []
    if stale:
        ShiftNotice.objects.filter(pk__in=stale).update(status=Status.CANCELED)
    if not valid:
        return None
    text = sms.send_text(
        to=user.phone,
        body=published_body(team=valid[0].team, entries=entries_of(valid)),
        purpose="notification",
        team_id=valid[0].team_id,
    )
    ShiftNotice.objects.filter(pk__in=[n.pk for n in valid]).update(
        status=Status.SENT, sent_at=timezone.now(), text_id=getattr(text, "pk", None)
    )
    return valid[0]


def group_key(notice: ShiftNotice) -> tuple:
    """Rows sent together: the same publish and employee (rows from before batches existed go alone)."""
    return (notice.batch or f"notice-{notice.pk}", notice.user_id)


def group(notices: Iterable[ShiftNotice]) -> list[list[ShiftNotice]]:
    groups: dict[tuple, list[ShiftNotice]] = defaultdict(list)
    for notice in notices:
        groups[group_key(notice)].append(notice)
    return list(groups.values())
