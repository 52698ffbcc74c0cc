"""Calls for the developers / addons / actions samples of tests/contract/samples/tommy.json (merged into CALLS of
test_tommy_contract.py). Each call installs what its answer needs first (an addon with its settings, an action with
tags, a run), so that documented arrays are not empty.

The permissions and settings lists answer arrays of the documented object (the document's "all" examples show a
single object; spec tommy-2 suggests arrays): their first element is compared with the sample (`FirstOf`).

Legitimately null here (listed as unset): the `user_id` of Crewdesk's own developer, addons, actions and solutions
(the built-in catalogue belongs to no user account), and an install's `deleted_at` until it is deleted.
"""

from automations.catalogue import catalogue_load_current
from automations.models import Developer
from tests.automations.automation_support import action, install_action, install_addon, membership

API = "/api/v1"
USERS = ("$.user_id", "$[0].user_id")
NESTED = tuple(f"{root}.{kind}[0].user_id" for root in ("$", "$[0]") for kind in ("addons", "actions", "solutions"))
INSTALL_UNSET = ("$.deleted_at", "$[0].deleted_at")


class FirstOf:
    """A list answer seen through its first element, for samples that document one object of the list."""

    def __init__(self, response):
        self.response, self.status_code, self.content = response, response.status_code, response.content

    def json(self):
        rows = self.response.json()
        assert isinstance(rows, list), rows
        assert rows, "expected a non-empty list"
        return rows[0]


def _ready(ctx):
    catalogue_load_current()
    team = membership_team(ctx)
    return team, ctx["owner"]


def membership_team(ctx):
    return ctx["owner"].memberships.select_related("team").first().team


def _texting(ctx):
    team, owner = _ready(ctx)
    install = install_action(
        team, owner, "text-members", settings={"member_id": owner.pk, "message": "Hi"}, tag_ids=[7], tags_list=["ops"]
    )
    return install


def _get(ctx, path, unset=USERS):
    return ctx["tommy_client"].get(f"{API}/{path}"), unset


def call_developers(ctx):
    _ready(ctx)
    return _get(ctx, "developers", USERS + NESTED)


def call_developer(ctx):
    _ready(ctx)
    return _get(ctx, f"developers/{Developer.objects.get().pk}", USERS + NESTED)


def call_developer_addons(ctx):
    _ready(ctx)
    return _get(ctx, f"developers/{Developer.objects.get().pk}/addons")


def call_developer_actions(ctx):
    _ready(ctx)
    return _get(ctx, f"developers/{Developer.objects.get().pk}/actions")


def _addons(path, *, first: bool = False):
    def call(ctx):
        team, owner = _ready(ctx)
        install_addon(team, owner, "crewdesk-messaging")
        response, unset = _get(ctx, path)
        return (FirstOf(response) if first else response), unset

    return call


def call_addon_install_post(ctx):
    _ready(ctx)
    return ctx["tommy_client"].post(f"{API}/addons/crewdesk-messaging/install", {"package": "x"}, format="json"), USERS


def call_addon_install_put(ctx):
    team, owner = _ready(ctx)
    install_addon(team, owner, "crewdesk-messaging")
    return ctx["tommy_client"].put(f"{API}/addons/crewdesk-messaging/install"), USERS


def call_addon_install_delete(ctx):
    team, owner = _ready(ctx)
    install_addon(team, owner, "crewdesk-messaging")
    return ctx["tommy_client"].delete(f"{API}/addons/crewdesk-messaging/install"), USERS


def call_permission_put(ctx):
    team, owner = _ready(ctx)
    install_addon(team, owner, "crewdesk-messaging")
    body = {"operations": ["send"]}
    return ctx["tommy_client"].put(f"{API}/addons/crewdesk-messaging/install/permissions/sms", body, format="json")


def _with_setting(ctx):
    team, owner = _ready(ctx)
    install_addon(team, owner, "crewdesk-messaging")
    body = {
        "data": {"signature": "— Acme"},
        "context": "sms",
        "format": "text",
        "resource_type": "Team",
        "resource_id": team.pk,
    }
    return ctx["tommy_client"].put(f"{API}/addons/crewdesk-messaging/install/settings/sms", body, format="json")


def call_settings(ctx):
    _with_setting(ctx)
    return FirstOf(ctx["tommy_client"].get(f"{API}/addons/crewdesk-messaging/install/settings"))


def call_setting(ctx):
    _with_setting(ctx)
    return ctx["tommy_client"].get(f"{API}/addons/crewdesk-messaging/install/settings/sms")


def _actions(path, *, run: bool = False):
    def call(ctx):
        install = _texting(ctx)
        if run:
            with ctx["captured"](execute=True):
                ctx["tommy_client"].post(f"{API}/actions/installs/{install.pk}/run", {}, format="json")
        return _get(ctx, path.format(action=install.action_id))

    return call


def call_install_action(ctx):
    team, owner = _ready(ctx)
    install_addon(team, owner, "crewdesk-messaging")
    body = {"id": action("text-members").pk, "tag_ids": [1], "tags_list": ["ops"]}
    return ctx["tommy_client"].post(f"{API}/actions/installs", body, format="json"), USERS


