"""`manage.py seed_demo`: the demo team, its people, an API key and a demo schedule; the owner's console login and
the secrets are printed on the first run only (`make run` calls it). It also gives the team multicast templates and a
group (messaging.services.demo).

It lives in automations (the top domain app) because it spans the apps below: the team and people come from
accounts.services.demo, the week of shifts, clock sessions and timesheets from automations' demo data — the same
background sync as "Load demo data" in the console, run to the end here so the board is full on first sign-in.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Membership
from accounts.services.demo import demo_seed
from automations.models import Sync
from automations.services import demo_apply, demo_run
from core.exceptions import ApplicationError
from inbox.demo import inbox_demo_seed
from messaging.services.demo import multicast_demo_seed

CONSOLE_URL = "http://127.0.0.1:8000/admin/"
SCHEDULE = {"number_of_team_members": 6, "weeks_back": 1, "weeks_forward": 1, "shifts_per_member_per_week": 4}


class Command(BaseCommand):
    help = 'Create the "Demo Crew" team (slug demo): owner, members, SMS account, API key and a demo schedule.'

    def add_arguments(self, parser):
        parser.add_argument("--no-schedule", action="store_true", help="Only the team and its three people.")

    def handle(self, *args, **options):
        try:
            seed = demo_seed()
        except ApplicationError as exc:  # e.g. a demo phone number already belongs to someone else
            raise CommandError(f"Could not seed demo data: {exc.message} {exc.details or ''}".strip()) from None
        if seed is None:
            self.stdout.write("Demo data already present.")
            return
        self.stdout.write(f'Created team "{seed.team.name}" (slug {seed.team.slug}).')
        template_ids = multicast_demo_seed(team=seed.team)
        self.stdout.write(f'Multicast templates: {", ".join(template_ids)} (README "Multicasts").')
        if not options["no_schedule"]:
            sync = demo_apply(team=seed.team, user=seed.owner, seed_type="hospitality", options=SCHEDULE)
            demo_run(sync_id=sync.pk)  # a no-op when the task already ran it (eager Celery)
            sync.refresh_from_db()
            if sync.status == Sync.Status.COMPLETE:
                self.stdout.write(f"Added a demo schedule around today ({sync.success_items} people and shifts).")
            else:
                self.stdout.write(f"The demo schedule is {sync.status}: {sync.message}")
        self._inbox(seed)
        self.stdout.write(f"Console: {CONSOLE_URL} (the team's dashboard and week board)")
        self.stdout.write(f"Owner login: {seed.owner.email} (phone {seed.owner.phone})")
        self.stdout.write(f"Password: {seed.password}")
        self.stdout.write(f"API key: {seed.api_key}")
        self.stdout.write("The password and the API key are shown only now.")

    def _inbox(self, seed) -> None:
        """The conversations inbox: a sandbox and an SMS channel with a few customers (inbox/demo.py)."""
        membership = Membership.objects.get(team=seed.team, user=seed.owner)
        demo = inbox_demo_seed(team=seed.team, owner_membership=membership)
        self.stdout.write(f"Inbox: sandbox channel {demo.sandbox.jid}; a customer writes to it with")
        self.stdout.write(
            f"  curl -s -X POST http://127.0.0.1:8000/inbox/v3/providers/sandbox/{demo.sandbox.uid} "
            """-H 'Content-Type: application/json' -d '{"from": "+31612345678", "name": "Ann", "message": "Hi!"}'"""
        )
