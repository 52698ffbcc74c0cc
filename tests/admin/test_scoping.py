"""Staff who are not superusers see, open and pick only their own teams' rows, on every accounts admin page."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.admin.conftest import team_rows

pytestmark = pytest.mark.django_db

ACCOUNTS_MODELS = [
    "accounts.user",
    "accounts.team",
    "accounts.membership",
    "accounts.device",
    "accounts.apikey",
    "accounts.authtoken",
    "accounts.onetimecode",
    "accounts.contact",
    "accounts.invitation",
    "accounts.setting",
    "accounts.integration",
    "accounts.serverevent",
]


def _url(model: str, view: str, *args) -> str:
    app, name = model.split(".")
    return reverse(f"admin:{app}_{name}_{view}", args=args)


@pytest.fixture
def rows(team, owner, other_team, outsider):
    """`acme`: rows of the team the rival manager does not run; `rival`: rows of the team they run."""
    return {"acme": team_rows(team, owner), "rival": team_rows(other_team, outsider)}


def test_every_accounts_admin_is_covered():
    registered = {model._meta.label_lower for model in admin.site._registry if model._meta.app_label == "accounts"}
    assert registered == set(ACCOUNTS_MODELS)


@pytest.mark.parametrize("model", ACCOUNTS_MODELS)
def test_changelist_shows_only_the_managers_teams_rows(rival_browser, rows, model):
    response = rival_browser.get(_url(model, "changelist"))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert {obj.pk for obj in rows["rival"][model]} <= shown  # the page works for their own rows
    assert not shown & {obj.pk for obj in rows["acme"][model]}
    assert response.context["cl"].full_result_count == response.context["cl"].result_count


@pytest.mark.parametrize("model", ACCOUNTS_MODELS)
def test_change_page_of_another_teams_row_is_not_there(rival_browser, rows, model):
    for own in rows["rival"][model]:
        assert rival_browser.get(_url(model, "change", own.pk)).status_code == 200
    for foreign in rows["acme"][model]:
        response = rival_browser.get(_url(model, "change", foreign.pk))
        assert response.status_code == 302, f"{model} {foreign.pk} was opened"
        assert response["Location"] == reverse("admin:index")  # Django's "does not exist" answer
        # posting to it is refused too (read-only journals refuse any change first)
        assert rival_browser.post(_url(model, "change", foreign.pk), {}).status_code in (302, 403)


@pytest.mark.parametrize("model", ACCOUNTS_MODELS)
def test_superuser_sees_every_teams_rows(admin_browser, rows, model):
    response = admin_browser.get(_url(model, "changelist"))
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert {obj.pk for obj in rows["rival"][model] + rows["acme"][model]} <= shown
    for obj in rows["acme"][model]:
        assert admin_browser.get(_url(model, "change", obj.pk)).status_code == 200


def test_a_member_in_two_teams_shows_only_the_managed_teams_membership(rival_browser, rows, owner, other_team):
    from tests.factories import MembershipFactory

    MembershipFactory(team=other_team, user=owner)
    html = rival_browser.get(_url("accounts.user", "change", owner.pk)).content.decode()
    assert "Rival Crew" in html
    assert "Acme Crew" not in html


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("accounts.integration", "team"),
        ("accounts.setting", "team"),
        ("accounts.invitation", "team"),
        ("accounts.membership", "team"),
    ],
)
def test_add_forms_offer_only_the_managers_teams(rival_browser, rows, team, other_team, model, field):
    form = rival_browser.get(_url(model, "add")).context["adminform"].form
    assert set(form.fields[field].queryset) == {other_team}


def test_a_user_setting_can_only_be_made_for_a_member_of_a_managed_team(rival_browser, rows, owner, outsider):
    from accounts.models import Setting

    url = _url("accounts.setting", "add")
    data = {"name": "sneaky", "context": "", "format": "", "data": "1", "resource_type": ""}
    response = rival_browser.post(url, {**data, "user": owner.pk})
    assert response.status_code == 200  # the form again, with its error
    assert not Setting.objects.filter(name="sneaky").exists()
    assert rival_browser.post(url, {**data, "user": outsider.pk}).status_code == 302
    assert Setting.objects.get(name="sneaky").user == outsider


def test_server_events_are_a_read_only_journal_with_recipients(admin_browser, teammate, rows):
    event = rows["acme"]["accounts.serverevent"][0]
    assert admin_browser.get(_url("accounts.serverevent", "add")).status_code == 403
    html = admin_browser.get(_url("accounts.serverevent", "change", event.pk)).content.decode()
    assert "server.team.updated" in html
    assert str(teammate) in html  # a recipient, listed inline
    response = admin_browser.post(_url("accounts.serverevent", "change", event.pk), {"name": "server.x"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.name == "server.team.updated"


@pytest.mark.parametrize("model", ACCOUNTS_MODELS)
@pytest.mark.parametrize("who", ["admin_browser", "rival_browser"])
def test_add_page_loads_or_is_refused(request, rows, model, who):
    browser = request.getfixturevalue(who)
    assert browser.get(_url(model, "add")).status_code in (200, 403)
