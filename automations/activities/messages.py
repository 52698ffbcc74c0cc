"""Activities that talk to people: an SMS to a member or group, a message in a team chat."""

import uuid

from automations.activities import people
from automations.activities.base import Activity, ActivityFailed, RunContext, refuse, render, template_values
from core.exceptions import ApplicationError
from messaging.chats import chat_message_send
from messaging.models import Chat
from messaging.services import text_queue

MESSAGE = {
    "type": "string",
    "minLength": 1,
    "maxLength": 1600,
    "description": "The text; {placeholders} are filled from the trigger data (e.g. {title}, {start_at}) and {team}.",
}


class SendSms(Activity):
    key = "send_sms"
    name = "Send an SMS"
    description = (
        "Texts a member, a group of members, or the person the trigger is about (one text each; nobody who opted "
        "out is texted)."
    )
    settings = {"message": MESSAGE, **people.RECIPIENT_SETTINGS}
    required_settings = ("message", "to")
    permission = ("sms", "send")

    def clean(self, *, team, settings: dict, complete: bool) -> None:
        people.clean_recipients(team=team, settings=settings, complete=complete)

    def run(self, ctx: RunContext) -> dict:
        body = render(ctx.settings["message"], template_values(ctx))
        signature = ((ctx.addon_settings.get("sms") or {}).get("signature") or "").strip()
        if signature:
            body = f"{body}\n{signature}"
        phones = self._phones(ctx)
        texts = [
            text_queue(to=phone, body=body, team_id=ctx.team.pk, created_by=ctx.actor)
            for phone in dict.fromkeys(phones)
        ]
        return {"texts": [str(t.uid) for t in texts], "recipients": len(texts)}

    def _phones(self, ctx: RunContext) -> list[str]:
        if ctx.settings.get("to") == "trigger" and ctx.trigger_data.get("from") and not ctx.trigger_data.get("user_id"):
            return [ctx.trigger_data["from"]]  # an SMS sender who is not a member: answer the phone itself
        users = people.recipients(team=ctx.team, settings=ctx.settings, trigger_data=ctx.trigger_data)
        phones = [u.phone for u in users if u.phone]
        if not phones:
            raise ActivityFailed("Nobody to text: the recipients have no mobile number.")
        return phones


def _chat_uid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value.removeprefix("g-"))
    except (AttributeError, ValueError):
        return None


class PostChatMessage(Activity):
    key = "post_chat_message"
    name = "Post in a team chat"
    description = "Posts a message in one of the team's group chats, as the manager who installed the action."
    settings = {
        "chat": {"type": "string", "description": "The group chat: its uid or jid (g-<uid>)."},
        "message": MESSAGE,
    }
    required_settings = ("chat", "message")
    permission = ("chats", "post")

    def clean(self, *, team, settings: dict, complete: bool) -> None:
        if "chat" in settings and self._chat(team, settings["chat"]) is None:
            refuse("chat", "is not a group chat of this team")

    def _chat(self, team, value) -> Chat | None:
        uid = _chat_uid(value)
        return Chat.objects.filter(team=team, kind=Chat.Kind.GROUP, uid=uid).first() if uid else None

    def run(self, ctx: RunContext) -> dict:
        chat = self._chat(ctx.team, ctx.settings["chat"])
        if chat is None:
            raise ActivityFailed("The chat is gone.")
        if ctx.actor is None:
            raise ActivityFailed("Nobody to post as: the manager who installed the action is gone.")
        text = render(ctx.settings["message"], template_values(ctx))
        try:
            message = chat_message_send(chat=chat, sender=ctx.actor, content={"type": "plain", "text": text})
        except ApplicationError as exc:
            raise ActivityFailed(f"Cannot post in {chat}: {exc.message}") from None
        return {"chat": str(chat.uid), "message": str(message.uid)}
