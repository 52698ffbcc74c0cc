"""The journal of server events (accounts.services.events.publish_event writes it; nobody edits it)."""

from django.contrib import admin

from accounts.admin.scoping import ReadOnlyAdminMixin, TeamScopedAdminMixin, UserJournalInline
from accounts.models import ServerEvent, ServerEventRecipient


class RecipientInline(UserJournalInline):
    model = ServerEventRecipient
    fields = ("user", "delivered_at")


@admin.register(ServerEvent)
class ServerEventAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Events of a team; team-less events (a user's own) are for superusers only."""

    list_display = ("name", "team", "actor", "created_at")
    list_filter = ("name",)
    list_select_related = ("team", "actor")
    search_fields = ("name", "team__name", "actor__email")
    date_hierarchy = "created_at"
    fields = ("name", "team", "actor", "payload", "created_at")
    readonly_fields = fields
    inlines = [RecipientInline]
