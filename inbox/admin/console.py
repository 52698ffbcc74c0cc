"""The console's inbox (issue 15 §4): the team's conversations filtered by channel, status, assignee and label, and
a conversation page — messages, comments, the contact's notes, a reply box that respects the 24-hour window (and
offers the approved templates outside it), assignment, labels, status, scheduled replies. Server-rendered; every
write is a POST to the page (post/redirect/get) that calls inbox.services with the user's own membership.

Scope (inbox/admin/scoping.py): the team must be one the user may see; a conversation outside what they may see is
a 404. Reading needs `inbox.view_conversation`, writing `inbox.change_conversation`.
"""

from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.agents import agent_memberships
from core.exceptions import ApplicationError
from inbox.actors import Actor
from inbox.admin.scoping import inbox_team, inbox_teams, membership_in, visible_conversations
from inbox.models import (
    Assistant,
    Channel,
    Conversation,
    InboxMessage,
    Label,
    Note,
    QuickReply,
    ScheduledReply,
    TemplateTranslation,
)
from inbox.providers import sandbox
from inbox.services import contacts, conversations, inbound, scheduled, sending
from inbox.services.conversations import assignee_label

LISTED = 100
THREAD = 200


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    """Only the two console pages: the standard list and change pages lead to them."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("inbox/", view(partial(inbox_view, self)), name="inbox_conversation_inbox"),
            path("<int:pk>/thread/", view(partial(thread_view, self)), name="inbox_conversation_thread"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        return HttpResponseRedirect(reverse("admin:inbox_conversation_inbox"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:inbox_conversation_thread", args=[object_id]))

    def has_add_permission(self, request):
        return False  # conversations open when a customer writes or is written to

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


# --- the inbox page ----------------------------------------------------------------------------------------------


def _filtered(request, team):
    rows = visible_conversations(request, team)
    channel, status, assignee, label, query = (request.GET.get(k, "") for k in ("channel", "status", "assignee",
                                                                                 "label", "q"))  # fmt: skip
    if channel.isdigit():
        rows = rows.filter(channel_id=channel)
    if status in Conversation.Status.values:
        rows = rows.filter(status=status)
    elif status != "all":
        rows = rows.filter(status=Conversation.Status.OPEN)
    if assignee == "me":
        rows = rows.filter(assignee=request.user)
    elif assignee == "pool":
        rows = rows.filter(assignee__isnull=True, assignee_assistant__isnull=True)
    elif assignee.startswith("u") and assignee[1:].isdigit():
        rows = rows.filter(assignee_id=assignee[1:])
    elif assignee.startswith("a") and assignee[1:].isdigit():
        rows = rows.filter(assignee_assistant_id=assignee[1:])
    if label.isdigit():
        rows = rows.filter(labels__id=label)
    if query.strip():
        rows = rows.filter(Q(contact__name__icontains=query.strip()) | Q(contact__jid__icontains=query.strip()))
    return rows


def inbox_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    team = inbox_team(request)
    if team is None:
        raise Http404("You see no team's inbox.")
    last = InboxMessage.objects.filter(conversation=OuterRef("pk")).order_by("-created_at", "-id").values("id")[:1]
    rows = list(
        _filtered(request, team)
        .select_related("contact", "channel", "assignee", "assignee_assistant")
        .prefetch_related(Prefetch("labels", queryset=Label.objects.order_by("name")))
        .annotate(last_message_id=Subquery(last))
        .order_by("-updated_at", "-id")[: LISTED + 1]
    )
    shown = rows[:LISTED]
    latest = InboxMessage.objects.in_bulk([r.last_message_id for r in shown if r.last_message_id])
    now = timezone.now()
    for row in shown:
        row.last_message = latest.get(row.last_message_id)
        row.assignee_name = assignee_label(row) or "Agents' pool"
        row.window_open = not sending.needs_template(row, now=now)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Inbox",
        "subtitle": team.name,
        "console_team": team,
        "console_teams": inbox_teams(request),
        "rows": shown,
        "more": len(rows) > LISTED,
        "channels": Channel.objects.filter(team=team),
        "labels": Label.objects.filter(team=team),
        "assignee_options": [
            *((f"u{a.user_id}", a.user.email) for a in agent_memberships(team=team)),
            *((f"a{a.pk}", f"{a.name} (assistant)") for a in Assistant.objects.filter(team=team)),
        ],
        "filters": {k: request.GET.get(k, "") for k in ("channel", "status", "assignee", "label", "q")},
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/inbox/inbox.html", context)


# --- the conversation page ---------------------------------------------------------------------------------------


def _conversation_or_404(request, pk: int) -> Conversation:
    found = Conversation.objects.filter(pk=pk, team__in=inbox_teams(request)).select_related("team").first()
    if found is None or not visible_conversations(request, found.team).filter(pk=pk).exists():
        raise Http404("No such conversation.")
    return (
        Conversation.objects.select_related("team", "channel", "contact", "assignee", "assignee_assistant")
        .prefetch_related("labels")
        .get(pk=pk)
    )


def _thread_url(conversation) -> str:
    return reverse("admin:inbox_conversation_thread", args=[conversation.pk])


def thread_view(model_admin, request, pk: int):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    conversation = _conversation_or_404(request, pk)
    if request.method == "POST":
        if not model_admin.has_change_permission(request):
            raise PermissionDenied
        _write(request, conversation)
        return HttpResponseRedirect(_thread_url(conversation))
    conversations.conversation_mark_read(conversation=conversation)
    return TemplateResponse(request, "admin/inbox/thread.html", _thread_context(model_admin, request, conversation))


def _thread_context(model_admin, request, conversation) -> dict:
    channel, team = conversation.channel, conversation.team
    thread = list(
        InboxMessage.objects.filter(conversation=conversation)
        .select_related("sent_by", "sent_by_assistant")
        .order_by("-created_at", "-id")[:THREAD]
    )[::-1]
    last = conversation.last_message_received_at
    window_open = not sending.needs_template(conversation)
    templates = (
        TemplateTranslation.objects.filter(template__channel=channel, status=TemplateTranslation.Status.APPROVED)
        .select_related("template")
        .order_by("template__name", "language")
        if channel.whatsapp_like
        else TemplateTranslation.objects.none()
    )
    chosen = {label.pk for label in conversation.labels.all()}
    return {
        **model_admin.admin_site.each_context(request),
        "title": str(conversation.contact),
        "subtitle": channel.name,
        "conversation": conversation,
        "channel": channel,
        "contact": conversation.contact,
        "thread": thread,
        "comments": conversation.comments.select_related("author", "author_assistant").order_by("created_at"),
        "notes": Note.objects.filter(contact=conversation.contact),
        "scheduled": ScheduledReply.objects.filter(conversation=conversation, status=ScheduledReply.Status.SCHEDULED),
        "window_open": window_open,
        "window_applies": channel.has_care_window,
        "window_closes": last + timezone.timedelta(hours=24) if last and window_open else None,
        "templates": [
            {
                "value": f"{t.template.name}|{t.language}",
                "label": f"{t.template.name} ({t.language})",
                "text": next((c.get("text", "") for c in t.components if c.get("type") == "BODY"), ""),
            }
            for t in templates
        ],  # fmt: skip
        "quick_replies": QuickReply.objects.filter(team=team).filter(Q(channels=channel) | Q(channels__isnull=True)),
        "agents": agent_memberships(team=team),
        "assistants": Assistant.objects.filter(team=team, enabled=True),
        "assignee": assignee_label(conversation),
        "labels": [(label, label.pk in chosen) for label in Label.objects.filter(team=team)],
        "can_change": model_admin.has_change_permission(request),
        "is_sandbox": channel.kind == Channel.Kind.SANDBOX,
        "opts": model_admin.model._meta,
        "inbox_url": reverse("admin:inbox_conversation_inbox") + f"?team={team.pk}",
    }


def _write(request, conversation) -> None:
    op = request.POST.get("op", "")
    handlers = {
        "reply": _reply,
        "assign": _assign,
        "labels": _labels,
        "status": _status,
        "comment": _comment,
        "note": _note,
        "cancel": _cancel,
        "play": _play,
    }
    if op not in handlers:
        messages.error(request, "Unknown action.")
        return
    membership = membership_in(request, conversation.team)
    if membership is None and op != "play":
        messages.error(request, "Only members of the team can act on its conversations.")
        return
    try:
        handlers[op](request, conversation, Actor(membership=membership))
    except ApplicationError as exc:
        details = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in (exc.details or {}).items())
        messages.error(request, f"{exc.message} {details}".strip())


def _reply(request, conversation, actor) -> None:
    post = request.POST
    body = post.get("body", "").strip()
    quick = QuickReply.objects.filter(team=conversation.team, pk=post.get("quick_reply") or 0).first()
    if not body and quick is not None:
        body = quick.message
    template = post.get("template", "")
    if template:
        name, _, language = template.partition("|")
        parameters = [line.strip() for line in post.get("parameters", "").splitlines() if line.strip()]
        message = {"type": "template", "template": {"name": name, "language": language, "parameters": parameters}}
    elif body:
        message = {"type": "text", "body": body}
    else:
        messages.error(request, "Write a message or choose a template.")
        return
    send_at = parse_datetime(post.get("send_at", "")) if post.get("send_at") else None
    if send_at is not None and timezone.is_naive(send_at):
        send_at = timezone.make_aware(send_at)
    accepted = sending.message_send(
        channel=conversation.channel,
        contact_jid=conversation.contact.jid,
        message=message,
        actor=actor,
        send_at=send_at,
    )
    if accepted.scheduled_at is not None:
        local = timezone.localtime(accepted.scheduled_at)
        messages.success(request, f"Scheduled for {local:%d %b %Y %H:%M}.")
    else:
        messages.success(request, "Sent.")


def _assign(request, conversation, actor) -> None:
    value = request.POST.get("assignee", "")
    assignee = None
    if value.startswith("u") and value[1:].isdigit():
        agent = agent_memberships(team=conversation.team).filter(user_id=value[1:]).first()
        if agent is None:
            raise Http404("No such agent.")
        assignee = agent.user.email
    elif value.startswith("a") and value[1:].isdigit():
        assistant = Assistant.objects.filter(team=conversation.team, pk=value[1:]).first()
        if assistant is None:
            raise Http404("No such assistant.")
        assignee = assistant.jid
    conversations.conversation_update(conversation=conversation, actor=actor, assignee=assignee)
    messages.success(request, f"Assigned to {assignee or 'the agents pool'}.")


def _labels(request, conversation, actor) -> None:
    ids = [v for v in request.POST.getlist("labels") if v.isdigit()]
    jids = list(Label.objects.filter(team=conversation.team, pk__in=ids).values_list("jid", flat=True))
    conversations.conversation_update(conversation=conversation, actor=actor, labels=jids)
    messages.success(request, "Labels saved.")


def _status(request, conversation, actor) -> None:
    status = request.POST.get("status", "")
    conversations.conversation_update(conversation=conversation, actor=actor, status=status)
    messages.success(request, "Closed." if status == Conversation.Status.CLOSED else "Reopened.")


def _comment(request, conversation, actor) -> None:
    conversations.comment_create(conversation=conversation, actor=actor, body=request.POST.get("body", ""))


def _note(request, conversation, actor) -> None:
    contacts.note_create(contact=conversation.contact, actor=actor, body=request.POST.get("body", ""))


def _cancel(request, conversation, actor) -> None:
    scheduled.reply_cancel(conversation=conversation, uid=request.POST.get("reply", ""), actor=actor)
    messages.success(request, "The scheduled reply was canceled.")


def _play(request, conversation, actor) -> None:
    """Sandbox only: the console plays the customer and writes into this conversation."""
    if conversation.channel.kind != Channel.Kind.SANDBOX:
        raise Http404("Only a sandbox channel's customer can be played.")
    event = sandbox.customer_event(
        {"from": conversation.contact.jid, "message": request.POST.get("body", "") or "Hello"}
    )
    inbound.events_receive(channel_id=conversation.channel_id, events=[event])
    messages.success(request, "The customer's message is on its way (refresh if it is not shown yet).")
