"""The console for automations: the catalogue (superusers edit it, managers read it), a team's installs with their
schedule in words, next and last run, "Run now", each run's result and a long run's progress — scoped to the teams a
manager runs (with the real "Team manager" group's permissions)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services.console_access import console_access_sync
from automations.models import ActionRun, Addon
from automations.services import installs as install_services
from messaging import sms
from tests.automations.admin_support import superuser_browser
from tests.automations.automation_support import install_action

pytestmark = pytest.mark.django_db


def _manager_browser(user) -> Client:
    console_access_sync(user_ids=[user.pk])
    user.refresh_from_db()
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def installs(catalogue, team, owner, teammate, other_team, outsider):
    ours = install_action(team, owner, "text-members", settings={"member_id": teammate.pk, "message": "Hi"})
    install_services.install_update(
        install=ours, by=owner, schedule={"cron": "0 7 * * 1-5", "timezone": "Europe/Moscow"}
    )
    theirs = install_action(other_team, outsider, "text-members", settings={"member_id": outsider.pk, "message": "x"})
    return {"ours": ours, "theirs": theirs}


def test_a_manager_sees_the_teams_installs_with_the_schedule_in_words(installs, owner):
    browser = _manager_browser(owner)
    response = browser.get(reverse("admin:automations_actioninstall_changelist"))
    assert response.status_code == 200
    assert [i.pk for i in response.context["cl"].result_list] == [installs["ours"].pk]
    page = response.content.decode()
    assert "At 07:00, Monday through Friday (Europe/Moscow)" in page
    assert "Automations</a>" in page  # in the console's top navigation


def test_another_teams_install_cannot_be_opened(installs, owner):
    browser = _manager_browser(owner)
    url = reverse("admin:automations_actioninstall_change", args=[installs["theirs"].pk])
    assert browser.get(url).status_code == 302


def test_run_now_queues_a_run_and_its_result_shows_on_the_page(installs, owner, django_capture_on_commit_callbacks):
    browser = _manager_browser(owner)
    install = installs["ours"]
    changelist = reverse("admin:automations_actioninstall_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(changelist, {"action": "run_now", "_selected_action": [install.pk]}, follow=True)
    assert "1 run(s) queued" in response.content.decode()
    run = install.runs.get(source="manual")
    assert run.status == "succeeded"
    assert len(sms.outbox) == 1
    page = browser.get(reverse("admin:automations_actioninstall_change", args=[install.pk])).content.decode()
    assert f"#{run.pk}" in page
    assert "recipients: 1" in page
    assert "Succeeded" in page


def test_run_now_of_an_install_missing_settings_says_why(catalogue, team, owner):
    install = install_action(team, owner, "text-members")
    browser = _manager_browser(owner)
    changelist = reverse("admin:automations_actioninstall_changelist")
    response = browser.post(changelist, {"action": "run_now", "_selected_action": [install.pk]}, follow=True)
    assert "settings.message: is required" in response.content.decode()
    assert not install.runs.exists()


def test_a_long_run_shows_its_progress(installs, owner):
    run = installs["ours"].runs.create(
        team=installs["ours"].team, source="manual", trigger="manual", due_at=installs["ours"].created_at,
        status=ActionRun.Status.RUNNING, progress=40, progress_note="4 of 10 shifts",
    )  # fmt: skip
    browser = _manager_browser(owner)
    page = browser.get(reverse("admin:automations_actionrun_change", args=[run.pk])).content.decode()
    assert '<progress max="100" value="40.0">' in page
    assert "4 of 10 shifts" in page


def test_editing_an_install_goes_through_the_service(installs, owner):
    install = installs["ours"]
    browser = _manager_browser(owner)
    url = reverse("admin:automations_actioninstall_change", args=[install.pk])
    form = {
        "title": "Wake-up",
        "summary": "",
        "description": "",
        "settings": json.dumps({"member_id": install.settings["member_id"], "message": "Rise"}),
        "schedule": '{"interval": {"every": 2, "period": "hours"}}',
        "installed": "on",
    }
    assert browser.post(url, form).status_code == 302
    install.refresh_from_db()
    assert install.title == "Wake-up"
    assert install.schedule == {"interval": {"every": 2, "period": "hours"}}
    assert install.runs.filter(status="scheduled").count() == 1
    bad = {**form, "schedule": '{"cron": "99 * * * *"}'}
    response = browser.post(url, bad)
    assert response.status_code == 200
    assert "schedule.cron" in response.content.decode()


def test_managers_read_the_catalogue_and_superusers_edit_it(catalogue, owner):
    addon = Addon.objects.get(package="crewdesk-messaging")
    manager = _manager_browser(owner)
    assert manager.get(reverse("admin:automations_addon_changelist")).status_code == 200
    url = reverse("admin:automations_addon_change", args=[addon.pk])
    assert manager.post(url, {"title": "Mine"}).status_code == 403
    root = superuser_browser()
    page = root.get(url)
    assert page.status_code == 200
    form = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    form.update(
        title="Team texts",
        developer=addon.developer_id,
        roles='["manager"]',
        permissions=json.dumps(addon.permissions),
        settings_schema=json.dumps(addon.settings_schema),
        input_devices="[]",
        locales='["en"]',
        views="[]",
        published="on",
        recommended="on",
        **{"actions-TOTAL_FORMS": "0", "actions-INITIAL_FORMS": "0"},
    )
    response = root.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    addon.refresh_from_db()
    assert addon.title == "Team texts"
