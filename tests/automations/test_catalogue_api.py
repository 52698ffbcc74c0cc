"""Tommy catalogue reads: developers, addons (recommended, popular, installed, search, get, actions), actions
(popular, installed, recent, search, get, variables) — for any authenticated caller, `installed` per current team."""

import pytest

from automations.catalogue import ACTIONS, ADDONS, catalogue_load_current
from automations.models import Action, ActionVersion, Addon, Developer
from tests.automations.automation_support import API, action, install_action, install_addon
from tests.helpers import assert_tommy_error, user_client

pytestmark = pytest.mark.django_db

CATALOGUE_READS = [
    "developers",
    "developers/{developer}",
    "developers/{developer}/addons",
    "developers/{developer}/actions",
    "addons",
    "addons/recommended",
    "addons/popular",
    "addons/installed",
    "addons/search?term=text",
    "addons/crewdesk-messaging",
    "addons/crewdesk-messaging/actions",
    "actions",
    "actions/popular",
    "actions/installed",
    "actions/recent",
    "actions/search?term=text",
    "actions/{action}",
    "actions/{action}/variables",
]


def _path(template: str) -> str:
    return f"{API}/" + template.format(developer=Developer.objects.get().pk, action=action("text-members").pk)


def test_the_catalogue_is_loaded_once_whatever_the_number_of_loads(catalogue):
    catalogue_load_current()
    assert Addon.objects.count() == len(ADDONS)
    assert Action.objects.count() == len(ACTIONS) == ActionVersion.objects.count()
    assert all(a.current_version_id for a in Action.objects.all())


@pytest.mark.parametrize("template", CATALOGUE_READS)
def test_catalogue_reads_need_a_credential(catalogue, client, template):
    assert_tommy_error(client.get(_path(template)), 401)


@pytest.mark.parametrize("template", CATALOGUE_READS)
def test_catalogue_reads_answer_any_member(catalogue, teammate, template):
    response = user_client(teammate).get(_path(template))
    assert response.status_code == 200, response.content


def test_developers_nest_addons_actions_and_solutions(catalogue, tommy_client):
    body = tommy_client.get(f"{API}/developers").json()
    assert [d["name"] for d in body] == ["Crewdesk"]
    crewdesk = body[0]
    assert {a["package"] for a in crewdesk["addons"]} == {a["package"] for a in ADDONS}
    assert len(crewdesk["actions"]) == len(ACTIONS)
    assert crewdesk["solutions"][0]["developer_id"] == crewdesk["id"]
    assert_tommy_error(tommy_client.get(f"{API}/developers/999999"), 404)


def test_installed_flags_follow_the_current_team(catalogue, team, owner, other_team, outsider, tommy_client):
    install_action(team, owner, "text-members")
    mine = {a["package"]: a["installed"] for a in tommy_client.get(f"{API}/addons").json()}
    assert mine == {"crewdesk-messaging": True, "crewdesk-scheduling": False, "crewdesk-webhooks": False}
    theirs = user_client(outsider).get(f"{API}/addons").json()
    assert not any(a["installed"] for a in theirs)
    assert [a["package"] for a in tommy_client.get(f"{API}/addons/installed").json()] == ["crewdesk-messaging"]
    installed_actions = tommy_client.get(f"{API}/actions/installed").json()
    assert [a["name"] for a in installed_actions] == [action("text-members").name]
    assert installed_actions[0]["installed"] is True


def test_recommended_lists_the_flagged_addons(catalogue, tommy_client):
    flagged = {a["package"] for a in ADDONS if a["recommended"]}
    assert {a["package"] for a in tommy_client.get(f"{API}/addons/recommended").json()} == flagged


def test_popular_counts_installs_across_teams(catalogue, team, owner, other_team, outsider, tommy_client):
    install_addon(team, owner, "crewdesk-webhooks")
    install_addon(other_team, outsider, "crewdesk-webhooks")
    install_addon(other_team, outsider, "crewdesk-scheduling")
    order = [a["package"] for a in tommy_client.get(f"{API}/addons/popular").json()]
    assert order == ["crewdesk-webhooks", "crewdesk-scheduling", "crewdesk-messaging"]
    install_action(other_team, outsider, "chat-post")
    install_action(team, owner, "chat-post")
    install_action(team, owner, "webhook-manual")
    assert [a["name"] for a in tommy_client.get(f"{API}/actions/popular").json()][:2] == [
        action("chat-post").name,
        action("webhook-manual").name,
    ]


