"""A credential never yields a broader or longer-lived one (issue 8, item 2).

Before: `GET /api/v3/qr-login.png?debug=1` with a team API key, then `POST /api/v3/qr-auth`, gave a user token for
the key's maker that saw all of the maker's teams, survived the key's revocation and ignored its IP allow-list.
Audited with it: every endpoint that issues tokens, sessions or keys, or changes what one logs in with.
"""

from urllib.parse import unquote

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import AuthToken, Membership, OneTimeCode
from accounts.services.credentials import api_key_create, api_key_revoke, auth_token_issue, auth_token_revoke
from tests.factories import DeviceFactory, MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

QR = "/api/v3/qr-login.png"


def _client(**credentials) -> APIClient:
    c = APIClient()
    c.credentials(**credentials)
    return c


def _scan(temp_token: str, device_id: str = "new-phone"):
    return APIClient().post("/api/v3/qr-auth", {"temp_token": temp_token, "device_id": device_id}, format="json")


def _show_qr(client) -> str:
    response = client.get(f"{QR}?debug=1")
    assert response.status_code == 200, response.content
    return unquote(response.json()["result"]["url"].rsplit("/", 1)[1])


# --- QR login: only the user's own token shows a code ------------------------------------------------------------


@pytest.fixture
def key_of_owner_in_two_teams(team, owner):
    """A key of `team` whose maker also owns a second team the key must never reach."""
    MembershipFactory(team=TeamFactory(name="Second"), user=owner, status=Membership.Status.OWNER, is_manager=True)
    return api_key_create(team=team, created_by=owner, name="ci", allowed_ips=["127.0.0.1"])[1]


