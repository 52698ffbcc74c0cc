"""Journals of the inbox in the console: scheduled replies (cancel) and what the networks reported (read-only)."""

from django.contrib import admin, messages

from accounts.admin import ReadOnlyAdminMixin, TeamScopedAdminMixin
from core.exceptions import ApplicationError
from inbox.actors import Actor
from inbox.models import InboundEvent, ScheduledReply
from inbox.services import scheduled


@admin.register(ScheduledReply)
class ScheduledReplyAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("uid", "conversation", "run_at", "status", "reason")
    list_filter = ("status",)
    list_select_related = ("conversation__contact",)
    readonly_fields = ("uid", "conversation", "message", "fallback_template", "run_at", "status", "reason",
                       "created_by", "sent_message", "created_at")  # fmt: skip
    fields = readonly_fields
    actions = ["cancel"]

    @admin.action(description="Cancel the selected scheduled replies")
    def cancel(self, request, queryset):
        for reply in queryset.filter(status=ScheduledReply.Status.SCHEDULED).select_related("conversation"):
            try:
                scheduled.reply_cancel(conversation=reply.conversation, uid=reply.uid, actor=Actor())
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)


@admin.register(InboundEvent)
class InboundEventAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    team_lookup = "channel__team"
    list_display = ("key", "kind", "channel", "status", "outcome", "created_at")
    list_filter = ("kind", "status")
    list_select_related = ("channel",)
    search_fields = ("key",)
    show_full_result_count = False
    readonly_fields = ("channel", "key", "kind", "payload", "status", "outcome", "created_at", "processed_at")
    fields = readonly_fields
