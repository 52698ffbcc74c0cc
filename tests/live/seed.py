"""Data for the live server's database: a team with an owner (a manager), a member and another team, each kind of
credential, and a few rows of each resource, so that fuzzed calls reach real objects and not only 404s.

Run in the server's environment: `manage.py shell -c "from tests.live.seed import main; main()"` prints the
credentials as one JSON line.
"""

import datetime
import json

from django.utils import timezone


def seed() -> dict:
    from accounts.models import Membership, User
    from accounts.services.credentials import api_key_create, auth_token_issue
    from accounts.services.memberships import membership_add
    from accounts.services.team_admin import setting_put, team_create
    from accounts.services.users import device_upsert
    from messaging.services import text_account_create
    from workforce.services.shifts import shift_create

    def person(email: str, phone: str, name: str, **extra) -> User:
        return User.objects.create_user(
            email=email, phone=phone, first_name=name, slug=name.lower(), status="active", **extra
        )

    owner = person("owner@live.test", "+79160000001", "Olga", password="live-owner-pass-42")
    member = person("member@live.test", "+79160000002", "Tim")
    stranger = person("other@live.test", "+79160000003", "Otto")
    team = team_create(creator=owner, name="Live Crew")
    membership_add(team=team, user=member, status=Membership.Status.MEMBER)
    team_create(creator=stranger, name="Other Crew")

    start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)
    for day in range(3):
        begins = start + datetime.timedelta(days=day)
        shift_create(team=team, by=owner, start_at=begins, end_at=begins + datetime.timedelta(hours=8), title="Shift")
    text_account_create(team_id=team.pk)
    setting_put(name="theme", data={"dark": True}, user=owner)
    device_upsert(user=owner, device_id="owner-phone", type="android", name="Pixel")
    return {
        "api_key": api_key_create(team=team, created_by=owner, name="live")[1],
        # Not tied to the device: fuzzed calls delete devices (and with them their tokens) as they should.
        "owner_token": auth_token_issue(user=owner)[1],
        "team_uid": str(team.uid),
        "owner_id": owner.pk,
    }


def main() -> None:
    print(json.dumps(seed()))