@pytest.mark.parametrize("header", ["HTTP_AUTHORIZATION", "HTTP_TOKEN"])
@pytest.mark.parametrize("query", ["?debug=1", "", "?value=made-up"])
def test_a_team_api_key_cannot_show_a_qr_login_code(key_of_owner_in_two_teams, header, query):
    secret = key_of_owner_in_two_teams
    client = _client(**{header: f"Bearer {secret}" if header == "HTTP_AUTHORIZATION" else secret})
    response = client.get(f"{QR}{query}", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["ok"] is False
    assert not OneTimeCode.objects.filter(purpose=OneTimeCode.Purpose.QR_LOGIN).exists()


def test_the_audited_escalation_yields_no_user_token(key_of_owner_in_two_teams):
    # the audit's steps: the key shows a QR code, a new device scans it
    shown = _client(HTTP_AUTHORIZATION=f"Bearer {key_of_owner_in_two_teams}").get(
        f"{QR}?debug=1", REMOTE_ADDR="127.0.0.1"
    )
    assert shown.status_code == 403
    assert "result" not in shown.json()
    assert not AuthToken.objects.exists()


def test_a_browser_session_cannot_show_a_qr_login_code(owner):
    browser = APIClient()
    browser.force_login(owner)
    assert browser.get("/api/v3/me").status_code == 200  # the session is a valid login
    response = browser.get(f"{QR}?debug=1")
    assert response.status_code == 403
    assert response.json()["ok"] is False


# --- a token issued from another token never outlives it ---------------------------------------------------------


@pytest.fixture
def phone(owner):
    """The owner's phone: a device logged in with a token of its own."""
    device = DeviceFactory(user=owner, device_id="phone")
    return _client(HTTP_TOKEN=auth_token_issue(user=owner, device=device)[1])


def test_a_qr_login_token_dies_with_the_token_that_showed_the_code(phone, owner):
    tablet_token = _scan(_show_qr(phone), "tablet").json()["result"]["token"]
    tablet = _client(HTTP_TOKEN=tablet_token)
    laptop_token = _scan(_show_qr(tablet), "laptop").json()["result"]["token"]  # a second generation
    laptop = _client(HTTP_TOKEN=laptop_token)
    assert tablet.get("/api/v3/me").status_code == 200
    assert laptop.get("/api/v3/me").status_code == 200
    # when the phone logs out (its device is removed, its token revoked)
    assert phone.delete("/api/v3/devices/phone").status_code == 200
    # then every device it logged in is logged out too
    assert tablet.get("/api/v3/me").status_code == 401
    assert laptop.get("/api/v3/me").status_code == 401


def test_revoking_a_token_in_the_console_revokes_the_tokens_issued_from_it(owner):
    parent, secret = auth_token_issue(user=owner)
    child_secret = _scan(_show_qr(_client(HTTP_TOKEN=secret))).json()["result"]["token"]
    auth_token_revoke(token=parent)
    assert _client(HTTP_TOKEN=child_secret).get("/api/v3/me").status_code == 401


def test_a_code_shown_by_a_token_revoked_before_the_scan_logs_nobody_in(owner):
    parent, secret = auth_token_issue(user=owner)
    temp_token = _show_qr(_client(HTTP_TOKEN=secret))
    auth_token_revoke(token=parent)
    response = _scan(temp_token)
    assert response.status_code == 400
    assert "temp_token" in response.json()["details"]
    assert AuthToken.objects.filter(user=owner).count() == 1


def test_a_qr_login_token_sees_no_more_than_the_token_that_showed_it(phone, owner, team):
    token = _scan(_show_qr(phone)).json()["result"]["token"]
    teams = _client(HTTP_TOKEN=token).get("/api/v3/teams").json()["result"]
    assert [t["uid"] for t in teams] == [t["uid"] for t in phone.get("/api/v3/teams").json()["result"]]


# --- tommy PUT /me: a key cannot change what its maker logs in with ------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"password": "a-brand-new-passphrase-42"},
        {"email": "attacker@example.com"},
        {"mobile": "+12025550199"},
    ],
)
def test_a_team_api_key_cannot_change_its_makers_login(tommy_client, owner, change):
    before = (owner.password, owner.email, owner.phone, owner.username)
    response = tommy_client.put("/api/v1/me", change, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "FORBIDDEN"
    owner.refresh_from_db()
    assert (owner.password, owner.email, owner.phone, owner.username) == before


def test_a_team_api_key_may_echo_the_makers_logins_and_change_the_rest(tommy_client, owner):
    body = {"email": owner.email.upper(), "mobile": owner.phone, "first_name": "Olya"}
    response = tommy_client.put("/api/v1/me", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["first_name"] == "Olya"


def test_the_user_with_their_own_token_changes_their_email(owner, owner_token):
    response = _client(HTTP_TOKEN=owner_token).put("/api/v1/me", {"email": "olga@example.org"}, format="json")
    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.email == "olga@example.org"


def test_a_revoked_key_stays_revoked_whatever_it_did_before(tommy_client, owner, team):
    key = owner.api_keys.get()
    api_key_revoke(api_key=key)
    assert tommy_client.get("/api/v1/me").status_code == 401


# --- the console: a team manager cannot take over a member's login -------------------------------------------------


@pytest.fixture
def manager_browser(team):
    from django.contrib.auth.models import Permission

    manager = UserFactory(email="manager@crewdesk.test", is_staff=True)
    MembershipFactory(team=team, user=manager, status=Membership.Status.ADMIN)
    manager.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    browser = Client()
    browser.force_login(manager)
    browser.manager = manager
    return browser


def test_a_team_manager_cannot_set_a_members_password(manager_browser, teammate):
    url = f"/admin/accounts/user/{teammate.pk}/password/"
    assert manager_browser.get(url).status_code == 403
    response = manager_browser.post(url, {"password1": "x-new-pass-9911", "password2": "x-new-pass-9911"})
    assert response.status_code == 403
    teammate.refresh_from_db()
    assert teammate.check_password("correct-horse-battery-staple")


def test_a_team_manager_cannot_change_a_members_email_or_mobile(manager_browser, teammate):
    page = manager_browser.get(f"/admin/accounts/user/{teammate.pk}/change/").content.decode()
    assert 'name="email"' not in page
    assert 'name="phone"' not in page
    assert 'name="username"' not in page


def test_a_team_manager_sets_their_own_password(manager_browser):
    url = f"/admin/accounts/user/{manager_browser.manager.pk}/password/"
    assert manager_browser.get(url).status_code == 200


def test_a_superuser_still_sets_anyones_password(teammate, db):
    from accounts.models import User

    root = User.objects.create_superuser(email="root@crewdesk.test", password="admin-pass-123", slug="root")
    browser = Client()
    browser.force_login(root)
    assert browser.get(f"/admin/accounts/user/{teammate.pk}/password/").status_code == 200
