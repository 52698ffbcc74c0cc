"""Admin pages for workforce shifts (see workforce/admin/__init__.py): shifts and shift requests.

Every write goes through workforce.services.shifts / shift_requests (the backing Event, the availability check,
publishing notices, approvals that assign and reject the rest). Staff who are not superusers see and pick only the
teams they manage (accounts.admin.TeamScopedAdminMixin); filters list only values of those teams' rows.
"""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import path

from accounts.admin import TeamScopedAdminMixin
from accounts.admin.scoping import adopt, report_refusal
from accounts.models import User
from core.exceptions import ApplicationError
from workforce.admin import board
from workforce.admin.board import MemberChoiceField
from workforce.models import Shift, ShiftRequest
from workforce.services import shift_requests as request_services
from workforce.services import shifts as shift_services

EDITABLE = shift_services.EDITABLE


class DepartmentFilter(admin.SimpleListFilter):
    """Departments of the rows this staff member may see (not every team's)."""

    title = "department"
    parameter_name = "department"

    def lookups(self, request, model_admin):
        values = (
            model_admin.get_queryset(request)
            .exclude(department="")
            .order_by("department")
            .values_list("department", flat=True)
            .distinct()
        )
        return [(value, value) for value in values]

    def queryset(self, request, queryset):
        return queryset.filter(department=self.value()) if self.value() else queryset


class AssignForm(forms.Form):
    """The "Assign" action's second step: an employee of the shifts' team, chosen by name."""

    assignee = MemberChoiceField(queryset=User.objects.none(), label="Employee")
    force = forms.BooleanField(required=False, label="Assign even on a day they marked unavailable")

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = board._members(team)


def _requested_status(data: dict, current: Shift | None) -> str | None:
    """The status the form asks for, or None to let the assignee decide: an unchanged status on change, and the
    default `open` on add (picking an assignee then means `assigned`)."""
    status = data.get("status")
    if current is not None:
        return None if status == current.status else status
    return None if status == Shift.Status.OPEN else status


class ShiftForm(forms.ModelForm):
    force = forms.BooleanField(required=False, help_text="Assign even on a day the employee marked unavailable.")

    class Meta:
        model = Shift
        fields = ("team", "title", "start_at", "end_at", "status", "assignee", *EDITABLE[3:])

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        team = data.get("team") or getattr(self.instance, "team", None)
        current = Shift.objects.get(pk=self.instance.pk) if self.instance.pk else None
        try:
            shift_services.shift_validate(
                team=team,
                start_at=data.get("start_at"),
                end_at=data.get("end_at"),
                status=_requested_status(data, current),
                assignee=data.get("assignee"),
                current=current,
                force=data.get("force", False),
            )
        except ApplicationError as exc:
            for field, messages_ in exc.details.items():
                target = {"assignee_id": "assignee"}.get(field, field)
                self.add_error(target if target in self.fields else None, messages_)
            if not exc.details:
                raise forms.ValidationError(exc.message) from exc
        return data


@admin.register(Shift)
class ShiftAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    form = ShiftForm
    scoped_user_fields = ("assignee", "user")
    autocomplete_fields = ("team", "assignee")
    list_display = ("__str__", "title", "start_at", "end_at", "status", "assignee", "department", "team")
    list_filter = ("start_at", "status", ("assignee", admin.RelatedOnlyFieldListFilter), DepartmentFilter)
    list_select_related = ("team", "assignee")
    date_hierarchy = "start_at"
    search_fields = ("title", "role", "department", "location_name", "assignee__first_name", "assignee__last_name")
    readonly_fields = ("user", "event", "published_at", "created_at", "updated_at")
    actions = ("publish_shifts", "assign_shifts")

    def get_urls(self):
        board_url = path(
            "board/", self.admin_site.admin_view(partial(board.board_view, self)), name="workforce_shift_board"
        )
        return [board_url, *super().get_urls()]

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "team") if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {name: data[name] for name in EDITABLE if name in data}
        fields["data"] = fields.get("data") or {}
        if change:
            current = Shift.objects.get(pk=obj.pk)
            status = _requested_status(data, current)
            saved = shift_services.shift_update(
                shift=current,
                by=request.user,
                status=status,
                assignee=data.get("assignee"),
                force=data["force"],
                **fields,
            )
        else:
            saved = shift_services.shift_create(
                team=data["team"],
                by=request.user,
                status=_requested_status(data, None),
                assignee=data.get("assignee"),
                force=data["force"],
                **fields,
            )
        adopt(obj, saved)

    def delete_model(self, request, obj):
        shift_services.shift_delete(shift=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for shift in queryset:
            shift_services.shift_delete(shift=shift, by=request.user)

    @admin.action(description="Publish the selected shifts (one text per employee)")
    def publish_shifts(self, request, queryset):
        result = shift_services.shifts_publish(shifts=list(queryset), by=request.user)
        message = f"Published {len(result.shifts)} shift(s); {result.notified} employee(s) get one text each."
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description="Assign the selected shifts to an employee…")
    def assign_shifts(self, request, queryset):
        team_ids = set(queryset.values_list("team_id", flat=True))
        if len(team_ids) != 1:
            self.message_user(request, "Pick shifts of one team to assign them.", messages.ERROR)
            return None
        team = queryset.first().team
        form = AssignForm(request.POST if "apply" in request.POST else None, team=team)
        if not form.is_valid():  # first step (or a wrong choice): the page asking whom
            context = {
                **self.admin_site.each_context(request),
                "title": "Assign shifts",
                "subtitle": team.name,
                "form": form,
                "shifts": list(queryset.select_related("assignee")),
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/workforce/shift/assign.html", context)
        assignee, force = form.cleaned_data["assignee"], form.cleaned_data["force"]
        done = 0
        for shift in queryset:
            try:
                shift_services.shift_assign(shift=shift, assignee=assignee, by=request.user, force=force)
                done += 1
            except ApplicationError as exc:
                report_refusal(self, request, shift, exc)
        if done:
            self.message_user(request, f"Assigned {done} shift(s) to {assignee}.")
        return None


@admin.register(ShiftRequest)
class ShiftRequestAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    """Requests are made by employees (API) or by managers; the console decides them: approve or reject."""

    list_display = ("__str__", "shift", "user", "status", "requestor", "decided_by", "decided_at", "team")
    list_filter = ("status", "created_at")
    list_select_related = ("team", "shift", "user", "requestor", "decided_by")
    search_fields = ("user__first_name", "user__last_name", "shift__title")
    fields = ("team", "shift", "user", "requestor", "status", "decided_by", "decided_at", "created_at", "updated_at")
    readonly_fields = fields
    actions = ("approve_requests", "reject_requests")

    def has_add_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, status: str, verb: str) -> None:
        results = request_services.shift_requests_decide(requests=list(queryset), by=request.user, status=status)
        for shift_request, error in results:
            if error is not None:
                report_refusal(self, request, shift_request, error)
        done = sum(1 for _, error in results if error is None)
        if done:
            self.message_user(request, f"{verb} {done} request(s).", messages.SUCCESS)

    @admin.action(description="Approve the selected requests (assigns the shift, rejects the others)")
    def approve_requests(self, request, queryset):
        self._decide(request, queryset, ShiftRequest.Status.APPROVED, "Approved")

    @admin.action(description="Reject the selected requests")
    def reject_requests(self, request, queryset):
        self._decide(request, queryset, ShiftRequest.Status.REJECTED, "Rejected")