def call_installs(ctx):
    _texting(ctx)
    return ctx["tommy_client"].get(f"{API}/actions/installs"), INSTALL_UNSET


def call_install(ctx):
    return ctx["tommy_client"].get(f"{API}/actions/installs/{_texting(ctx).pk}"), INSTALL_UNSET


def call_install_put(ctx):
    install = _texting(ctx)
    body = {"title": "Morning text", "schedule": {"cron": "0 7 * * 1-5", "timezone": "Europe/Moscow"}}
    return ctx["tommy_client"].put(f"{API}/actions/installs/{install.pk}", body, format="json"), INSTALL_UNSET


def call_install_delete(ctx):
    return ctx["tommy_client"].delete(f"{API}/actions/installs/{_texting(ctx).pk}")


def call_run(ctx):
    install = _texting(ctx)
    with ctx["captured"](execute=True):
        response = ctx["tommy_client"].generic(
            "GET", f"{API}/actions/installs/{install.pk}/run", '{"trigger_data": {}}', content_type="application/json"
        )
    return response, USERS


def call_run_later(ctx):
    install = _texting(ctx)
    ctx["tommy_client"].put(
        f"{API}/actions/installs/{install.pk}",
        {"schedule": {"interval": {"every": 1, "period": "hours"}}},
        format="json",
    )
    return ctx["tommy_client"].get(f"{API}/actions/installs/{install.pk}/run_later"), USERS


def call_history(ctx):
    install = _texting(ctx)
    with ctx["captured"](execute=True):
        ctx["tommy_client"].post(f"{API}/actions/installs/{install.pk}/run", {}, format="json")
    ctx["tommy_client"].put(f"{API}/actions/installs/{install.pk}", {"title": "Renamed"}, format="json")
    return ctx["tommy_client"].get(f"{API}/actions/installs/{install.pk}/history")


ADDONS_ACTIONS_CALLS = {
    ("GET", "/developers"): (call_developers, 200),
    ("GET", "/developers/{id}"): (call_developer, 200),
    ("GET", "/developers/{id}/addons"): (call_developer_addons, 200),
    ("GET", "/developers/{id}/actions"): (call_developer_actions, 200),
    ("GET", "/addons"): (_addons("addons"), 200),
    ("GET", "/addons/recommended"): (_addons("addons/recommended"), 200),
    ("GET", "/addons/popular"): (_addons("addons/popular"), 200),
    ("GET", "/addons/installed"): (_addons("addons/installed"), 200),
    ("GET", "/addons/search"): (_addons("addons/search?term=messaging"), 200),
    ("GET", "/addons/{package}"): (_addons("addons/crewdesk-messaging"), 200),
    ("GET", "/addons/{package}/actions"): (_addons("addons/crewdesk-messaging/actions"), 200),
    ("GET", "/addons/{addon_package}/install"): (_addons("addons/crewdesk-messaging/install"), 200),
    ("POST", "/addons/{addon_package}/install"): (call_addon_install_post, 201),
    ("PUT", "/addons/{addon_package}/install"): (call_addon_install_put, 200),
    ("DELETE", "/addons/{addon_package}/install"): (call_addon_install_delete, 200),
    ("GET", "/addons/{addon_package}/install/permissions"): (
        _addons("addons/crewdesk-messaging/install/permissions", first=True),
        200,
    ),
    ("GET", "/addons/{addon_package}/install/permissions/{name}"): (
        _addons("addons/crewdesk-messaging/install/permissions/sms"),
        200,
    ),
    ("PUT", "/addons/{addon_package}/install/permissions/{name}"): (call_permission_put, 200),
    ("GET", "/addons/{addon_package}/install/settings"): (call_settings, 200),
    ("GET", "/addons/{addon_package}/install/settings/{name}"): (call_setting, 200),
    ("PUT", "/addons/{addon_package}/install/settings/{name}"): (_with_setting, 200),
    ("GET", "/actions"): (_actions("actions"), 200),
    ("GET", "/actions/popular"): (_actions("actions/popular"), 200),
    ("GET", "/actions/installed"): (_actions("actions/installed"), 200),
    ("GET", "/actions/recent"): (_actions("actions/recent", run=True), 200),
    ("GET", "/actions/search"): (_actions("actions/search?term=text"), 200),
    ("GET", "/actions/{id}"): (_actions("actions/{action}"), 200),
    ("GET", "/actions/installs"): (call_installs, 200),
    ("POST", "/actions/installs"): (call_install_action, 201),
    ("GET", "/actions/installs/{id}"): (call_install, 200),
    ("PUT", "/actions/installs/{id}"): (call_install_put, 200),
    ("DELETE", "/actions/installs/{id}"): (call_install_delete, 200),
    ("GET", "/actions/installs/{id}/run"): (call_run, 200),
    ("GET", "/actions/installs/{id}/run_later"): (call_run_later, 200),
    ("GET", "/actions/installs/{id}/history"): (call_history, 200),
}
__all__ = ["ADDONS_ACTIONS_CALLS", "membership"]
