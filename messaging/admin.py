"""The managers' console for SMS (text accounts, their numbers, the read-only journal of texts sent) and the
read-only journal of chats and their messages."""

import re

from django.contrib import admin

from accounts.admin import ReadOnlyAdminMixin, TeamScopedAdminMixin, managed_team_ids
from messaging.models import Chat, ChatMessage, ChatParticipant, Text, TextAccount, TextNumber

_DIGITS = re.compile(r"\d")


class TextNumberInline(admin.TabularInline):
    model = TextNumber
    extra = 0
    fields = ("phone_number", "twilio_id", "alert", "forward_to", "logging", "notes")


@admin.register(TextAccount)
class TextAccountAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "team", "phone_number", "allow_custom_number", "twilio_id", "created_at")
    list_filter = ("allow_custom_number",)
    list_select_related = ("team",)
    autocomplete_fields = ("team",)
    search_fields = ("phone_number", "twilio_id", "team__name", "team__slug")
    readonly_fields = ("uid", "created_at", "updated_at")
    inlines = [TextNumberInline]


@admin.register(TextNumber)
class TextNumberAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    team_lookup = "account__team"
    list_display = ("phone_number", "account", "alert", "forward_to", "logging", "created_at")
    list_filter = ("alert", "logging")
    list_select_related = ("account__team",)
    autocomplete_fields = ("account",)
    search_fields = ("phone_number", "twilio_id", "account__team__name", "account__phone_number")
    readonly_fields = ("uid", "created_at")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "account" and not request.user.is_superuser:
            kwargs["queryset"] = TextAccount.objects.filter(team_id__in=managed_team_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Text)
class TextAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Texts are written by messaging.services only. Login-code texts show their body with the digits masked."""

    list_display = ("to", "status", "purpose", "team", "account", "from_number", "attempts", "created_at", "sent_at")
    list_filter = ("status", "purpose")
    list_select_related = ("team", "account__team")
    search_fields = ("to", "from_number", "provider_id")
    date_hierarchy = "created_at"
    fields = (
        "uid",
        "team",
        "account",
        "number",
        "created_by",
        "to",
        "from_number",
        "body_display",
        "purpose",
        "status",
        "provider_id",
        "error",
        "attempts",
        "callback_status_url",
        "callback_url",
        "claimed_at",
        "sent_at",
        "delivered_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    @admin.display(description="Body")
    def body_display(self, text: Text) -> str:
        # An OTP text carries a live login code: staff have no business reading it.
        if text.purpose == Text.Purpose.OTP:
            return _DIGITS.sub("•", text.body)
        return text.body


class ChatParticipantInline(admin.TabularInline):
    model = ChatParticipant
    extra = 0
    fields = ("user", "joined_at", "last_read_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


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
