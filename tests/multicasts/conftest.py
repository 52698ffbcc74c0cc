"""Multicast fixtures: a team of people reachable on every channel, a template, push devices."""

import pytest
from django.utils import timezone

from accounts.models import Membership
from messaging import push
from tests.factories import DeviceFactory, MembershipFactory, MessageTemplateFactory, UserFactory


@pytest.fixture(autouse=True)
def _empty_push_outbox():
    push.outbox.clear()
    yield
    push.outbox.clear()


@pytest.fixture
def template(team):
    return MessageTemplateFactory(team=team, template_id="shift-reminder")


@pytest.fixture
def crew(team, owner):
    """Three members with verified phones and emails; the first also has an FCM device."""
    people = []
    for n in range(3):
        user = UserFactory(
            first_name=f"Crew{n}", last_name="Member", phone=f"+1202555{n:04d}", email_verified_at=timezone.now()
        )
        people.append(MembershipFactory(team=team, user=user, status=Membership.Status.MEMBER))
    DeviceFactory(user=people[0].user, device_id="fcm-1", push_service="fcm", notification_token="fcm-token-1")
    return people
