"""The managers' console: every page loads, API keys are shown once and stored hashed, secrets never leak."""

import re

import pytest
from django.urls import reverse

from accounts.models import ApiKey, AuthToken, Team, User, hash_secret
from messaging.models import Text, TextAccount
from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db

MODELS = [
    "accounts.user",
    "accounts.team",
    "accounts.membership",
    "accounts.device",
    "accounts.apikey",
    "accounts.authtoken",
    "accounts.onetimecode",
    "messaging.text",
    "messaging.textaccount",
    "messaging.textnumber",
]


def _url(model: str, view: str, *args) -> str:
    app, name = model.split(".")
    return reverse(f"admin:{app}_{name}_{view}", args=args)


def _secrets(data) -> list[str]:
    """Every stored hash and every plaintext secret of the console data."""
    values = [data["key"].key_hash, data["key_plaintext"], data["token"].key_hash, data["token_plaintext"]]
    values += [data["code"].code_hash, data["qr"].code_hash]
    for user in User.objects.all():
        values.append(user.password)
        values.append(user.password.rsplit("$", 1)[-1])  # the bare hash part
    return values


def _objects(data) -> dict[str, object]:
    return {
        "accounts.user": data["membership"].user,
        "accounts.team": data["membership"].team,
        "accounts.membership": data["membership"],
        "accounts.device": data["device"],
        "accounts.apikey": data["key"],
        "accounts.authtoken": data["token"],
        "accounts.onetimecode": data["code"],
        "messaging.text": data["text"],
        "messaging.textaccount": data["account"],
        "messaging.textnumber": data["number"],
    }


