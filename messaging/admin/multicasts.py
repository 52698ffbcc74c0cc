"""Multicasts in the console: templates (checked and previewed), individual groups, multicasts (compose with an
estimate and a preview, then progress, the report per channel, retry of the failed subset, cancel), notifications,
app credentials (write-only secrets), user emails and push logs — scoped to the teams a manager runs. Every write goes
through the messaging services."""

import json
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from accounts.admin import ReadOnlyAdminMixin, TeamScopedAdminMixin
from accounts.admin.scoping import adopt, report_refusal, request_team_ids
from accounts.models import Membership
from core.exceptions import ApplicationError
from messaging import templating
from messaging.admin import compose
from messaging.models import (
    AppCredential,
    BadgeCount,
    DeviceLog,
    IndividualGroup,
    MessageTemplate,
    Multicast,
    UserEmail,
    UserEmailAttachment,
    UserNotification,
)
from messaging.services import emails, multicast_ops, push_setup
from messaging.services.multicasts import estimate_of


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = (
            "team",
            "template_id",
            "name",
            "sms_body",
            "push_title",
            "push_body",
            "push_category",
            "push_data",
            "email_subject",
            "email_text",
            "email_html",
        )

    def clean(self):
        cleaned = super().clean()
        for name, problems in templating.syntax_problems(cleaned).items():
            field = name.split(".")[0]
            self.add_error(field if field in self.fields else None, problems[0])
        if not templating.channels_of(cleaned):
            raise forms.ValidationError("Give at least one part: the SMS body, the push title and body, or an email.")
        return cleaned


