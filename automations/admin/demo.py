"""Demo data from the console (issue 11: long-running actions show their progress and result, not a frozen page).

"Load demo data" starts the same background sync as tommy's POST /team/demo_data (automations.services.demo_apply)
for a team the user runs, then shows a progress page that polls the sync's state once a second (a plain refresh
without JavaScript) until it is complete or failed. Every view checks the team scope on the server: the team is one
the user runs (picked_team), a sync is looked up in the scoped SyncAdmin queryset (another team's is a 404).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from accounts.admin.scoping import console_teams, picked_team
from automations.demo.themes import SEED_TYPES
from automations.models import Sync
from automations.services import demo_apply
from core.exceptions import ApplicationError


class DemoDataForm(forms.Form):
    seed_type = forms.ChoiceField(
        label="Kind of team", choices=[(s, s.replace("_", " ").capitalize()) for s in SEED_TYPES], initial="hospitality"
    )
    number_of_team_members = forms.IntegerField(label="People to add", min_value=1, max_value=50, initial=8)
    weeks_back = forms.IntegerField(label="Weeks of history", min_value=0, max_value=4, initial=1)
    weeks_forward = forms.IntegerField(label="Weeks ahead", min_value=1, max_value=4, initial=1)


def _require(request):
    if not request.user.has_perm("automations.add_sync"):
        raise PermissionDenied


def demo_view(model_admin, request):
    _require(request)
    team = picked_team(request)
    if team is None:
        raise Http404("You run no team.")
    form = DemoDataForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        options = {k: v for k, v in form.cleaned_data.items() if k != "seed_type"}
        options["shifts_per_member_per_week"] = 5
        try:
            sync = demo_apply(team=team, user=request.user, seed_type=form.cleaned_data["seed_type"], options=options)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return HttpResponseRedirect(reverse("admin:automations_sync_progress", args=[sync.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Load demo data",
        "subtitle": team.name,
        "form": form,
        "console_team": team,
        "console_teams": console_teams(request),
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/automations/sync/demo.html", context)


def _state(sync: Sync) -> dict:
    return {
        "status": sync.status,
        "progress": sync.progress_percentage,
        "done": sync.status in (Sync.Status.COMPLETE, Sync.Status.FAILED),
        "success_items": sync.success_items,
        "total_items": sync.total_items,
        "message": sync.message,
    }


def progress_view(model_admin, request, pk):
    _require(request)
    sync = get_object_or_404(model_admin.get_queryset(request), pk=pk)  # scoped: another team's sync is a 404
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Demo data",
        "subtitle": sync.team.name,
        "sync": sync,
        "state": _state(sync),
        "board_url": reverse("admin:workforce_shift_board") + f"?team={sync.team_id}",
        "state_url": reverse("admin:automations_sync_progress_state", args=[sync.pk]),
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/automations/sync/progress.html", context)


def progress_state_view(model_admin, request, pk):
    _require(request)
    sync = get_object_or_404(model_admin.get_queryset(request), pk=pk)
    return JsonResponse(_state(sync))
