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


def assert_error(response, status: int, code: int) -> dict:
    """The inbox envelope: {"error": {"code", "message"}, "traceId"}."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error", "traceId"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


@pytest.fixture
def meta(settings):
    """Meta's Graph API played by a local server (tests/inbox/fake_meta.py)."""
    from tests.inbox.fake_meta import FakeMeta

    server = FakeMeta().start()
    settings.WHATSAPP_GRAPH_URL = server.url
    yield server
    server.stop()


@pytest.fixture
def whatsapp(team):
    from tests.inbox.fake_meta import APP_SECRET, TOKEN

    return make_channel(
        team,
        kind="whatsapp",
        name="WhatsApp",
        phone="+15550001234",
        wa_phone_number_id="PN-1",
        wa_business_account_id="WABA-1",
        wa_access_token=TOKEN,
        wa_app_secret=APP_SECRET,
        wa_verify_token="verify-me",
    )
