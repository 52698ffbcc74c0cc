"""`manage.py seed_demo`: demo team, people and an API key; the secrets are printed on the first run only."""

from django.core.management.base import BaseCommand, CommandError

from accounts.services.demo import demo_seed
from core.exceptions import ApplicationError


class Command(BaseCommand):
    help = 'Create the "Demo Crew" team (slug demo) with an owner, two members, an SMS account and an API key.'

    def handle(self, *args, **options):
        try:
            seed = demo_seed()
        except ApplicationError as exc:  # e.g. a demo phone number already belongs to someone else
            raise CommandError(f"Could not seed demo data: {exc.message} {exc.details or ''}".strip()) from None
        if seed is None:
            self.stdout.write("Demo data already present.")
            return
        self.stdout.write(f'Created team "{seed.team.name}" (slug {seed.team.slug}).')
        self.stdout.write(f"Owner login: {seed.owner.email} (phone {seed.owner.phone})")
        self.stdout.write(f"Password: {seed.password}")
        self.stdout.write(f"API key: {seed.api_key}")
        self.stdout.write("The password and the API key are shown only now.")
