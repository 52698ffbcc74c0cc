"""Demo data for a fresh install (`manage.py seed_demo`): one team, its owner, two members, an SMS account, a key.

Idempotent: the team (slug "demo") is the marker. Only the run that creates it returns the secrets to print.
"""

import secrets
from dataclasses import dataclass

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership, Team, User
from accounts.services.credentials import api_key_create
from accounts.services.epochs import user_epochs_bump
from accounts.services.memberships import membership_add
from accounts.services.users import user_create

DEMO_TEAM_NAME = "Demo Crew"
DEMO_TEAM_SLUG = "demo"
DEMO_OWNER = {"email": "owner@demo.crewdesk.local", "phone": "+79160000001", "first_name": "Olga", "last_name": "Owner"}
DEMO_MEMBERS = [
    {"email": "mike@demo.crewdesk.local", "phone": "+79160000002", "first_name": "Mike", "last_name": "Member"},
    {"email": "mia@demo.crewdesk.local", "phone": "+79160000003", "first_name": "Mia", "last_name": "Member"},
]
DEMO_SENDER = "+15005550006"  # Twilio's "valid" magic test number


@dataclass(frozen=True)
class DemoSeed:
    team: Team
    owner: User
    password: str
    api_key: str


def _demo_user(*, password: str | None, **profile) -> User:
    """The demo user with this email; made if missing. An existing owner gets the new password (it is printed)."""
    user = User.objects.filter(email=profile["email"]).first()
    if user is None:
        return user_create(password=password, **profile)
    if password:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def demo_seed() -> DemoSeed | None:
    """Create the demo team and its people, or return None when they are already there."""
    if Team.objects.filter(slug=DEMO_TEAM_SLUG).exists():
        return None
    try:
        return _create()
    except IntegrityError:  # a concurrent run created the team first
        if Team.objects.filter(slug=DEMO_TEAM_SLUG).exists():
            return None
        raise


@transaction.atomic
def _create() -> DemoSeed:
    password = secrets.token_urlsafe(12)
    owner = _demo_user(password=password, **DEMO_OWNER)
    team = Team.objects.create(name=DEMO_TEAM_NAME, slug=DEMO_TEAM_SLUG, created_by=owner)
    # Through the membership service: the owner becomes staff in the "Team manager" group, so the printed login
    # opens the console on the first try.
    membership_add(team=team, user=owner, status=Membership.Status.OWNER, is_manager=True)
    people = [owner]
    for profile in DEMO_MEMBERS:
        member = _demo_user(password=None, **profile)
        membership_add(team=team, user=member, status=Membership.Status.MEMBER)
        people.append(member)
    # The demo people's (fictional) phones and addresses count as verified, so a multicast reaches them at once.
    now = timezone.now()
    User.objects.filter(pk__in=[p.pk for p in people], phone_verified_at__isnull=True).update(phone_verified_at=now)
    User.objects.filter(pk__in=[p.pk for p in people], email_verified_at__isnull=True).update(email_verified_at=now)
    user_epochs_bump(p.pk for p in people)
    # Seed data spans apps; the model is looked up (not imported) so accounts never imports messaging.
    if apps.is_installed("messaging"):
        apps.get_model("messaging", "TextAccount").objects.create(team=team, phone_number=DEMO_SENDER)
    _, plaintext = api_key_create(team=team, created_by=owner, name="Demo key")
    return DemoSeed(team=team, owner=owner, password=password, api_key=plaintext)
