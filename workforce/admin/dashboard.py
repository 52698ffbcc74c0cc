"""The console's front page for a team (issue 11 §2 "Dashboard"): today and tomorrow at a glance — who is on now,
shifts today and tomorrow (unfilled ones highlighted), shift requests waiting, timesheets to approve, texts that
failed in the last 24 hours — each linking to the filtered list. Everything is read for ONE team the user runs
(accounts.admin.scoping.picked_team checks it on the server), in a fixed number of queries.
"""

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from accounts.admin.scoping import console_teams, picked_team
from messaging.models import Text
from workforce.models import Attendance, Shift, ShiftRequest, Timesheet
from workforce.services import shifts as shift_services
from workforce.services import week as week_services

FAILED_TEXT_STATUSES = ("failed", "undelivered")
LISTED = 8


def _changelist(model: str, **params) -> str:
    app, name = model.split(".")
    return reverse(f"admin:{app}_{name}_changelist") + ("?" + urlencode(params) if params else "")


def _day_shifts(team, day: datetime.date) -> list[Shift]:
    start = week_services.local_midnight(team, day)
    return list(
        Shift.objects.filter(team=team, start_at__gte=start, start_at__lt=start + datetime.timedelta(days=1))
        .select_related("assignee")
        .order_by("start_at", "pk")
    )


def dashboard_context(request) -> dict:
    team = picked_team(request)
    if team is None:
        return {"console_team": None}
    now = timezone.now()
    today = now.astimezone(shift_services.team_zone(team)).date()
    tomorrow = today + datetime.timedelta(days=1)
    on_now = list(
        Attendance.objects.filter(team=team)
        .exclude(status=Attendance.Status.STOP)
        .select_related("user", "shift")
        .order_by("started_at")
    )
    waiting_requests = ShiftRequest.objects.filter(
        team=team, status__in=(ShiftRequest.Status.REQUESTED, ShiftRequest.Status.SHORTLISTED)
    ).select_related("user", "shift")
    to_approve = Timesheet.objects.filter(team=team, status=Timesheet.Status.SUBMITTED).select_related("user")
    since = now - datetime.timedelta(hours=24)
    failed_texts = Text.objects.filter(team=team, status__in=FAILED_TEXT_STATUSES, created_at__gte=since)
    days = []
    for label, day in (("Today", today), ("Tomorrow", tomorrow)):
        shifts = _day_shifts(team, day)
        days.append(
            {
                "label": label,
                "date": day,
                "shifts": shifts,
                "unfilled": sum(1 for s in shifts if s.assignee_id is None),
                "url": _changelist(
                    "workforce.shift",
                    team__id__exact=team.pk,
                    start_at__gte=week_services.local_midnight(team, day).isoformat(),
                    start_at__lt=week_services.local_midnight(team, day + datetime.timedelta(days=1)).isoformat(),
                ),
            }
        )
    team_filter = {"team__id__exact": team.pk}
    return {
        "console_team": team,
        "console_teams": console_teams(request),
        "board_url": reverse("admin:workforce_shift_board") + f"?team={team.pk}",
        "on_now": on_now,
        "on_now_url": _changelist("workforce.attendance", **team_filter, ended_at__isempty=1),
        "days": days,
        "requests": list(waiting_requests.order_by("created_at")[:LISTED]),
        "requests_count": waiting_requests.count(),
        "requests_url": _changelist("workforce.shiftrequest", **team_filter, status__in="requested,shortlisted"),
        "timesheets": list(to_approve.order_by("start_date", "pk")[:LISTED]),
        "timesheets_count": to_approve.count(),
        "timesheets_url": _changelist("workforce.timesheet", **team_filter, status__exact=Timesheet.Status.SUBMITTED),
        "failed_texts": list(failed_texts.order_by("-created_at")[:LISTED]),
        "failed_texts_count": failed_texts.count(),
        "failed_texts_url": _changelist(
            "messaging.text",
            **team_filter,
            status__in=",".join(FAILED_TEXT_STATUSES),
            created_at__gte=since.isoformat(),
        ),
    }
