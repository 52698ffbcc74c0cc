"""Send a templated multicast through issue 13's `messaging.services.multicasts.multicast_send`: one of the team's
message templates (SMS, push and e-mail parts, each recipient on the channels they chose), its variables from
`params` (string values may use {placeholders} of the trigger data), to everyone, the managers, a member, an
individual group (by name or uid), or the person the trigger is about. The multicast's own progress and report are
in the console and the courier API; the run's result names it."""

import uuid

from automations.activities import people
from automations.activities.base import Activity, ActivityFailed, RunContext, refuse, render, template_values
from core.exceptions import ApplicationError, ValidationFailed
from messaging.models import IndividualGroup
from messaging.services.multicasts import check_template_data, multicast_send, template_get

CHANNELS = ("sms", "push", "email")
MISSING = "missing:"


def _group(team, value) -> IndividualGroup | None:
    if not value:
        return None
    groups = IndividualGroup.objects.filter(team=team)
    try:
        return groups.filter(uid=uuid.UUID(str(value))).first()
    except ValueError:
        return groups.filter(name__iexact=str(value).strip()).first()


class SendMulticast(Activity):
    key = "send_multicast"
    name = "Send a templated multicast"
    description = (
        "Sends one of the team's message templates (SMS, push and e-mail) to everyone, the managers, a member, an "
        "individual group or the person the trigger is about, each person once per channel."
    )
    settings = {
        "template_id": {"type": "string", "minLength": 1, "maxLength": 255, "description": "The template's id."},
        "params": {
            "type": "object",
            "default": {},
            "description": "The template's variables; string values may use {placeholders} of the trigger data.",
        },
        "to": {
            "type": "string",
            "enum": ["everyone", "managers", "member", "group", "trigger"],
            "default": "everyone",
        },
        "member_id": {"type": "integer", "description": "User id of a member of the team (to = member)."},
        "group": {"type": "string", "description": "An individual group's name or uid (to = group)."},
        "channels": {
            "type": "array",
            "items": {"type": "string", "enum": list(CHANNELS)},
            "uniqueItems": True,
            "description": "Limit the channels (default: every channel the template has content for).",
        },
    }
    required_settings = ("template_id",)
    permission = ("multicasts", "send")

    def clean(self, *, team, settings: dict, complete: bool) -> None:
        if "template_id" in settings:
            try:
                template = template_get(team=team, template_id=settings["template_id"])
            except ApplicationError:
                refuse("template_id", "is not a message template of this team")
            self._check_params(template, settings.get("params") or {}, complete=complete)
        to = settings.get("to", "everyone")
        if to == "member":
            people.clean_recipients(team=team, settings=settings, complete=complete)
        elif to == "group" and (settings.get("group") or complete) and _group(team, settings.get("group")) is None:
            refuse("group", "is not an individual group of this team")

    def _check_params(self, template, params: dict, *, complete: bool) -> None:
        """Names only (values are filled at run time): unknown ones always, missing ones once settings are complete."""
        try:
            check_template_data(parts=template.parts(), data=params, field="settings.params")
        except ValidationFailed as exc:
            details = {
                field: messages
                for field, messages in exc.details.items()
                if complete or not all(m.startswith(MISSING) for m in messages)
            }
            if details:
                raise ValidationFailed(exc.message, details=details) from None

    def run(self, ctx: RunContext) -> dict:
        values = template_values(ctx)
        params = {
            name: render(value, values, field=f"settings.params.{name}") if isinstance(value, str) else value
            for name, value in (ctx.settings.get("params") or {}).items()
        }
        to, target = ctx.settings.get("to", "everyone"), {}
        if to in ("everyone", "managers"):
            target["filter_type"] = "all-participants" if to == "everyone" else "managers"
        elif to == "group":
            target["group"] = _group(ctx.team, ctx.settings.get("group"))
            if target["group"] is None:
                raise ActivityFailed("The individual group is gone.")
        else:
            target["recipients"] = people.recipients(
                team=ctx.team, settings=ctx.settings, trigger_data=ctx.trigger_data
            )
        try:
            multicast = multicast_send(
                team=ctx.team,
                template_id=ctx.settings["template_id"],
                params=params,
                by=ctx.actor,
                channels=ctx.settings.get("channels") or None,
                data_field="settings.params",
                **target,
            )
        except ApplicationError as exc:
            details = "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.details.items())
            raise ActivityFailed(details or exc.message) from None
        return {"multicast": str(multicast.uid), "channels": multicast.channels}
