"""Shared fixtures: personas (owner, teammate, outsider in another team), their credentials, API clients."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Membership
from accounts.services.credentials import api_key_create, auth_token_issue
from messaging import push, sms
from tests.factories import DeviceFactory, MembershipFactory, MessageTemplateFactory, TeamFactory, UserFactory


@pytest.fixture(autouse=True)
def _isolation(settings, tmp_path):
    """Every test starts with an empty SMS outbox, its own media folder and SMS journals, and an empty cache."""
    from django.core.cache import cache

    from accounts.services import credential_cache
    from core.cache import settle
    from messaging.services.fanout import plan_of

    plan_of.cache_clear()  # multicast ids are reused once a test's transaction rolls back
    # The per-process credential cache is on in every test, as in production with Redis (one process here, so the
    # local-memory cache carries the epochs too): a write that forgets to bump an epoch fails the tests that see it.
    settings.CREDENTIAL_CACHE_SECONDS = 60
    credential_cache.clear()
    sms.outbox.clear()
    push.outbox.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SMS_CONSOLE_JOURNAL = str(tmp_path / "sms-console-journal.jsonl")
    cache.clear()
    settle(cache)  # with Redis: the flush has reached this process's tracked copies (core.cache.TrackedKeys)
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _no_callbacks_to_the_internet(monkeypatch):
    """Webhook deliveries run eagerly in tests: their host names resolve only to this machine (a callback URL on
    example.com must not reach the real one). Receivers in tests listen on 127.0.0.1."""
    import socket

    from messaging.webhooks import addresses

    real = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        if host not in ("localhost", "127.0.0.1", "::1"):
            raise socket.gaierror(socket.EAI_NONAME, f"tests resolve no outside names ({host})")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(addresses.socket, "getaddrinfo", local_only)


@pytest.fixture
def webhook_receiver():
    """A local HTTP server recording the webhooks it receives (tests/receiver.py)."""
    from tests.receiver import Receiver

    receiver = Receiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def team(db):
    return TeamFactory(name="Acme Crew")


@pytest.fixture
def owner(team):
    user = UserFactory(first_name="Olga", last_name="Owner")
    MembershipFactory(team=team, user=user, status=Membership.Status.OWNER, is_manager=True)
    return user


@pytest.fixture
def teammate(team):
    user = UserFactory(first_name="Tim", last_name="Mate")
    MembershipFactory(team=team, user=user, status=Membership.Status.MEMBER)
    return user


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Rival Crew")


@pytest.fixture
def outsider(other_team):
    user = UserFactory(first_name="Otto", last_name="Outsider")
    MembershipFactory(team=other_team, user=user, status=Membership.Status.OWNER, is_manager=True)
    return user


@pytest.fixture
def api_key(team, owner):
    """Plaintext API key of `team`, made by its owner."""
    return api_key_create(team=team, created_by=owner, name="tests")[1]


@pytest.fixture
def outsider_api_key(other_team, outsider):
    return api_key_create(team=other_team, created_by=outsider, name="outsider")[1]


@pytest.fixture
def owner_token(owner):
    return auth_token_issue(user=owner)[1]


@pytest.fixture
def outsider_token(outsider):
    return auth_token_issue(user=outsider)[1]


@pytest.fixture
def client():
    """An unauthenticated API client (overrides pytest-django's plain Django client)."""
    return APIClient()


@pytest.fixture
def bearer_client(api_key):
    """`Authorization: Bearer <team API key>` (courier, inbox)."""
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key}")
    return c


@pytest.fixture
def outsider_bearer_client(outsider_api_key):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {outsider_api_key}")
    return c


@pytest.fixture
def tommy_client(api_key):
    """Tommy's `api_key` header with the team's key."""
    c = APIClient()
    c.credentials(HTTP_API_KEY=api_key)
    return c


@pytest.fixture
def tada_client(owner_token):
    """Tada's `token` header with the owner's token."""
    c = APIClient()
    c.credentials(HTTP_TOKEN=owner_token)
    return c


# --- multicasts (issue 13) ---------------------------------------------------------------------------------------


@pytest.fixture
def template(team):
    """The team's `shift-reminder` template, with SMS, push and email parts taking `first_name` and `start`."""
    return MessageTemplateFactory(team=team, template_id="shift-reminder")


@pytest.fixture
def crew(team, owner):
    """Three members (memberships) with verified phones and emails; the first also has an FCM device."""
    from django.utils import timezone

    people = []
    for n in range(3):
        user = UserFactory(
            first_name=f"Crew{n}", last_name="Member", phone=f"+1202555{n:04d}", email_verified_at=timezone.now()
        )
        people.append(MembershipFactory(team=team, user=user, status=Membership.Status.MEMBER))
    DeviceFactory(user=people[0].user, device_id="fcm-1", push_service="fcm", notification_token="fcm-token-1")
    return people


@pytest.fixture
def owner_member(team, owner):
    return Membership.objects.get(team=team, user=owner)