@pytest.mark.parametrize("model", MODELS)
def test_changelist_loads_and_shows_no_secret(admin_browser, console_data, model):
    response = admin_browser.get(_url(model, "changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    for secret in _secrets(console_data):
        assert secret not in html


@pytest.mark.parametrize("model", MODELS)
def test_change_page_loads_and_shows_no_secret(admin_browser, console_data, model):
    obj = _objects(console_data)[model]
    response = admin_browser.get(_url(model, "change", obj.pk))
    assert response.status_code == 200
    html = response.content.decode()
    for secret in _secrets(console_data):
        assert secret not in html
    assert "key_hash" not in html
    assert "code_hash" not in html


def test_search_and_filters_work(admin_browser, console_data):
    assert admin_browser.get(_url("accounts.user", "changelist"), {"q": "Olga"}).status_code == 200
    response = admin_browser.get(_url("messaging.text", "changelist"), {"status": "sent", "purpose": "otp"})
    assert response.status_code == 200
    assert console_data["text"].to in response.content.decode()


@pytest.mark.parametrize("model", ["accounts.apikey", "accounts.membership", "messaging.text", "messaging.textnumber"])
def test_changelist_query_count_is_constant(admin_browser, console_data, model, django_assert_max_num_queries):
    from accounts.services.credentials import api_key_create
    from messaging.services import text_queue
    from tests.factories import MembershipFactory, TextNumberFactory, UserFactory

    url = _url(model, "changelist")
    admin_browser.get(url)  # warm the session / content types
    with django_assert_max_num_queries(12) as small:
        admin_browser.get(url)
    for _ in range(15):
        team = TeamFactory()
        user = UserFactory()
        MembershipFactory(team=team, user=user, is_manager=True)
        api_key_create(team=team, created_by=user)
        number = TextNumberFactory(account=TextAccount.objects.create(team=team))
        text_queue(to="+79160000999", body="hello", team_id=team.pk, account=number.account)
    with django_assert_max_num_queries(len(small.captured_queries)):
        admin_browser.get(url)


def test_otp_text_body_is_masked_while_waiting_to_be_sent(admin_browser):
    # given a login-code text still waiting for a worker (once sent, messaging redacts the body itself)
    text = Text.objects.create(to="+79160000042", body="Your Crewdesk login code: 8642", purpose=Text.Purpose.OTP)
    # when a manager opens it
    html = admin_browser.get(_url("messaging.text", "change", text.pk)).content.decode()
    # then the digits are hidden
    assert "Your Crewdesk login code: ••••" in html
    # nowhere on the page as a number of its own (a random UUID on the page may contain the same four digits)
    assert not re.search(r"(?<![0-9a-f-])8642(?![0-9a-f-])", html)


def test_sent_otp_text_keeps_no_code(admin_browser, console_data):
    text = console_data["text"]
    text.refresh_from_db()
    html = admin_browser.get(_url("messaging.text", "change", text.pk)).content.decode()
    assert re.search(r"login code: \d{4}", html) is None


def test_texts_are_read_only(admin_browser, console_data):
    assert admin_browser.get(_url("messaging.text", "add")).status_code == 403
    response = admin_browser.post(_url("messaging.text", "change", console_data["text"].pk), {"to": "+1"})
    assert response.status_code == 403
    assert Text.objects.get(pk=console_data["text"].pk).to == console_data["text"].to


def test_one_time_codes_cannot_be_added_or_changed(admin_browser, console_data):
    assert admin_browser.get(_url("accounts.onetimecode", "add")).status_code == 403
    response = admin_browser.post(_url("accounts.onetimecode", "change", console_data["code"].pk), {"attempts": 0})
    assert response.status_code == 403


# --- API keys ---------------------------------------------------------------------------------------------------------


def test_creating_an_api_key_shows_the_plaintext_once_and_stores_only_the_hash(admin_browser, superuser, team):
    MembershipFactory(team=team, user=superuser, is_manager=True)  # a key acts as its maker: a manager of the team
    response = admin_browser.post(
        _url("accounts.apikey", "add"),
        {"team": team.pk, "name": "Zapier", "scopes": "CHANNEL, CONTACT", "allowed_ips": "95.95.95.95"},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    match = re.search(r"<code>(cdk_[\w-]+)</code>", html)
    assert match, "the plaintext key is shown in the success message"
    plaintext = match.group(1)

    key = ApiKey.objects.get(name="Zapier")
    assert key.key_hash == hash_secret(plaintext)
    assert plaintext not in [str(getattr(key, f.attname)) for f in ApiKey._meta.concrete_fields]
    assert key.team == team
    assert key.created_by == superuser
    assert key.scopes == ["CHANNEL", "CONTACT"]
    assert key.allowed_ips == ["95.95.95.95"]
    assert key.display_prefix == plaintext[:10]

    again = admin_browser.get(_url("accounts.apikey", "change", key.pk)).content.decode()
    assert plaintext not in again
    assert key.key_hash not in again
    assert plaintext not in admin_browser.get(_url("accounts.apikey", "changelist")).content.decode()


def test_created_api_key_authenticates(admin_browser, superuser, team):
    from rest_framework.test import APIClient

    MembershipFactory(team=team, user=superuser, is_manager=True)
    html = admin_browser.post(
        _url("accounts.apikey", "add"), {"team": team.pk, "name": "n", "scopes": "", "allowed_ips": ""}, follow=True
    ).content.decode()
    plaintext = re.search(r"<code>(cdk_[\w-]+)</code>", html).group(1)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert api.get("/inbox/v3/companies/current").json()["id"] == str(team.uid)


def test_a_superuser_may_make_keys_only_for_the_teams_they_manage(admin_browser, team):
    # A key acts as its maker: one made by a superuser outside the team would authenticate nowhere (issue 9).
    response = admin_browser.post(_url("accounts.apikey", "add"), {"team": team.pk, "name": "n"})
    assert response.status_code == 200  # the form again, with its error
    assert "Select a valid choice" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_api_key_form_rejects_a_bad_ip(admin_browser, superuser, team):
    MembershipFactory(team=team, user=superuser, is_manager=True)
    response = admin_browser.post(
        _url("accounts.apikey", "add"), {"team": team.pk, "name": "x", "scopes": "", "allowed_ips": "not-an-ip"}
    )
    assert response.status_code == 200  # the form again, with its error
    assert "Enter a valid IPv4 or IPv6 address" in response.content.decode()
    assert not ApiKey.objects.filter(name="x").exists()


def test_revoke_action_revokes_only_the_selected_keys(admin_browser, console_data, team, owner):
    from accounts.services.credentials import api_key_create

    keep, _ = api_key_create(team=team, created_by=owner, name="keep")
    target = console_data["key"]
    response = admin_browser.post(
        _url("accounts.apikey", "changelist"),
        {"action": "revoke_keys", "_selected_action": [target.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 key revoked." in response.content.decode()
    target.refresh_from_db()
    keep.refresh_from_db()
    assert target.revoked_at is not None
    assert keep.revoked_at is None


def test_auth_token_revoke_action(admin_browser, console_data):
    token = console_data["token"]
    admin_browser.post(
        _url("accounts.authtoken", "changelist"), {"action": "revoke_tokens", "_selected_action": [token.pk]}
    )
    assert AuthToken.objects.get(pk=token.pk).revoked_at is not None


# --- Users and teams --------------------------------------------------------------------------------------------------


def test_adding_a_user_normalises_the_phone_and_sets_a_slug(admin_browser):
    response = admin_browser.post(
        _url("accounts.user", "add"),
        {
            "email": "new@crewdesk.test",
            "phone": "+7 (916) 555-44-33",
            "first_name": "Nina",
            "last_name": "New",
            "usable_password": "false",
            "password1": "",
            "password2": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="new@crewdesk.test")
    assert user.phone == "+79165554433"
    assert user.slug
    assert not user.has_usable_password()


def test_user_change_page_offers_a_password_link_but_no_hash(admin_browser, owner):
    html = admin_browser.get(_url("accounts.user", "change", owner.pk)).content.decode()
    assert owner.password not in html
    assert "set a new password" in html
    assert "algorithm" not in html  # Django's masked hash summary is gone too


# --- Staff who are not superusers -------------------------------------------------------------------------------------


def test_a_team_manager_sees_only_their_teams_rows(manager_browser, console_data, team, other_team, outsider):
    from accounts.services.credentials import api_key_create

    foreign, _ = api_key_create(team=other_team, created_by=outsider, name="foreign key")
    html = manager_browser.get(_url("accounts.apikey", "changelist")).content.decode()
    assert "console key" in html
    assert "foreign key" not in html
    assert manager_browser.get(_url("accounts.apikey", "change", foreign.pk)).status_code == 302  # "does not exist"
    teams = manager_browser.get(_url("accounts.team", "changelist")).content.decode()
    assert team.name in teams
    assert other_team.name not in teams


def test_a_team_manager_cannot_create_a_key_for_another_team(manager_browser, other_team):
    response = manager_browser.post(
        _url("accounts.apikey", "add"), {"team": other_team.pk, "name": "sneaky", "scopes": "", "allowed_ips": ""}
    )
    assert response.status_code == 200
    assert not ApiKey.objects.filter(name="sneaky").exists()
    assert Team.objects.filter(pk=other_team.pk).exists()


def test_a_team_manager_cannot_grant_superuser(manager_browser, teammate):
    html = manager_browser.get(_url("accounts.user", "change", teammate.pk)).content.decode()
    assert 'name="is_superuser"' not in html
