"""Scheduled and worked hours per timesheet, for the console's timesheet list, its totals and the payroll export.

Worked and break hours are the sums of the timesheet's items (annotated in SQL, one query for a page). Scheduled
hours are the lengths of the employee's shifts in the team that start on the timesheet's local days (team time
zone, so a shift at 23:30 counts on its own day): one more query for any number of timesheets.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import FloatField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from workforce.models import Shift, Timesheet, TimesheetItem
from workforce.services.shifts import team_zone


def _item_sum(column: str) -> Coalesce:
    sums = (
        TimesheetItem.objects.filter(timesheet=OuterRef("pk"))
        .order_by()
        .values("timesheet")
        .annotate(total=Sum(column))
        .values("total")
    )
    return Coalesce(Subquery(sums, output_field=FloatField()), Value(0.0))


def with_hours(queryset: QuerySet[Timesheet]) -> QuerySet[Timesheet]:
    """`worked_hours` and `break_hours` on each timesheet (subqueries: no join, no duplicate rows)."""
    return queryset.annotate(worked_hours=_item_sum("work_hours"), break_hours=_item_sum("break_hours"))


def scheduled_hours(timesheets: Iterable[Timesheet]) -> dict[int, float]:
    """Hours of shifts scheduled for each timesheet's employee in its period, by timesheet id. One query."""
    timesheets = list(timesheets)
    if not timesheets:
        return {}
    margin = datetime.timedelta(days=2)  # local days vs UTC: read a little wider, then place by local date
    lowest = datetime.datetime.combine(min(t.start_date for t in timesheets), datetime.time(), datetime.UTC) - margin
    highest = datetime.datetime.combine(max(t.end_date for t in timesheets), datetime.time(), datetime.UTC) + margin
    shifts = Shift.objects.filter(
        team_id__in={t.team_id for t in timesheets},
        assignee_id__in={t.user_id for t in timesheets},
        start_at__gte=lowest,
        start_at__lt=highest,
    ).values_list("team_id", "assignee_id", "start_at", "end_at", "team__timezone")
    by_person: dict[tuple[int, int], list[tuple[datetime.date, float]]] = defaultdict(list)
    zones = {}
    for team_id, user_id, start_at, end_at, zone_name in shifts:
        zone = zones.get(zone_name) or zones.setdefault(zone_name, team_zone(_Zoned(zone_name)))
        hours = (end_at - start_at).total_seconds() / 3600
        by_person[(team_id, user_id)].append((start_at.astimezone(zone).date(), hours))
    return {
        t.pk: round(
            sum((h for day, h in by_person.get((t.team_id, t.user_id), []) if t.start_date <= day <= t.end_date), 0.0),
            2,
        )
        for t in timesheets
    }


class _Zoned:
    """team_zone() reads `.timezone`; the values query gives only the name."""

    def __init__(self, name: str):
        self.timezone = name