@admin.register(MessageTemplate)
class MessageTemplateAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    """Templates are Jinja2, sandboxed and strict (messaging/templating.py); the preview renders every part for
    a sample person with each variable shown as [name]."""

    form = MessageTemplateForm
    list_display = ("template_id", "name", "team", "channels", "updated_at")
    list_select_related = ("team",)
    search_fields = ("template_id", "name")
    readonly_fields = ("variables", "preview", "created_at", "updated_at")

    @admin.display(description="Channels")
    def channels(self, obj):
        return ", ".join(templating.channels_of(obj.parts()))

    @admin.display(description="Variables it takes")
    def variables(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        names = sorted(templating.variables_of(obj.parts()) - templating.RECIPIENT_VARIABLES)
        given = ", ".join(sorted(templating.RECIPIENT_VARIABLES))
        return f"{', '.join(names) or '(none)'} — always given: {given}"

    @admin.display(description="Preview")
    def preview(self, obj):
        if obj is None or obj.pk is None:
            return "Save the template to see a preview."
        context = {name: f"[{name}]" for name in templating.variables_of(obj.parts())}
        context.update(templating.recipient_context(first_name="Alex", last_name="Sample", organization=obj.team.name))
        try:
            rendered = templating.render(obj.parts(), context)
        except templating.TemplateProblem as exc:
            return f"Does not render: {exc}"
        rows = [
            ("SMS", rendered.sms_body),
            ("Push", f"{rendered.push_title} — {rendered.push_body}"),
            ("Email subject", rendered.email_subject),
            ("Email text", rendered.email_text),
        ]
        return format_html_join("", "<p><strong>{}</strong>: {}</p>", ((k, v) for k, v in rows if v.strip(" —")))


class IndividualGroupForm(forms.ModelForm):
    class Meta:
        model = IndividualGroup
        fields = ("team", "name", "parent", "members", "leaders")

    def clean(self):
        cleaned = super().clean()
        team = cleaned.get("team")
        if team is None:
            return cleaned
        for field in ("members", "leaders"):
            if any(m.team_id != team.pk for m in cleaned.get(field) or []):
                self.add_error(field, "Only members of the group's team.")
        parent = cleaned.get("parent")
        if parent is not None and (parent.team_id != team.pk or parent.pk == self.instance.pk):
            self.add_error("parent", "The parent must be another group of the same team.")
        return cleaned


@admin.register(IndividualGroup)
class IndividualGroupAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    form = IndividualGroupForm
    list_display = ("name", "team", "parent", "member_count", "last_sync_time")
    list_select_related = ("team", "parent")
    search_fields = ("name",)
    filter_horizontal = ("members", "leaders")
    autocomplete_fields = ("parent",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members", distinct=True))

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("members", "leaders"):
            memberships = (
                Membership.objects.active().select_related("user", "team").order_by("team__name", "user__first_name")
            )
            if not request.user.is_superuser:
                memberships = memberships.filter(team_id__in=request_team_ids(request))
            kwargs["queryset"] = memberships
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Multicast)
class MulticastAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Multicasts are made on the compose page (or by the API); their page shows progress and the report."""

    list_display = ("template_id", "team", "status", "recipients_total", "progress", "created_by", "created_at")
    list_filter = ("status", "source")
    list_select_related = ("team", "created_by")
    search_fields = ("template_id", "uid")
    date_hierarchy = "created_at"
    fields = (
        "uid",
        "team",
        "template_id",
        "status",
        "progress",
        "report",
        "estimate",
        "recipients_total",
        "channels",
        "data",
        "filter_type",
        "filter_value",
        "source",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "cancelled_at",
    )
    readonly_fields = fields
    actions = ["cancel", "retry_failed"]
    change_form_template = "admin/messaging/multicast/change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("compose/", view(partial(compose.compose_view, self)), name="messaging_multicast_compose"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"compose_url": reverse("admin:messaging_multicast_compose"), **(extra_context or {})}
        return super().changelist_view(request, extra)

    @admin.display(description="Progress")
    def progress(self, obj):
        if obj.status == Multicast.Status.PENDING:
            return "waiting for a worker"
        planned = obj.chunks_total - max(obj.chunks_pending, 0)
        return f"{planned}/{obj.chunks_total} chunks fanned out, {max(obj.outstanding, 0)} deliveries outstanding"

    @admin.display(description="Report per channel")
    def report(self, obj):
        found = multicast_ops.multicast_report(multicast=obj)
        rows = [
            (channel, ", ".join(f"{status} {n}" for status, n in counts.items() if n) or "nothing yet")
            for channel, counts in found.channels.items()
        ]
        return format_html_join("", "<p><strong>{}</strong>: {}</p>", rows) or "—"

    @admin.display(description="Estimate")
    def estimate(self, obj):
        found = estimate_of(obj)
        reach = ", ".join(f"{c} {n}" for c, n in found.channels.items())
        return format_html(
            "{} recipients ({}); {} SMS segments ≈ {} {}{}",
            found.recipients,
            reach,
            found.sms_segments,
            found.sms_cost,
            found.currency,
            " (from a sample)" if found.sampled else "",
        )

    def _each(self, request, queryset, service, done: str):
        count = 0
        for multicast in queryset:
            try:
                count += service(multicast=multicast)
            except ApplicationError as exc:
                report_refusal(self, request, multicast, exc)
        self.message_user(request, done.format(count), messages.SUCCESS)

    @admin.action(description="Cancel what has not gone yet")
    def cancel(self, request, queryset):
        self._each(request, queryset, multicast_ops.multicast_cancel, "{} queued deliveries cancelled.")

    @admin.action(description="Retry the failed deliveries")
    def retry_failed(self, request, queryset):
        self._each(request, queryset, multicast_ops.multicast_retry_failed, "{} failed deliveries queued again.")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False  # composed on its own page (compose/)


@admin.register(UserNotification)
class UserNotificationAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "team", "multicast", "category", "acknowledged", "created_at")
    list_filter = ("acknowledged", "active")
    list_select_related = ("user", "team", "multicast")
    search_fields = ("user__first_name", "user__last_name", "user__email")
    show_full_result_count = False
    fields = ("uid", "team", "user", "individual", "multicast", "category", "data", "acknowledged", "created_at")
    readonly_fields = fields


@admin.register(BadgeCount)
class BadgeCountAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("individual", "team", "type", "count", "updated_at")
    list_select_related = ("individual__user", "individual__team", "team")
    fields = ("team", "individual", "type", "count", "timestamp", "updated_at")
    readonly_fields = fields


@admin.register(DeviceLog)
class DeviceLogAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("device", "title", "ok", "error", "badge_count", "created_at")
    list_filter = ("ok",)
    list_select_related = ("device__user",)
    show_full_result_count = False
    fields = (
        "uid",
        "device",
        "delivery",
        "title",
        "body",
        "category",
        "data",
        "badge_count",
        "ok",
        "error",
        "created_at",
    )
    readonly_fields = fields


class AppCredentialForm(forms.ModelForm):
    """The secret is write-only: typed (or pasted) here, stored encrypted, never shown again."""

    secret = forms.CharField(
        label="Credential JSON",
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off"}),
        required=False,
        help_text="FCM: the service-account JSON. Stored encrypted and never shown again; leave empty to keep it.",
    )

    class Meta:
        model = AppCredential
        fields = ("team", "type", "app_name", "display_name", "store_id", "test_mode", "archived")

    def clean_secret(self):
        raw = self.cleaned_data["secret"].strip()
        if not raw:
            if self.instance.pk is None:
                raise forms.ValidationError("Paste the credential JSON.")
            return None
        try:
            value = json.loads(raw)
        except ValueError:
            raise forms.ValidationError("Not valid JSON.") from None
        if not isinstance(value, dict):
            raise forms.ValidationError("A JSON object.")
        return value


@admin.register(AppCredential)
class AppCredentialAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    form = AppCredentialForm
    list_display = ("__str__", "team", "type", "app_name", "test_mode", "archived", "updated_at")
    list_filter = ("type", "archived")
    list_select_related = ("team",)
    search_fields = ("app_name", "display_name", "store_id")

    def save_model(self, request, obj, form, change):
        fields = {n: form.cleaned_data[n] for n in ("app_name", "display_name", "store_id", "test_mode", "archived")}
        secret = form.cleaned_data.get("secret")
        try:
            if change:
                saved = push_setup.app_credential_update(credential=obj, data=secret, **fields)
            else:
                fields.pop("archived")
                saved = push_setup.app_credential_create(
                    team=form.cleaned_data["team"], type=form.cleaned_data["type"], data=secret, **fields
                )
        except ApplicationError as exc:
            report_refusal(self, request, obj, exc)
            return
        adopt(obj, saved)

    def get_readonly_fields(self, request, obj=None):
        return ("team", "type") if obj is not None else ()


class UserEmailAttachmentInline(admin.TabularInline):
    model = UserEmailAttachment
    extra = 0
    fields = ("filename", "content_type", "size", "ready", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(UserEmail)
class UserEmailAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("subject", "to", "team", "status", "created_by", "created_at")
    list_filter = ("status",)
    list_select_related = ("team", "created_by")
    search_fields = ("subject", "to")
    fields = ("uid", "team", "individual", "to", "subject", "message", "message_html", "status", "result", "task_id",
              "created_by", "created_at", "sent_at")  # fmt: skip
    readonly_fields = fields
    inlines = [UserEmailAttachmentInline]
    actions = ["send"]

    @admin.action(description="Send the selected drafts (or failed emails again)")
    def send(self, request, queryset):
        sent = 0
        for email in queryset:
            try:
                emails.user_email_send(email=email)
                sent += 1
            except ApplicationError as exc:
                report_refusal(self, request, email, exc)
        self.message_user(request, f"{sent} email(s) queued.", messages.SUCCESS)
