"""The console for multicasts: compose (estimate, preview, send), progress and report, retry/cancel actions, template
checks and preview, groups of the team's members only, write-only app-credential secrets, scoping to managed teams."""

import json

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from accounts.services.console_access import TEAM_MANAGER_GROUP, console_access_sync
from messaging import sms
from messaging.crypto import decrypt_json
from messaging.models import AppCredential, IndividualGroup, MessageTemplate, Multicast
from messaging.services.multicasts import multicast_send
from tests.factories import IndividualGroupFactory, MembershipFactory, MessageTemplateFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPOSE = "/admin/messaging/multicast/compose/"


@pytest.fixture
def manager(team):
    """A workforce manager of `team`, in the console through the Team manager group (the real permissions)."""
    user = UserFactory(email="boss@crewdesk.test", first_name="Bea", last_name="Boss")
    MembershipFactory(team=team, user=user, status=Membership.Status.MEMBER, is_manager=True)
    console_access_sync(user_ids=[user.pk])
    user.refresh_from_db()
    assert user.is_staff
    assert user.groups.filter(name=TEAM_MANAGER_GROUP).exists()
    browser = Client()
    browser.force_login(user)
    return browser


def test_compose_estimates_previews_then_sends(manager, team, template, crew, django_capture_on_commit_callbacks):
    group = IndividualGroupFactory(team=team, name="Bar")
    group.members.set(crew[:2])
    page = manager.get(COMPOSE, {"team": team.pk})
    assert page.status_code == 200
    assert "Shift reminder (shift-reminder)" in page.content.decode()

    form = {"team": team.pk, "template": template.pk, "group": group.pk, "channels": ["sms"], "var_start": "9:00"}
    previewed = manager.post(COMPOSE, {**form, "preview": "1"})
    html = previewed.content.decode()
    assert previewed.status_code == 200
    assert 'id="compose-estimate"' in html
    assert "Hi Crew0, your shift starts 9:00." in html
    assert not Multicast.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        sent = manager.post(COMPOSE, {**form, "send": "1"})
    multicast = Multicast.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == reverse("admin:messaging_multicast_change", args=[multicast.pk])
    assert sorted(m.to for m in sms.outbox) == sorted(m.user.phone for m in crew[:2])
    detail = manager.get(sent["Location"]).content.decode()
    assert "sent 2" in detail
    assert multicast.source == "console"


def test_compose_reports_missing_variables(manager, team, template, crew):
    response = manager.post(COMPOSE, {"team": team.pk, "template": template.pk, "channels": ["sms"], "send": "1"})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Multicast.objects.exists()


def test_compose_is_scoped_to_the_managers_teams(manager, team, other_team, template):
    assert manager.get(COMPOSE, {"team": other_team.pk}).status_code == 404
    foreign = MessageTemplateFactory(team=other_team, template_id="foreign")
    response = manager.post(COMPOSE, {"team": team.pk, "template": foreign.pk, "channels": ["sms"], "preview": "1"})
    assert "Select a valid choice" in response.content.decode()


def test_cancel_and_retry_actions(manager, team, owner, template, crew):
    multicast = multicast_send(team=team, template_id="shift-reminder", params={"start": "1"}, by=owner)
    url = reverse("admin:messaging_multicast_changelist")
    manager.post(url, {"action": "cancel", "_selected_action": [multicast.pk]})
    multicast.refresh_from_db()
    assert multicast.status == "cancelled"
    response = manager.post(url, {"action": "retry_failed", "_selected_action": [multicast.pk]}, follow=True)
    assert "Only a finished (not cancelled) multicast can be retried." in response.content.decode()


def test_template_checks_and_preview(manager, team):
    add = reverse("admin:messaging_messagetemplate_add")
    bad = manager.post(
        add, {"team": team.pk, "template_id": "broken", "sms_body": "Hi {{ first_name", "push_data": "{}"}
    )
    assert bad.status_code == 200
    assert "not a valid template" in bad.content.decode()
    empty = manager.post(add, {"team": team.pk, "template_id": "empty", "push_data": "{}"})
    assert "Give at least one part" in empty.content.decode()
    good = manager.post(
        add,
        {"team": team.pk, "template_id": "hello", "sms_body": "Hi {{ first_name }} at {{ start }}", "push_data": "{}"},
    )
    assert good.status_code == 302
    created = MessageTemplate.objects.get(template_id="hello")
    page = manager.get(reverse("admin:messaging_messagetemplate_change", args=[created.pk])).content.decode()
    assert "Hi Alex at [start]" in page
    assert "start" in page


def test_groups_hold_the_teams_members_only(manager, team, crew, other_team, outsider):
    stranger = Membership.objects.get(user=outsider)
    add = reverse("admin:messaging_individualgroup_add")
    response = manager.post(add, {"team": team.pk, "name": "Mixed", "members": [crew[0].pk, stranger.pk]})
    assert response.status_code == 200  # the outsider is not even offered
    assert not IndividualGroup.objects.exists()
    ok = manager.post(
        add, {"team": team.pk, "name": "Kitchen", "members": [crew[0].pk, crew[1].pk], "leaders": [crew[0].pk]}
    )
    assert ok.status_code == 302
    assert IndividualGroup.objects.get().members.count() == 2


def test_app_credential_secret_is_write_only(manager, team):
    add = reverse("admin:messaging_appcredential_add")
    secret = {"project_id": "crew-app", "client_email": "a@b.c", "private_key": "-----BEGIN PRIVATE KEY-----TOP"}
    response = manager.post(add, {"team": team.pk, "type": "fcm", "app_name": "crew", "secret": json.dumps(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    credential = AppCredential.objects.get()
    assert decrypt_json(credential.data_encrypted) == secret
    page = manager.get(reverse("admin:messaging_appcredential_change", args=[credential.pk])).content.decode()
    assert "BEGIN PRIVATE KEY" not in page
    assert credential.data_encrypted not in page
    kept = manager.post(
        reverse("admin:messaging_appcredential_change", args=[credential.pk]),
        {"app_name": "crew2", "display_name": "", "store_id": "", "secret": ""},
    )
    assert kept.status_code == 302
    credential.refresh_from_db()
    assert (credential.app_name, decrypt_json(credential.data_encrypted)) == ("crew2", secret)


@pytest.mark.parametrize(
    "model",
    ["messagetemplate", "individualgroup", "multicast", "usernotification", "appcredential", "useremail", "devicelog",
     "badgecount"],
)  # fmt: skip
def test_pages_load_for_a_manager_and_hide_other_teams(manager, team, other_team, owner, outsider, model):
    MessageTemplateFactory(team=other_team, template_id="their-secret-template")
    IndividualGroupFactory(team=other_team, name="Their secret group")
    response = manager.get(reverse(f"admin:messaging_{model}_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "their-secret-template" not in html
    assert "Their secret group" not in html


def test_the_team_manager_group_may_see_devices():
    group = Group.objects.filter(name=TEAM_MANAGER_GROUP).first()
    if group is None:
        from accounts.services.console_access import team_manager_group

        group = team_manager_group()
    assert group.permissions.filter(codename="view_device").exists()
    assert not group.permissions.filter(codename="change_device").exists()