def test_recent_orders_actions_by_their_last_run(
    catalogue, team, owner, teammate, tommy_client, django_capture_on_commit_callbacks
):
    first = install_action(team, owner, "text-members", settings={"member_id": teammate.pk, "message": "a"})
    second = install_action(team, owner, "webhook-manual", settings={"url": "http://127.0.0.1:9/hook"})
    assert tommy_client.get(f"{API}/actions/recent").json() == []
    with django_capture_on_commit_callbacks(execute=True):
        tommy_client.post(f"{API}/actions/installs/{second.pk}/run", {}, format="json")
        tommy_client.post(f"{API}/actions/installs/{first.pk}/run", {}, format="json")
    names = [a["name"] for a in tommy_client.get(f"{API}/actions/recent").json()]
    assert names == [first.action.name, second.action.name]


def test_search_matches_titles_and_descriptions_and_needs_a_term(catalogue, tommy_client):
    assert [a["package"] for a in tommy_client.get(f"{API}/addons/search?term=WEBHOOK").json()] == ["crewdesk-webhooks"]
    names = {a["name"] for a in tommy_client.get(f"{API}/actions/search?term=payroll").json()}
    assert names == {action("email-approved-timesheets").name}
    for kind in ("addons", "actions"):
        body = assert_tommy_error(tommy_client.get(f"{API}/{kind}/search"), 422)
        assert body["details"] == {"term": ["is required."]}


def test_an_addon_and_its_actions(catalogue, tommy_client):
    addon = tommy_client.get(f"{API}/addons/crewdesk-webhooks").json()
    assert addon["roles"] == ["admin"]
    assert addon["permissions"][0]["operations"] == ["call"]
    keys = {a["name"] for a in tommy_client.get(f"{API}/addons/crewdesk-webhooks/actions").json()}
    assert keys == {a["name"] for a in ACTIONS if a["addon"] == "crewdesk-webhooks"}
    assert_tommy_error(tommy_client.get(f"{API}/addons/no-such-addon"), 404)
    assert_tommy_error(tommy_client.get(f"{API}/addons/no-such-addon/actions"), 404)


def test_an_unpublished_addon_is_not_there(catalogue, tommy_client):
    Addon.objects.filter(package="crewdesk-webhooks").update(published=False)
    assert_tommy_error(tommy_client.get(f"{API}/addons/crewdesk-webhooks"), 404)
    assert "crewdesk-webhooks" not in {a["package"] for a in tommy_client.get(f"{API}/addons").json()}


def test_an_action_and_its_variables(catalogue, tommy_client):
    found = action("unfilled-shift-alert")
    body = tommy_client.get(f"{API}/actions/{found.pk}").json()
    assert body["trigger"]["name"] == "A shift is still unfilled"
    assert body["activity"]["name"] == "Send an SMS"
    assert body["action_version_id"] == body["trigger"]["action_version_id"] == found.current_version_id
    variables = tommy_client.get(f"{API}/actions/{found.pk}/variables").json()
    settings = variables["settings"]["properties"]
    assert settings["hours_before"]["default"] == 24
    assert settings["group"]["default"] == "managers"
    assert variables["trigger_data"]["required"] == ["shift_id"]
    assert set(variables["schedule"]["properties"]) == {"run_at", "cron", "interval", "timezone", "enabled"}
    assert_tommy_error(tommy_client.get(f"{API}/actions/999999"), 404)
    assert_tommy_error(tommy_client.get(f"{API}/actions/999999/variables"), 404)


@pytest.mark.parametrize("per", [1, 20])
@pytest.mark.parametrize(
    "path", ["addons", "actions", "developers", "addons/popular", "actions/popular", "actions/recent"]
)
def test_catalogue_lists_take_constant_queries(catalogue, tommy_client, path, per, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = tommy_client.get(f"{API}/{path}?per={per}")
    assert response.status_code == 200
