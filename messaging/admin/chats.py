"""The read-only journal of chats and their messages."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdminMixin, TeamScopedAdminMixin, UserJournalInline
from messaging.models import Chat, ChatMessage, ChatParticipant


class ChatParticipantInline(UserJournalInline):
    model = ChatParticipant
    fields = ("user", "joined_at", "last_read_at")


@admin.register(Chat)
class ChatAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Chats are opened by messaging.chats only."""

    list_display = ("__str__", "kind", "team", "created_by", "created_at")
    list_filter = ("kind",)
    list_select_related = ("team", "created_by")
    search_fields = ("uid", "title", "team__name", "team__slug")
    date_hierarchy = "created_at"
    fields = ("uid", "team", "kind", "title", "direct_key", "created_by", "created_at")
    readonly_fields = fields
    inlines = [ChatParticipantInline]


@admin.register(ChatMessage)
class ChatMessageAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Messages are written by messaging.chats only."""

    team_lookup = "chat__team"
    list_display = ("uid", "chat", "sender", "short_text", "created_at", "edited_at", "deleted_at")
    list_select_related = ("chat__team", "sender")
    search_fields = ("uid", "text", "chat__uid")
    date_hierarchy = "created_at"
    fields = ("uid", "chat", "sender", "content", "text", "prev", "gentime", "created_at", "edited_at", "deleted_at")
    readonly_fields = fields

    @admin.display(description="Text")
    def short_text(self, message: ChatMessage) -> str:
        return message.text if len(message.text) <= 80 else f"{message.text[:79]}…"
