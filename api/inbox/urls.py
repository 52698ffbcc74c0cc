"""The inbox family's routes, one module: paths as its document has them (trailing slash optional)."""

from django.urls import re_path

from api.inbox import channels, contacts, conversations, directory, providers, webhooks
from api.inbox import companies as views

# --- companies --------------------------------------------------------------------------------------

# The document spells the current-key path `currrent` (three r's) in every sample; `current` is accepted too.
# Two routes, not one pattern with an alternation, so the schema documents both spellings (it had read the
# alternation as `/keys/curent`, a path that answers 404).
companies_patterns = [
    re_path(r"^keys/?$", views.KeyViewSet.as_view({"get": "list"}), name="key-list"),
    re_path(r"^keys/currrent/?$", views.KeyViewSet.as_view({"get": "current"}), name="key-currrent"),
    re_path(r"^keys/current/?$", views.KeyViewSet.as_view({"get": "current"}), name="key-current"),
    re_path(r"^companies/?$", views.CompanyViewSet.as_view({"get": "list"}), name="company-list"),
    re_path(
        r"^companies/(?P<companyId>[^/]+)/agents/?$", views.AgentViewSet.as_view({"get": "list"}), name="agent-list"
    ),
    re_path(
        r"^companies/(?P<companyId>[^/]+)/agents/(?P<email>[^/]+)/?$",
        views.AgentViewSet.as_view({"get": "retrieve"}),
        name="agent-detail",
    ),
    re_path(r"^companies/current/?$", views.CompanyViewSet.as_view({"get": "current"}), name="company-current"),
    re_path(r"^companies/(?P<id>[^/]+)/?$", views.CompanyViewSet.as_view({"get": "retrieve"}), name="company-detail"),
]


C = r"^channels/(?P<channelJid>[^/]+)"
CO = r"^companies/(?P<companyId>[^/]+)"
# The document hard-codes this customer-specific path of the unread counter.
UNREAD = r"^custom/e96eb049-ec39-4a19-9973-c6f770c4e636/unread/?$"


def _route(pattern: str, view, actions: dict, name: str):
    return re_path(pattern + "/?$", view.as_view(actions), name=name)


directory_patterns = [
    # Before `companies/{id}`: the literal `current` path of the quick replies.
    _route(r"^companies/current/quick-replies", directory.QuickReplyViewSet, {"get": "list"}, "quick-reply-list"),
    _route(CO + r"/teams", directory.TeamViewSet, {"get": "list", "post": "create"}, "team-list"),
    _route(
        CO + r"/teams/(?P<jid>[^/]+)",
        directory.TeamViewSet,
        {"patch": "partial_update", "delete": "destroy"},
        "team-detail",
    ),  # fmt: skip
    _route(CO + r"/assistants", directory.AssistantViewSet, {"get": "list"}, "assistant-list"),
    _route(
        CO + r"/assistants/(?P<jid>[^/]+)", directory.AssistantViewSet, {"patch": "partial_update"}, "assistant-detail"
    ),  # fmt: skip
    _route(CO + r"/labels", directory.LabelViewSet, {"get": "list", "post": "create"}, "label-list"),
    _route(
        CO + r"/labels/(?P<jid>[^/]+)",
        directory.LabelViewSet,
        {"patch": "partial_update", "delete": "destroy"},
        "label-detail",
    ),  # fmt: skip
]

