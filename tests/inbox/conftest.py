import pytest
from rest_framework.test import APIClient

from accounts.services.credentials import auth_token_issue
from tests.inbox.factories import ConversationFactory, make_channel


@pytest.fixture
def token_client(owner_token):
    """`Authorization: Bearer <user token>`: inbox reads either credential kind (DESIGN.md §1)."""
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {owner_token}")
    return c


@pytest.fixture
def member_client(teammate):
    """A plain member of the company (an agent, not a manager)."""
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {auth_token_issue(user=teammate)[1]}")
    return c


@pytest.fixture
def channel(team):
    return make_channel(team, name="Sandbox")


@pytest.fixture
def other_channel(other_team):
    return make_channel(other_team, name="Rival sandbox")


@pytest.fixture
def conversation(channel):
    return ConversationFactory(contact__channel=channel)


def url(path: str) -> str:
    return "/inbox/v3/" + path.lstrip("/")
