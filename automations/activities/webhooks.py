"""Call a webhook: one signed POST through the outbox of messaging.services.webhooks (retries, attempts, replay)."""

from automations.activities.base import Activity, RunContext, refuse
from core.exceptions import ValidationFailed
from messaging.services.webhooks import enqueue_webhook
from messaging.webhooks.addresses import validate_webhook_url

EVENT_TYPE = "automation.run"


class CallWebhook(Activity):
    key = "call_webhook"
    name = "Call a webhook"
    description = (
        "POSTs the run (action, trigger and its data) to a URL, signed with the team's Standard Webhooks secret and "
        "retried for a day until it is accepted."
    )
    settings = {
        "url": {"type": "string", "minLength": 1, "maxLength": 2000, "description": "http(s) URL to POST to."},
        "event_type": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "default": EVENT_TYPE,
            "description": 'The body\'s "type".',
        },
    }
    required_settings = ("url",)
    permission = ("webhooks", "call")

    def clean(self, *, team, settings: dict, complete: bool) -> None:
        if "url" in settings:
            try:
                validate_webhook_url(settings["url"], field="settings.url")
            except ValidationFailed as exc:
                refuse("url", exc.details["settings.url"][0])

    def run(self, ctx: RunContext) -> dict:
        payload = {
            "run_id": str(ctx.run.uid),
            "install_id": ctx.install.pk,
            "action": ctx.install.action.key,
            "title": ctx.install.title,
            "trigger": ctx.run.trigger,
            "trigger_data": ctx.trigger_data,
            "team_id": ctx.team.pk,
        }
        # The run's uid as idempotency key: a run tried again queues no second delivery.
        delivery = enqueue_webhook(
            team=ctx.team,
            url=ctx.settings["url"],
            event_type=ctx.settings.get("event_type") or EVENT_TYPE,
            payload=payload,
            idempotency_key=f"automation-run:{ctx.run.uid}",
        )
        return {"webhook_delivery": str(delivery.uid)}
