"""The console's compose page for a multicast: pick a template and a group by name (or everyone), fill in the
template's variables, see the estimate (recipients per channel, SMS segments and cost) and a preview for one
recipient, then send — the page of the new multicast shows its progress and report.

Everything is checked on the server: the team is one the user runs (picked_team), the template and group are
looked up in that team only, and sending goes through messaging.services.multicasts.multicast_send.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from accounts.admin.scoping import console_teams, picked_team
from accounts.models import Membership
from core.exceptions import ApplicationError
from messaging import templating
from messaging.models import IndividualGroup, MessageTemplate, Multicast
from messaging.models.multicasts import CHANNELS
from messaging.services import recipients as recipient_rules
from messaging.services.multicasts import multicast_check, multicast_estimate, multicast_preview, multicast_send


class ComposeForm(forms.Form):
    template = forms.ModelChoiceField(queryset=MessageTemplate.objects.none(), empty_label=None)
    group = forms.ModelChoiceField(
        queryset=IndividualGroup.objects.none(), required=False, empty_label="Everyone in the team"
    )
    channels = forms.MultipleChoiceField(
        choices=[(c, c.upper() if c == "sms" else c.capitalize()) for c in CHANNELS],
        widget=forms.CheckboxSelectMultiple,
        initial=list(CHANNELS),
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = MessageTemplate.objects.filter(team=team).order_by("name", "template_id")
        self.fields["template"].label_from_instance = lambda t: f"{t.name or t.template_id} ({t.template_id})"
        self.fields["group"].queryset = IndividualGroup.objects.filter(team=team).order_by("name")
        template = self._template()
        for name in (
            sorted(templating.variables_of(template.parts()) - templating.RECIPIENT_VARIABLES) if template else []
        ):
            self.fields[f"var_{name}"] = forms.CharField(label=name, max_length=500)

    def _template(self) -> MessageTemplate | None:
        raw = self.data.get("template") if self.is_bound else None
        queryset = self.fields["template"].queryset
        if raw and str(raw).isdigit():
            return queryset.filter(pk=raw).first()
        return queryset.first()

    def params(self) -> dict:
        return {name[4:]: value for name, value in self.cleaned_data.items() if name.startswith("var_")}

    def target(self) -> recipient_rules.Target:
        group = self.cleaned_data.get("group")
        if group is None:
            return recipient_rules.Target("all-participants", {})
        return recipient_rules.Target("individual-group", {"individual-group-id": str(group.uid)}, group=group)


def compose_view(model_admin, request):
    if not request.user.has_perm("messaging.add_multicast"):
        raise PermissionDenied
    team = picked_team(request)
    if team is None:
        raise Http404("You run no team.")
    form = ComposeForm(request.POST or None, team=team)
    estimate = preview = None
    if request.method == "POST" and form.is_valid():
        template = form.cleaned_data["template"]
        channels = [c for c in form.cleaned_data["channels"] if c in templating.channels_of(template.parts())]
        try:
            checked = multicast_check(
                team=team, template_id=template.template_id, params=form.params(), channels=channels or None
            )
            if request.POST.get("send"):
                multicast = multicast_send(
                    team=team,
                    template_id=template.template_id,
                    params=form.params(),
                    by=request.user,
                    target=form.target(),
                    channels=checked.channels,
                    source=Multicast.Source.CONSOLE,
                )
                model_admin.message_user(request, "Sending: this page follows its progress.")
                return HttpResponseRedirect(reverse("admin:messaging_multicast_change", args=[multicast.pk]))
            parts = checked.parts
            estimate = multicast_estimate(
                team=team, parts=parts, params=form.params(), target=form.target(), channels=checked.channels
            )
            first = (
                recipient_rules.recipients(
                    team_id=team.pk, filter_type=form.target().filter_type, filter_value=form.target().filter_value
                )
                .select_related("user", "team")
                .order_by("pk")
                .first()
            )
            if first is not None:
                preview = {
                    "to": first.user.full_name,
                    "message": multicast_preview(parts=parts, params=form.params(), individual=first),
                }
        except (ApplicationError, templating.TemplateProblem) as exc:
            form.add_error(None, getattr(exc, "message", str(exc)))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Compose a multicast",
        "subtitle": team.name,
        "form": form,
        "estimate": estimate,
        "preview": preview,
        "console_team": team,
        "console_teams": console_teams(request),
        "opts": model_admin.model._meta,
        "members": Membership.objects.active().filter(team=team).count(),
    }
    return TemplateResponse(request, "admin/messaging/multicast/compose.html", context)
