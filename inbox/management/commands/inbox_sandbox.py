"""`manage.py inbox_sandbox`: play the customer of a sandbox channel from the command line.

    manage.py inbox_sandbox say --from +31612345678 --name Ann "Hi, where is my order?"
    manage.py inbox_sandbox read <message id>          # the customer reads one of our messages (a `read` receipt)
    manage.py inbox_sandbox typing --from +31612345678

`--channel <jid>` picks the sandbox channel (default: the only one, or the demo team's). What the customer does is
stored like a provider webhook and processed by the worker — or at once with `--now` (no worker needed)."""

from django.core.management.base import BaseCommand, CommandError

from core.exceptions import ApplicationError
from inbox.models import Channel
from inbox.providers import sandbox
from inbox.services import inbound


class Command(BaseCommand):
    help = "Play the customer of a sandbox channel: say something, read our message, or type."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["say", "read", "typing"])
        parser.add_argument("text", nargs="?", default="", help="say: the message; read: our message's id")
        parser.add_argument("--channel", help="the sandbox channel's JID")
        parser.add_argument("--from", dest="sender", default="+31612345678", help="the customer's phone number")
        parser.add_argument("--name", default="", help="the customer's display name")
        parser.add_argument("--now", action="store_true", help="process at once instead of in the worker")

    def handle(self, *args, action, text, channel, sender, name, now, **options):
        found = self._channel(channel)
        if action == "say":
            data = {"from": sender, "name": name, "message": text or "Hello!"}
        elif action == "read":
            if not text:
                raise CommandError("Give the id of the message the customer reads.")
            data = {"receipt": {"id": text, "status": "read"}}
        else:
            data = {"from": sender, "typing": True}
        try:
            event = sandbox.customer_event(data)
        except ApplicationError as exc:
            raise CommandError(f"{exc.message} {exc.details or ''}".strip()) from None
        stored = inbound.events_receive(channel_id=found.pk, events=[event])
        if now:
            for event_id in stored:
                inbound.event_process(event_id=event_id)
        self.stdout.write(f"{action} → {found.jid} ({'processed' if now else 'queued for the worker'})")

    def _channel(self, jid: str | None) -> Channel:
        sandboxes = Channel.objects.filter(kind=Channel.Kind.SANDBOX)
        if jid:
            found = sandboxes.filter(jid=jid).first()
        else:
            found = sandboxes.get() if sandboxes.count() == 1 else sandboxes.filter(team__slug="demo").first()
        if found is None:
            raise CommandError("No such sandbox channel; name one with --channel <jid>.")
        return found
