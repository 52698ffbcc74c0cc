"""`manage.py create_api_key --team <slug> [--name N] [--user <email>]`: print a new API key, once.

stdout carries the key line only, so scripts can capture it: KEY=$(manage.py create_api_key --team acme).
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Membership, Team, User
from accounts.services.credentials import api_key_create


class Command(BaseCommand):
    help = "Create an API key for a team and print it (it cannot be shown again)."

    def add_arguments(self, parser):
        parser.add_argument("--team", required=True, help="The team's slug.")
        parser.add_argument("--name", default="", help="A description of the key or its use.")
        parser.add_argument(
            "--user", help="Email of the manager who makes the key; it acts as them (default: the team's owner)."
        )

    def handle(self, *args, team: str, name: str, user: str | None, **options):
        team_row = Team.objects.filter(slug=team).first()
        if team_row is None:
            raise CommandError(f"No team with slug {team!r}.")
        maker = self._maker(team_row, user)
        _, plaintext = api_key_create(team=team_row, created_by=maker, name=name)
        self.stdout.write(plaintext)

    @staticmethod
    def _maker(team: Team, email: str | None) -> User:
        memberships = Membership.objects.active().filter(team=team).select_related("user").order_by("id")
        if email:
            membership = memberships.filter(user__email__iexact=email).first()
            if membership is None:
                raise CommandError(f"{email} is not an active member of team {team.slug!r}.")
            if not membership.can_manage:
                raise CommandError(
                    f"{email} does not manage team {team.slug!r}; a key acts as the manager who makes it."
                )
            return membership.user
        owner = memberships.filter(status=Membership.Status.OWNER).first()
        if owner is None:
            raise CommandError(f"Team {team.slug!r} has no owner; name the key's maker with --user.")
        return owner.user
