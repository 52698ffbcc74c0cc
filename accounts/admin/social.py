"""Contacts (read mostly: their state machine lives in the contact services) and invitations.

Inviting a member is the Invitation "add" page (also linked from each team's page): it calls
accounts.services.invitations.invitation_send, the one way an invitation reaches a person (SMS or email).
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import ngettext

from accounts.admin.scoping import TeamScopedAdminMixin, acting_membership, adopt, member_of_any, report_refusal
from accounts.models import Contact, Invitation, Membership
from accounts.permissions import ASSIGNABLE, ORDERED_STATUSES, team_permissions
from accounts.services import invitations as invitation_services
from core.exceptions import ApplicationError
from core.phones import normalize_phone


@admin.register(Contact)
class ContactAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    """A team contact belongs to its team; a personal one (no team) is seen by the managers of its owner's teams."""

    list_display = ("owner", "friend", "team", "status", "via", "favorite", "mute", "created_at")
    list_filter = ("status", "favorite", "mute", "personal")
    list_select_related = ("owner", "friend", "team")
    search_fields = ("owner__email", "owner__phone", "friend__email", "friend__phone", "team__name")
    fields = (
        "owner",
        "team",
        "friend",
        "status",
        "via",
        "favorite",
        "mute",
        "personal",
        "roles",
        "locations",
        "tags",
        "created_at",
        "updated_at",
    )
    # Who knows whom and the request state change only through the contact services (both sides in step).
    readonly_fields = ("owner", "team", "friend", "status", "via", "created_at", "updated_at")

    def team_scope(self, team_ids: list[int]) -> Q:
        return Q(team_id__in=team_ids) | (Q(team__isnull=True) & Q(member_of_any("owner", team_ids)))

    def has_add_permission(self, request):
        return False


class InviteForm(forms.ModelForm):
    """Invite a member: a team, an email or a mobile number, an optional note and the access level on joining."""

    phone = forms.CharField(label="Mobile", required=False, help_text="Any format; normalised to E.164.")
    membership_status = forms.ChoiceField(
        label="Access level", choices=[(str(s), s.label) for s in ORDERED_STATUSES], initial=Membership.Status.MEMBER
    )

    class Meta:
        model = Invitation
        fields = ("team", "email", "phone", "message", "membership_status")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].required = True

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        if not value:
            return ""
        try:
            return normalize_phone(value)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and "phone" not in self.errors:
            raise forms.ValidationError("Give an email address or a mobile number.")
        team = cleaned.get("team")
        if team is not None and not self.request.user.is_superuser:
            try:
                by = acting_membership(self.request, team)
            except ApplicationError as exc:
                raise forms.ValidationError(exc.message) from None
            if not team_permissions(by).can_add_to_team:
                raise forms.ValidationError("You cannot invite members to this team.")
            if cleaned.get("membership_status") not in ASSIGNABLE[by.status]:
                self.add_error("membership_status", "You cannot make anyone this.")
        return cleaned


@admin.register(Invitation)
class InvitationAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    """A personal invitation to connect (no team) is seen by the managers of its inviter's teams."""

    add_form = InviteForm
    list_display = ("__str__", "kind", "status", "team", "inviter", "phone", "email", "times_sent", "created_at")
    list_filter = ("kind", "status")
    list_select_related = ("team", "inviter")
    search_fields = ("phone", "email", "inviter__email", "team__name", "invitee__email")
    actions = ["resend"]
    change_fields = (
        "uid",
        "kind",
        "status",
        "team",
        "inviter",
        "invitee",
        "invitee_team",
        "phone",
        "email",
        "message",
        "membership_status",
        "link",
        "times_sent",
        "sent_at",
        "accepted_at",
        "declined_at",
        "created_at",
    )

    def team_scope(self, team_ids: list[int]) -> Q:
        return Q(team_id__in=team_ids) | (Q(team__isnull=True) & Q(member_of_any("inviter", team_ids)))

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request
        return form

    def get_fields(self, request, obj=None):
        return InviteForm.Meta.fields if obj is None else self.change_fields

    def get_readonly_fields(self, request, obj=None):
        # Invitations change only through services (accept, decline, resend); the page is a record.
        return () if obj is None else self.change_fields

    @admin.display(description="Link")
    def link(self, invitation: Invitation) -> str:
        return invitation_services.invitation_link(invitation)

    def save_model(self, request, obj, form, change):
        if change:  # nothing is editable; keep the row as the services left it
            return
        data = form.cleaned_data
        invitation = invitation_services.invitation_send(
            inviter=request.user,
            team=data["team"],
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            message=data.get("message", ""),
            membership_status=data["membership_status"],
        )
        adopt(obj, invitation)
        where = invitation.phone or invitation.email
        self.message_user(request, format_html("The invitation to {} is on its way to {}.", obj.team, where))

    @admin.action(description="Send the selected invitations again", permissions=["change"])
    def resend(self, request, queryset):
        sent = 0
        for invitation in queryset.filter(status=Invitation.Status.PENDING, kind=Invitation.Kind.PERSONAL):
            try:
                invitation_services.invitation_deliver(invitation=invitation)
            except ApplicationError as exc:
                report_refusal(self, request, invitation, exc)
            else:
                sent += 1
        self.message_user(request, ngettext("%d invitation sent.", "%d invitations sent.", sent) % sent, messages.INFO)
