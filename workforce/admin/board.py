"""The week board (issue 11 §2): one row per member, one column per day, the open shifts in their own row,
availability where a member marked a day. From it a manager creates a shift for a member and day, moves or
reassigns one, copies last week as drafts and publishes the week (one text per employee).

Server-side scope on every request: the team is one the user runs (picked_team → 404 otherwise), a shift is looked
up inside that team only (another team's shift is a 404), an assignee must be an active member of it (the shifts
service checks it again). Reading needs `workforce.view_shift`; writing `add_shift` / `change_shift`.
Writes go through workforce.services.shifts / week, like the API's.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from accounts.admin.scoping import console_teams, picked_team
from accounts.models import Membership, User
from core.exceptions import ApplicationError
from workforce.models import Shift
from workforce.services import shifts as shift_services
from workforce.services import week as week_services


def _members(team):
    return User.objects.filter(pk__in=Membership.objects.active().filter(team=team).values("user_id")).order_by(
        "first_name", "last_name", "pk"
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class BoardShiftForm(forms.Form):
    """Create (no `shift`) or move/reassign (`shift`) one shift of the week: day, times, employee, title, role."""

    shift = forms.ModelChoiceField(queryset=Shift.objects.none(), required=False, widget=forms.HiddenInput)
    day = forms.DateField()
    start = forms.TimeField(label="From")
    end = forms.TimeField(label="To", help_text="Earlier than the start: the shift ends the next day.")
    assignee = MemberChoiceField(queryset=User.objects.none(), required=False, empty_label="Open shift")
    title = forms.CharField(required=False, max_length=255)
    role = forms.CharField(required=False, max_length=100)
    force = forms.BooleanField(required=False, label="Assign even if unavailable")

    def __init__(self, *args, team, days, **kwargs):
        super().__init__(*args, **kwargs)
        self.team, self.days = team, days
        self.fields["shift"].queryset = Shift.objects.filter(team=team)  # another team's shift is not a choice
        self.fields["assignee"].queryset = _members(team)

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day not in self.days:
            raise forms.ValidationError("Pick a day of the week shown.")
        return day

    def times(self) -> tuple[datetime.datetime, datetime.datetime]:
        data = self.cleaned_data
        zone = shift_services.team_zone(self.team)
        start = datetime.datetime.combine(data["day"], data["start"], tzinfo=zone)
        end_day = data["day"] + datetime.timedelta(days=1 if data["end"] <= data["start"] else 0)
        return start, datetime.datetime.combine(end_day, data["end"], tzinfo=zone)


def _week(request, team) -> datetime.date:
    raw = request.GET.get("week") or request.POST.get("week")
    try:
        day = datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        day = None
    if day is None:
        day = timezone.now().astimezone(shift_services.team_zone(team)).date()
    return week_services.week_start(team, day)


def _board_url(team, start: datetime.date) -> str:
    return reverse("admin:workforce_shift_board") + f"?team={team.pk}&week={start.isoformat()}"


def _team_or_404(request):
    team = picked_team(request)
    if team is None:
        raise Http404("You run no team.")
    return team


def board_view(model_admin, request):
    """GET: the board. POST: one of the board's writes, then back to the board (post/redirect/get)."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    team = _team_or_404(request)
    start = _week(request, team)
    if request.method == "POST":
        _board_write(model_admin, request, team, start)
        return HttpResponseRedirect(_board_url(team, start))
    board = week_services.week_board(team=team, start=start)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Week of {start:%-d %B %Y}",
        "subtitle": team.name,
        "board": board,
        "console_team": team,
        "console_teams": console_teams(request),
        "week_param": start.isoformat(),
        "today": timezone.now().astimezone(shift_services.team_zone(team)).date(),
        "members": list(_members(team)),
        "can_add": model_admin.has_add_permission(request),
        "can_change": model_admin.has_change_permission(request),
        "opts": model_admin.model._meta,
        "previous_url": _board_url(team, board.previous),
        "next_url": _board_url(team, board.next),
        "this_week_url": reverse("admin:workforce_shift_board") + f"?team={team.pk}",
    }
    return TemplateResponse(request, "admin/workforce/shift/board.html", context)


def _board_write(model_admin, request, team, start) -> None:
    op = request.POST.get("op")
    needs = {"create": "add", "save": "change", "copy": "add", "publish": "change"}.get(op)
    if needs is None:
        messages.error(request, "Unknown board action.")
        return
    if not getattr(model_admin, f"has_{needs}_permission")(request):
        raise PermissionDenied
    try:
        if op in ("create", "save"):
            _save_shift(request, team, start, create=op == "create")
        elif op == "copy":
            copied = week_services.week_copy_previous(team=team, start=start, by=request.user)
            note = (
                f" Left open (employee unavailable or gone): {'; '.join(copied.left_open)}." if copied.left_open else ""
            )
            messages.success(
                request,
                f"Copied {copied.created} shift(s) from last week as drafts; {copied.skipped} already here.{note}",
            )
        else:
            result = week_services.week_publish(team=team, start=start, by=request.user)
            messages.success(
                request,
                f"Published {len(result.shifts)} shift(s). {result.notified} employee(s) get one text each.",
            )
    except ApplicationError as exc:
        details = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in (exc.details or {}).items())
        messages.error(request, f"{exc.message} {details}".strip())


def _save_shift(request, team, start, *, create: bool) -> None:
    days = [start + datetime.timedelta(days=n) for n in range(week_services.DAYS)]
    form = BoardShiftForm(request.POST, team=team, days=days)
    if not form.is_valid():
        if "shift" in form.errors:
            raise Http404("No such shift.")
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        messages.error(request, f"The shift was not saved: {errors}")
        return
    data = form.cleaned_data
    start_at, end_at = form.times()
    common = {"title": data["title"], "role": data["role"], "start_at": start_at, "end_at": end_at}
    if create:
        shift = shift_services.shift_create(
            team=team, by=request.user, assignee=data["assignee"], force=data["force"], **common
        )
        messages.success(request, f"Added {shift.title or 'a shift'} on {data['day']:%a %d %b} as a draft.")
        return
    shift = data["shift"]
    if shift is None:
        raise Http404("No such shift.")
    shift_services.shift_update(
        shift=shift, by=request.user, assignee=data["assignee"], force=data["force"], announce=False, **common
    )
    note = " Publish the week to tell the employee." if shift.status == Shift.Status.PUBLISHED else ""
    messages.success(request, f"Saved {shift.title or 'the shift'}.{note}")