channel_patterns = [
    _route(r"^channels", channels.ChannelViewSet, {"get": "list"}, "channel-list"),
    _route(C, channels.ChannelViewSet, {"patch": "partial_update"}, "channel-detail"),
    _route(
        C + r"/profile",
        channels.ProfileViewSet,
        {"get": "retrieve", "post": "create", "patch": "partial_update"},
        "profile",
    ),  # fmt: skip
    _route(C + r"/qr-codes", channels.QrCodeViewSet, {"get": "list", "post": "create"}, "qr-code-list"),
    _route(
        C + r"/qr-codes/(?P<code>[^/]+)",
        channels.QrCodeViewSet,
        {"patch": "partial_update", "delete": "destroy"},
        "qr-code-detail",
    ),  # fmt: skip
    _route(C + r"/templates", channels.TemplateViewSet, {"get": "catalogue", "post": "create"}, "template-list"),
    _route(C + r"/templates/(?P<name>[^/]+)", channels.TemplateViewSet, {"delete": "destroy"}, "template-detail"),
    _route(C + r"/automated-messages", channels.AutomatedMessageViewSet, {"get": "list"}, "automated-message-list"),
    _route(
        C + r"/automated-messages/(?P<type>[^/]+)",
        channels.AutomatedMessageViewSet,
        {"get": "retrieve", "patch": "partial_update"},
        "automated-message-detail",
    ),  # fmt: skip
    _route(C + r"/webhooks", webhooks.WebhookViewSet, {"get": "list", "post": "create"}, "webhook-list"),
    _route(
        C + r"/webhooks/(?P<id>[^/]+)",
        webhooks.WebhookViewSet,
        {"patch": "partial_update", "delete": "destroy"},
        "webhook-detail",
    ),  # fmt: skip
]

contact_patterns = [
    # The literal `blacklist` before `contacts/{contactJid}`.
    _route(C + r"/contacts/blacklist", contacts.BlacklistViewSet, {"get": "list"}, "blacklist"),
    _route(
        C + r"/contacts/blacklist/(?P<contactJid>[^/]+)",
        contacts.BlacklistViewSet,
        {"post": "create", "delete": "destroy"},
        "blacklist-detail",
    ),  # fmt: skip
    _route(C + r"/contacts", contacts.ContactViewSet, {"post": "create"}, "contact-list"),
    _route(
        C + r"/contacts/(?P<contactJid>[^/]+)",
        contacts.ContactViewSet,
        {"get": "retrieve", "patch": "partial_update"},
        "contact-detail",
    ),  # fmt: skip
    _route(
        C + r"/contacts/(?P<contactJid>[^/]+)/notes",
        contacts.NoteViewSet,
        {"get": "list", "post": "create"},
        "note-list",
    ),  # fmt: skip
    _route(
        C + r"/contacts/(?P<contactJid>[^/]+)/notes/(?P<id>[^/]+)",
        contacts.NoteViewSet,
        {"post": "update_note", "delete": "destroy"},
        "note-detail",
    ),  # fmt: skip
    _route(C + r"/lists", contacts.ContactListViewSet, {"get": "list"}, "contact-list-list"),
    _route(
        C + r"/lists/(?P<listJid>[^/]+)/(?P<contactJid>[^/]+)",
        contacts.ContactListViewSet,
        {"post": "create", "delete": "destroy"},
        "contact-list-member",
    ),  # fmt: skip
]

CONVERSATION = C + r"/conversations/(?P<contactJid>[^/]+)"
conversation_patterns = [
    _route(
        CONVERSATION,
        conversations.ConversationViewSet,
        {"get": "retrieve", "patch": "partial_update"},
        "conversation-detail",
    ),  # fmt: skip
    _route(CONVERSATION + r"/comments", conversations.CommentViewSet, {"post": "create"}, "comment-list"),
    _route(CONVERSATION + r"/scheduled", conversations.ScheduledReplyViewSet, {"get": "list"}, "scheduled-list"),
    _route(
        CONVERSATION + r"/scheduled/(?P<id>[^/]+)",
        conversations.ScheduledReplyViewSet,
        {"delete": "destroy"},
        "scheduled-detail",
    ),  # fmt: skip
    _route(C + r"/messages/(?P<contactJid>[^/]+)", conversations.MessageViewSet, {"post": "create"}, "message-send"),
    re_path(UNREAD, conversations.UnreadViewSet.as_view({"get": "retrieve"}), name="unread"),
]

provider_patterns = [
    re_path(r"^providers/whatsapp/(?P<uid>[^/]+)/?$", providers.WhatsAppWebhookView.as_view(), name="whatsapp-webhook"),
    re_path(r"^providers/sandbox/(?P<uid>[^/]+)/?$", providers.SandboxWebhookView.as_view(), name="sandbox-webhook"),
]

urlpatterns = [
    *provider_patterns,  # first: the providers' webhooks are the hot path (fewer patterns tried per request)
    *directory_patterns,
    *companies_patterns,
    *channel_patterns,
    *contact_patterns,
    *conversation_patterns,
]
