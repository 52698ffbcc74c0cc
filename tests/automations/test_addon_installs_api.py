"""Tommy /addons/{package}/install with its permissions and settings, and /addons/{package}/report.

Install: roles gate it (webhooks need an admin); the install's permissions are what its actions may do (withdrawing
one makes their runs fail); settings are checked against the addon's schema; uninstalling deletes (soft) the action
installs it carried."""

import pytest

from accounts.models import Membership
from automations.models import ActionInstall, AddonInstall, AddonPermission, AddonReport, AddonSetting
from messaging import sms
from tests.automations.automation_support import API, install_action, install_addon
from tests.helpers import assert_tommy_error, user_client

pytestmark = pytest.mark.django_db
MESSAGING = f"{API}/addons/crewdesk-messaging/install"


@pytest.fixture
def workforce_manager(team):
    """A member flagged workforce manager (not an admin)."""
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory()
    MembershipFactory(team=team, user=user, status=Membership.Status.MEMBER, is_manager=True)
    return user


def test_install_grants_every_permission_and_answers_the_addon(catalogue, team, tommy_client):
    response = tommy_client.post(MESSAGING, {"package": "ignored"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["package"] == "crewdesk-messaging"
    assert response.json()["installed"] is True
    install = AddonInstall.objects.get(team=team)
    assert {p.name: p.operations for p in install.permissions.all()} == {
        "sms": ["send"],
        "multicasts": ["send"],
        "chats": ["post"],
    }
    again = tommy_client.post(MESSAGING)
    assert again.status_code == 200
    assert AddonInstall.objects.count() == 1


def test_roles_gate_the_install(catalogue, team, workforce_manager, tommy_client):
    manager = user_client(workforce_manager)
    assert manager.post(MESSAGING).status_code == 201  # roles ["manager"]
    body = assert_tommy_error(manager.post(f"{API}/addons/crewdesk-webhooks/install"), 403)  # roles ["admin"]
    assert "admin" in body["message"]
    assert tommy_client.post(f"{API}/addons/crewdesk-webhooks/install").status_code == 201  # the owner's key


def test_a_plain_member_may_not_install_but_may_read(catalogue, team, owner, teammate):
    member = user_client(teammate)
    assert_tommy_error(member.post(MESSAGING), 403)
    install_addon(team, owner, "crewdesk-messaging")
    assert member.get(MESSAGING).status_code == 200
    assert member.get(f"{MESSAGING}/permissions").status_code == 200


def test_install_endpoints_need_a_credential(catalogue, client):
    for method in ("get", "post", "put", "delete"):
        assert_tommy_error(getattr(client, method)(MESSAGING), 401)


def test_get_of_an_addon_not_installed_here_is_404(catalogue, other_team, outsider, tommy_client):
    install_addon(other_team, outsider, "crewdesk-messaging")
    assert_tommy_error(tommy_client.get(MESSAGING), 404)
    assert_tommy_error(tommy_client.get(f"{MESSAGING}/permissions"), 404)
    assert_tommy_error(tommy_client.put(f"{MESSAGING}/settings/sms", {"data": "x"}, format="json"), 404)
    assert_tommy_error(tommy_client.delete(MESSAGING), 404)
    assert AddonInstall.objects.filter(team=other_team).exists()
    assert_tommy_error(tommy_client.post(f"{API}/addons/no-such/install"), 404)


def test_put_upgrades_to_the_addons_version_and_permissions(catalogue, team, owner, tommy_client):
    install = install_addon(team, owner, "crewdesk-messaging")
    install.permissions.filter(name="chats").delete()
    AddonPermission.objects.filter(addon_install=install, name="sms").update(operations=[])
    install.addon.version = "1.1.0"
    install.addon.save()
    response = tommy_client.put(MESSAGING)
    assert response.status_code == 200
    install.refresh_from_db()
    assert install.version == "1.1.0"
    assert {p.name: p.operations for p in install.permissions.all()} == {
        "sms": [],
        "multicasts": ["send"],
        "chats": ["post"],
    }


def test_delete_uninstalls_and_deletes_its_action_installs(catalogue, team, owner, teammate, tommy_client):
    action_install = install_action(team, owner, "text-members", settings={"member_id": teammate.pk, "message": "x"})
    response = tommy_client.delete(MESSAGING)
    assert response.status_code == 200
    assert response.json()["installed"] is False
    assert not AddonInstall.objects.exists()
    action_install.refresh_from_db()
    assert action_install.deleted_at is not None
    assert action_install.installed is False
    assert_tommy_error(tommy_client.get(MESSAGING), 404)


# --- permissions -----------------------------------------------------------------------------------------------------


def test_permissions_list_and_get(catalogue, team, owner, tommy_client):
    install_addon(team, owner, "crewdesk-messaging")
    listed = tommy_client.get(f"{MESSAGING}/permissions").json()
    assert [p["name"] for p in listed] == ["chats", "multicasts", "sms"]
    one = tommy_client.get(f"{MESSAGING}/permissions/sms").json()
    assert one["operations"] == ["send"]
    assert one["team_id"] == team.pk
    assert one["resource_kind"] == "sms"
    assert_tommy_error(tommy_client.get(f"{MESSAGING}/permissions/files"), 404)


def test_withdrawing_a_permission_fails_the_actions_runs(
    catalogue, team, owner, teammate, tommy_client, django_capture_on_commit_callbacks
):
    install = install_action(team, owner, "text-members", settings={"member_id": teammate.pk, "message": "x"})
    response = tommy_client.put(f"{MESSAGING}/permissions/sms", {"operations": []}, format="json")
    assert response.status_code == 200
    assert response.json()["operations"] == []
    with django_capture_on_commit_callbacks(execute=True):
        tommy_client.post(f"{API}/actions/installs/{install.pk}/run", {}, format="json")
    run = install.runs.get()
    assert run.status == "failed"
    assert "withdrew" in run.error
    assert not sms.outbox
    tommy_client.put(f"{MESSAGING}/permissions/sms", {"operations": ["send"]}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        tommy_client.post(f"{API}/actions/installs/{install.pk}/run", {}, format="json")
    assert len(sms.outbox) == 1


def test_a_permission_takes_only_the_addons_operations(catalogue, team, owner, tommy_client):
    install_addon(team, owner, "crewdesk-messaging")
    response = tommy_client.put(f"{MESSAGING}/permissions/sms", {"operations": ["send", "delete"]}, format="json")
    assert "delete" in assert_tommy_error(response, 422)["details"]["operations"][0]
    response = tommy_client.put(f"{MESSAGING}/permissions/sms", {"operations": "send"}, format="json")
    assert assert_tommy_error(response, 422)["details"] == {"operations": ["must be a list of strings"]}
    assert_tommy_error(tommy_client.put(f"{MESSAGING}/permissions/sms", {}, format="json"), 422)
    assert AddonPermission.objects.get(name="sms").operations == ["send"]


# --- settings --------------------------------------------------------------------------------------------------------


def test_settings_upsert_get_list_delete(catalogue, team, owner, tommy_client):
    install_addon(team, owner, "crewdesk-messaging")
    body = {"data": {"signature": "— Acme"}, "context": "sms", "format": "text"}
    response = tommy_client.put(f"{MESSAGING}/settings/sms", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["data"] == {"signature": "— Acme"}
    assert response.json()["addon_install_id"]
    tommy_client.put(f"{MESSAGING}/settings/sms", {"data": {"signature": "— Acme Crew"}}, format="json")
    assert AddonSetting.objects.get().data == {"signature": "— Acme Crew"}
    assert [s["name"] for s in tommy_client.get(f"{MESSAGING}/settings").json()] == ["sms"]
    assert tommy_client.get(f"{MESSAGING}/settings/sms").json()["data"] == {"signature": "— Acme Crew"}
    response = tommy_client.delete(f"{MESSAGING}/settings/sms")
    assert response.status_code == 200
    assert response.json() is None
    assert not AddonSetting.objects.exists()
    assert_tommy_error(tommy_client.get(f"{MESSAGING}/settings/sms"), 404)
    assert_tommy_error(tommy_client.delete(f"{MESSAGING}/settings/sms"), 404)


def test_settings_are_checked_against_the_addons_schema(catalogue, team, owner, tommy_client):
    install_addon(team, owner, "crewdesk-messaging")
    response = tommy_client.put(f"{MESSAGING}/settings/sms", {"data": {"signature": 42}}, format="json")
    assert assert_tommy_error(response, 422)["details"] == {"data.signature": ["must be a string"]}
    response = tommy_client.put(f"{MESSAGING}/settings/colour", {"data": "red"}, format="json")
    assert "name" in assert_tommy_error(response, 422)["details"]
    response = tommy_client.put(f"{MESSAGING}/settings/sms", {"context": "x"}, format="json")
    assert "data" in assert_tommy_error(response, 422)["details"]
    assert not AddonSetting.objects.exists()


def test_the_signature_setting_ends_every_text(
    catalogue, team, owner, teammate, tommy_client, django_capture_on_commit_callbacks
):
    install = install_action(team, owner, "text-members", settings={"member_id": teammate.pk, "message": "Hi"})
    tommy_client.put(f"{MESSAGING}/settings/sms", {"data": {"signature": "— Acme"}}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        tommy_client.post(f"{API}/actions/installs/{install.pk}/run", {}, format="json")
    assert sms.outbox[-1].body == "Hi\n— Acme"


# --- report -----------------------------------------------------------------------------------------------------------


def test_report_records_once_per_person(catalogue, owner, teammate, tommy_client):
    response = tommy_client.post(f"{API}/addons/crewdesk-webhooks/report", {"reason": "spam"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"success": True}
    tommy_client.post(f"{API}/addons/crewdesk-webhooks/report")
    user_client(teammate).post(f"{API}/addons/crewdesk-webhooks/report")
    assert AddonReport.objects.count() == 2
    assert_tommy_error(tommy_client.post(f"{API}/addons/no-such/report"), 404)
    response = tommy_client.post(f"{API}/addons/crewdesk-webhooks/report", {"reason": "x" * 3000}, format="json")
    assert "reason" in assert_tommy_error(response, 422)["details"]


def test_action_installs_survive_only_with_their_addon(catalogue, team, owner):
    install_action(team, owner, "chat-post")
    assert ActionInstall.objects.live().count() == 1
