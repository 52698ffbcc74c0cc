"""Webhook deliveries with every attempt (replay action) and the teams' signing secrets (rotate action)."""

from django.contrib import admin, messages

from accounts.admin import ReadOnlyAdminMixin, TeamScopedAdminMixin
from accounts.admin.scoping import adopt
from messaging.models import WebhookAttempt, WebhookDelivery, WebhookSecret
from messaging.services import webhooks


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("number", "started_at", "duration_ms", "status_code", "response_excerpt", "error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("event_type", "url", "status", "attempts", "team", "next_attempt_at", "created_at")
    list_filter = ("status", "event_type")
    list_select_related = ("team",)
    search_fields = ("url", "event_type", "uid", "ordering_key")
    date_hierarchy = "created_at"
    fields = (
        "uid",
        "team",
        "event_type",
        "url",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "give_up_at",
        "delivered_at",
        "ordering_key",
        "idempotency_key",
        "payload",
        "headers",
        "created_at",
    )
    readonly_fields = fields
    inlines = [WebhookAttemptInline]
    actions = ["replay"]

    @admin.action(description="Replay the selected deliveries (same webhook-id, a new retry window)")
    def replay(self, request, queryset):
        replayed = sum(webhooks.webhook_replay(delivery=delivery) for delivery in queryset)
        skipped = queryset.count() - replayed
        self.message_user(request, f"Replaying {replayed} delivery(ies).", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} still pending or being sent: left as they are.", messages.WARNING)


@admin.register(WebhookSecret)
class WebhookSecretAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    """The secret receivers verify signatures with (shown to the team's managers). Adding one for a team makes it
    now instead of at the first delivery; "Rotate" replaces it, the old one signing too for a grace period."""

    list_display = ("team", "rotated_at", "previous_valid_until", "created_at")
    list_select_related = ("team",)
    search_fields = ("team__name", "team__slug")
    actions = ["rotate"]

    def get_fields(self, request, obj=None):
        return ("team",) if obj is None else ("team", "secret", "previous_valid_until", "rotated_at", "created_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            adopt(obj, webhooks.webhook_secret_get(team=form.cleaned_data["team"]))

    @admin.action(description="Rotate the signing secret (the old one keeps signing for a grace period)")
    def rotate(self, request, queryset):
        for row in queryset.select_related("team"):
            webhooks.webhook_secret_rotate(team=row.team)
        self.message_user(request, f"Rotated {queryset.count()} secret(s).", messages.SUCCESS)
