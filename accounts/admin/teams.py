"""Teams and memberships. Who is in a team and at what level changes only through accounts.services.memberships,
with `by` = the staff user's own membership in that team (None for a superuser), so the permission table of
accounts.permissions holds in the console exactly as in the APIs."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from accounts.admin.scoping import TeamScopedAdminMixin, acting_membership, adopt, report_refusal
from accounts.models import Membership, Team
from accounts.permissions import ASSIGNABLE, ORDERED_STATUSES, can_manage, team_permissions
from accounts.services.invitations import membership_invite
from accounts.services.memberships import membership_add, membership_change, membership_remove
from core.exceptions import ApplicationError


class TeamMembershipInline(admin.TabularInline):
    """Read-only list of the team's members; each links to its Membership page where changes go through services."""

    model = Membership
    extra = 0
    fields = ("user", "status", "is_manager", "role", "is_active")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class FeaturesField(forms.MultipleChoiceField):
    """Team.features ({flag: bool} of the 13 documented flags) as checkboxes; every flag is stored, on or off."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        choices = [(flag, flag.replace("_", " ").capitalize()) for flag in Team.FEATURES]
        super().__init__(choices=choices, required=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, dict):
            return [flag for flag, on in value.items() if on]
        return value

    def clean(self, value):
        chosen = set(super().clean(value))
        return {flag: flag in chosen for flag in Team.FEATURES}


class TeamForm(forms.ModelForm):
    features = FeaturesField(help_text="What the team uses (tommy team features).")

    class Meta:
        model = Team
        fields = (
            "name", "slug", "timezone", "email", "phone", "status", "features", "icon_sm", "icon_lg",
            "uploads_size_limit", "default_task_deadline", "is_archived",
        )  # fmt: skip


@admin.register(Team)
class TeamAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    form = TeamForm
    team_lookup = "pk"
    list_display = ("name", "slug", "timezone", "status", "is_archived", "created_at")
    list_filter = ("is_archived", "status")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("created_by",)
    readonly_fields = ("uid", "invite_link", "uploads_size", "created_by", "created_at", "updated_at")
    inlines = [TeamMembershipInline]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # Archiving goes through the team services (it ends console access); plan and storage limits are operators'.
        return fields if request.user.is_superuser else (*fields, "is_archived", "status", "uploads_size_limit")

    @admin.display(description="Members")
    def invite_link(self, team: Team) -> str:
        if team.pk is None:
            return "-"
        url = reverse("admin:accounts_invitation_add") + f"?team={team.pk}"
        return format_html('<a class="addlink" href="{}">Invite a member</a> (by email or mobile)', url)


class MembershipForm(forms.ModelForm):
    """Adding: the status must be one the staff user may hand out in that team (accounts.permissions.ASSIGNABLE).
    Changing: only the title and the manager flag; access level and removal are actions, through the services."""

    class Meta:
        model = Membership
        fields = ("team", "user", "status", "is_manager", "role", "roles", "locations", "tags")

    def clean(self):
        cleaned = super().clean()
        request = self.request
        if request.user.is_superuser:
            return cleaned
        team = cleaned.get("team") or (self.instance.team if self.instance.pk else None)
        if team is None:
            return cleaned
        try:
            by = acting_membership(request, team)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None
        if self.instance.pk is None:
            if not team_permissions(by).can_add_to_team:
                raise forms.ValidationError("You cannot add members to this team.")
            if cleaned.get("status") not in ASSIGNABLE[by.status]:
                self.add_error("status", "You cannot make anyone this.")
        elif self.has_changed() and by.pk != self.instance.pk and not can_manage(by, self.instance):
            raise forms.ValidationError("You cannot change this member.")
        return cleaned


def _status_action(status: Membership.Status):
    def action(modeladmin, request, queryset):
        modeladmin.change_status(request, queryset, status)

    action.__name__ = f"make_{status}"
    return admin.action(description=f"Change access level to {status.label.lower()}", permissions=["change"])(action)


@admin.register(Membership)
class MembershipAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    form = MembershipForm
    list_display = ("user", "team", "status", "is_manager", "role", "is_active", "created_at")
    list_filter = ("status", "is_manager", "is_active")
    list_select_related = ("user", "team")
    autocomplete_fields = ("user", "team")
    search_fields = ("user__email", "user__phone", "user__first_name", "user__last_name", "team__name", "team__slug")
    actions = [*(_status_action(s) for s in reversed(ORDERED_STATUSES)), "remove_from_team"]

    add_fields = ("team", "user", "status", "is_manager", "role")
    change_fields = ("team", "user", "status", "is_active", "is_manager", "role", "roles", "locations", "tags")
    change_readonly = ("team", "user", "status", "is_active", "invited_by", "need_confirmation", "created_at")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return (*self.change_fields, "invited_by", "need_confirmation", "created_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.change_readonly

    def has_delete_permission(self, request, obj=None):
        # Deleting a row would skip the last-owner rule: staff use "Remove from team"; superusers may clean up.
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            fields = {"is_manager": data.get("is_manager", False), "role": data.get("role", "")}
            if data["user"].pk == request.user.pk:  # adding oneself is one's own call
                created = membership_add(
                    team=data["team"], user=data["user"], status=data["status"], invited_by=request.user, **fields
                )
            else:
                # Adding someone else needs their consent (issue 8): an invited, pending member until they accept.
                created = membership_invite(
                    team=data["team"], user=data["user"], inviter=request.user, status=data["status"], **fields
                )
            adopt(obj, created)
            return
        fields = {name: data[name] for name in form.changed_data if name in data}
        membership_change(membership=obj, by=acting_membership(request, obj.team), **fields)

    def change_status(self, request, queryset, status: str) -> None:
        changed = 0
        for membership in queryset.select_related("team", "user"):
            try:
                membership_change(membership=membership, by=acting_membership(request, membership.team), status=status)
            except ApplicationError as exc:
                report_refusal(self, request, membership, exc)
            else:
                changed += 1
        if changed:
            message = ngettext("%d member changed.", "%d members changed.", changed) % changed
            self.message_user(request, message, messages.SUCCESS)

    @admin.action(description="Remove from the team", permissions=["change"])
    def remove_from_team(self, request, queryset):
        removed = 0
        for membership in queryset.filter(is_active=True).select_related("team", "user"):
            try:
                membership_remove(membership=membership, by=acting_membership(request, membership.team))
            except ApplicationError as exc:
                report_refusal(self, request, membership, exc)
            else:
                removed += 1
        if removed:
            message = ngettext("%d member removed.", "%d members removed.", removed) % removed
            self.message_user(request, message, messages.SUCCESS)
