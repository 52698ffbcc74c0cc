"""Tommy /actions/installs: install, list, get, PUT (settings, schedule), DELETE (soft), run, run_later, history.

Each endpoint: happy path, validation error in the tommy envelope (422 with details per field), unauthenticated,
another team's install is a 404, and the side effect (install row, run row, SMS sent, history entry).
"""

import datetime

import pytest
from django.utils import timezone

from automations.models import ActionInstall, ActionRun, HistoryEntry
from messaging import sms
from tests.automations.automation_support import API, action, group_chat, install_action, install_addon
from tests.helpers import assert_tommy_error, user_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def texting(catalogue, team, owner, teammate):
    """A "Text a member" install for the teammate."""
    return install_action(team, owner, "text-members", settings={"member_id": teammate.pk, "message": "Hi {team}"})


@pytest.fixture
def rival_install(catalogue, other_team, outsider):
    return install_action(other_team, outsider, "text-members", settings={"member_id": outsider.pk, "message": "x"})


# --- POST /actions/installs -------------------------------------------------------------------------------------------


def test_install_answers_the_action_installed_and_writes_history(catalogue, team, owner, tommy_client):
    install_addon(team, owner, "crewdesk-messaging")
    found = action("text-members")
    response = tommy_client.post(f"{API}/actions/installs", {"id": found.pk, "title": "Morning text"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["id"], body["installed"], body["name"]) == (found.pk, True, found.name)
    install = ActionInstall.objects.get(pk=body["install_id"])
    assert (install.team, install.title, install.version) == (team, "Morning text", found.current_version)
    assert HistoryEntry.objects.filter(install=install, name="installed").exists()


def test_install_needs_the_addon_installed_first(catalogue, tommy_client):
    response = tommy_client.post(f"{API}/actions/installs", {"id": action("text-members").pk}, format="json")
    body = assert_tommy_error(response, 422)
    assert "crewdesk-messaging" in body["details"]["id"][0]


def test_install_with_bad_settings_is_422_per_field(catalogue, team, owner, tommy_client):
    install_addon(team, owner, "crewdesk-messaging")
    settings = {"member_id": "abc", "to": "nobody", "colour": "red"}
    response = tommy_client.post(
        f"{API}/actions/installs", {"id": action("text-members").pk, "settings": settings}, format="json"
    )
    details = assert_tommy_error(response, 422)["details"]
    assert details["settings.member_id"] == ["must be an integer"]
    assert details["settings.to"][0].startswith("must be one of")
    assert details["settings.colour"] == ["is not a setting of this action"]
    assert not ActionInstall.objects.exists()


def test_install_of_a_member_of_another_team_is_422(catalogue, team, owner, outsider, tommy_client):
    install_addon(team, owner, "crewdesk-messaging")
    body = {"id": action("text-members").pk, "settings": {"member_id": outsider.pk}}
    details = assert_tommy_error(tommy_client.post(f"{API}/actions/installs", body, format="json"), 422)["details"]
    assert details == {"settings.member_id": ["is not an active member of this team"]}


def test_a_unique_action_is_installed_once(catalogue, team, owner, tommy_client):
    install_action(team, owner, "email-approved-timesheets")
    body = {"id": action("email-approved-timesheets").pk}
    assert_tommy_error(tommy_client.post(f"{API}/actions/installs", body, format="json"), 409)


def test_install_without_an_id_is_422(catalogue, tommy_client):
    assert "id" in assert_tommy_error(tommy_client.post(f"{API}/actions/installs", {}, format="json"), 422)["details"]


def test_a_plain_member_may_not_install(catalogue, team, owner, teammate):
    install_addon(team, owner, "crewdesk-messaging")
    response = user_client(teammate).post(f"{API}/actions/installs", {"id": action("text-members").pk}, format="json")
    assert_tommy_error(response, 403)


def test_installs_need_a_credential(client):
    assert_tommy_error(client.get(f"{API}/actions/installs"), 401)
    assert_tommy_error(client.post(f"{API}/actions/installs", {}, format="json"), 401)


# --- GET list / detail ------------------------------------------------------------------------------------------------


def test_list_shows_the_teams_live_installs_only(texting, rival_install, team, owner, tommy_client):
    deleted = install_action(team, owner, "chat-post")
    deleted.deleted_at = timezone.now()
    deleted.save()
    response = tommy_client.get(f"{API}/actions/installs")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [texting.pk]
    assert response["X-Total-Count"] == "1"


@pytest.mark.parametrize("per", [1, 10])
def test_list_query_count_is_constant(texting, team, owner, tommy_client, per, django_assert_max_num_queries):
    for key in ("chat-post", "text-members", "text-members"):
        install_action(team, owner, key)
    with django_assert_max_num_queries(8):
        response = tommy_client.get(f"{API}/actions/installs?per={per}")
    assert len(response.json()) == min(per, 4)


def test_detail_shows_the_schedule_in_words_and_next_run(texting, tommy_client):
    tommy_client.put(
        f"{API}/actions/installs/{texting.pk}",
        {"schedule": {"cron": "0 7 * * 1-5", "timezone": "Europe/Moscow"}},
        format="json",
    )
    body = tommy_client.get(f"{API}/actions/installs/{texting.pk}").json()
    assert body["schedule_text"] == "At 07:00, Monday through Friday (Europe/Moscow)"
    next_run = datetime.datetime.fromisoformat(body["next_run_at"])
    assert next_run.astimezone(datetime.timezone(datetime.timedelta(hours=3))).hour == 7
    assert body["trigger"]["name"] == "On a schedule"
    assert body["activity"]["name"] == "Send an SMS"


def test_another_teams_install_is_404_everywhere(rival_install, tommy_client):
    base = f"{API}/actions/installs/{rival_install.pk}"
    for method, path in [
        ("get", base),
        ("put", base),
        ("delete", base),
        ("post", f"{base}/run"),
        ("get", f"{base}/run_later"),
        ("get", f"{base}/history"),
    ]:
        assert_tommy_error(getattr(tommy_client, method)(path, {}, format="json"), 404)
    rival_install.refresh_from_db()
    assert rival_install.deleted_at is None
    assert not rival_install.runs.exists()


# --- PUT --------------------------------------------------------------------------------------------------------------


def test_put_changes_settings_and_title_and_records_it(texting, teammate, tommy_client):
    body = {"title": "Wake-up", "settings": {"member_id": teammate.pk, "message": "Rise"}, "id": 999, "action_id": 5}
    response = tommy_client.put(f"{API}/actions/installs/{texting.pk}", body, format="json")
    assert response.status_code == 200, response.content
    texting.refresh_from_db()
    assert (texting.title, texting.settings["message"], texting.action.key) == ("Wake-up", "Rise", "text-members")
    assert texting.history.filter(name="updated").exists()


def test_put_with_a_bad_schedule_is_422_and_changes_nothing(texting, tommy_client):
    for schedule, field in [
        ({"cron": "61 * * * *"}, "schedule.cron"),
        ({"cron": "0 7 * * *", "interval": {"every": 5, "period": "minutes"}}, "schedule"),
        ({"interval": {"every": 5, "period": "fortnights"}}, "schedule.interval.period"),
        ({"interval": {"every": 5, "period": "seconds"}}, "schedule.interval"),
        ({"run_at": "2001-01-01T00:00:00Z"}, "schedule.run_at"),
        ({"cron": "0 7 * * *", "timezone": "Mars/Olympus"}, "schedule.timezone"),
    ]:
        response = tommy_client.put(f"{API}/actions/installs/{texting.pk}", {"schedule": schedule}, format="json")
        assert field in assert_tommy_error(response, 422)["details"], schedule
    texting.refresh_from_db()
    assert texting.schedule == {}
    assert not texting.runs.exists()


def test_a_new_schedule_cancels_what_the_old_one_planted(texting, tommy_client):
    put = tommy_client.put
    put(f"{API}/actions/installs/{texting.pk}", {"schedule": {"cron": "0 7 * * *"}}, format="json")
    first = texting.runs.get()
    put(
        f"{API}/actions/installs/{texting.pk}",
        {"schedule": {"interval": {"every": 2, "period": "hours"}}},
        format="json",
    )
    first.refresh_from_db()
    assert first.status == ActionRun.Status.CANCELED
    planted = texting.runs.get(status=ActionRun.Status.SCHEDULED)
    assert abs((planted.due_at - timezone.now()) - datetime.timedelta(hours=2)) < datetime.timedelta(seconds=5)
    put(
        f"{API}/actions/installs/{texting.pk}",
        {"schedule": {"interval": {"every": 2, "period": "hours"}, "enabled": False}},
        format="json",
    )
    assert not texting.runs.filter(status=ActionRun.Status.SCHEDULED).exists()


def test_a_schedule_needs_complete_settings(catalogue, team, owner, tommy_client):
    install = install_action(team, owner, "text-members")
    response = tommy_client.put(
        f"{API}/actions/installs/{install.pk}", {"schedule": {"cron": "0 7 * * *"}}, format="json"
    )
    details = assert_tommy_error(response, 422)["details"]
    assert details == {"settings.message": ["is required"]}
    assert not install.runs.exists()


def test_a_plain_member_may_read_but_not_change(texting, teammate):
    member = user_client(teammate)
    assert member.get(f"{API}/actions/installs/{texting.pk}").status_code == 200
    assert_tommy_error(member.put(f"{API}/actions/installs/{texting.pk}", {"title": "x"}, format="json"), 403)


# --- DELETE -----------------------------------------------------------------------------------------------------------


def test_delete_is_soft_cancels_runs_and_answers_the_install(texting, tommy_client):
    tommy_client.put(f"{API}/actions/installs/{texting.pk}", {"schedule": {"cron": "0 7 * * *"}}, format="json")
    response = tommy_client.delete(f"{API}/actions/installs/{texting.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == texting.pk
    assert body["installed"] is False
    assert body["deleted_at"]
    assert texting.runs.get().status == ActionRun.Status.CANCELED
    assert_tommy_error(tommy_client.get(f"{API}/actions/installs/{texting.pk}"), 404)
    assert ActionInstall.objects.filter(pk=texting.pk).exists()


# --- run --------------------------------------------------------------------------------------------------------------


def test_run_texts_the_member_and_records_the_run(texting, teammate, tommy_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = tommy_client.post(f"{API}/actions/installs/{texting.pk}/run", {"trigger_data": {}}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["install_id"] == texting.pk
    assert body["run"]["status"] == "queued"
    assert [(m.to, m.body) for m in sms.outbox] == [(teammate.phone, "Hi Acme Crew")]
    run = ActionRun.objects.get(pk=body["run"]["id"])
    assert (run.status, run.attempts, run.source) == ("succeeded", 1, "manual")
    assert run.result["recipients"] == 1


def test_run_by_get_with_a_body_as_documented(texting, tommy_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = tommy_client.generic(
            "GET", f"{API}/actions/installs/{texting.pk}/run", '{"trigger_data": {}}', content_type="application/json"
        )
    assert response.status_code == 200, response.content
    assert len(sms.outbox) == 1


def test_run_with_bad_trigger_data_is_422(catalogue, team, owner, tommy_client):
    chat = group_chat(team, owner)
    install = install_action(team, owner, "chat-shift-published", settings={"chat": f"g-{chat.uid}"})
    response = tommy_client.post(
        f"{API}/actions/installs/{install.pk}/run", {"trigger_data": {"shift_id": "twelve"}}, format="json"
    )
    assert_tommy_error(response, 422)
    response = tommy_client.post(f"{API}/actions/installs/{install.pk}/run", {"trigger_data": []}, format="json")
    assert assert_tommy_error(response, 422)["details"] == {"trigger_data": ["must be an object"]}
    assert not ActionRun.objects.exists()


def test_run_with_incomplete_settings_is_422(catalogue, team, owner, tommy_client):
    install = install_action(team, owner, "text-members")
    response = tommy_client.post(f"{API}/actions/installs/{install.pk}/run", {}, format="json")
    assert "settings.message" in assert_tommy_error(response, 422)["details"]


def test_run_takes_trigger_data_in_the_query_string(
    catalogue, team, owner, teammate, tommy_client, django_capture_on_commit_callbacks
):
    install = install_action(
        team, owner, "text-members", settings={"member_id": teammate.pk, "message": "Shift {title} moved"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = tommy_client.get(
            f"{API}/actions/installs/{install.pk}/run?trigger_data=%7B%22title%22%3A%22Bar%22%7D"
        )
    assert response.status_code == 200, response.content
    assert sms.outbox[-1].body == "Shift Bar moved"


def test_a_run_missing_a_template_value_fails_and_says_which(
    catalogue, team, owner, teammate, tommy_client, django_capture_on_commit_callbacks
):
    install = install_action(team, owner, "text-members", settings={"member_id": teammate.pk, "message": "{title}!"})
    with django_capture_on_commit_callbacks(execute=True):
        tommy_client.post(f"{API}/actions/installs/{install.pk}/run", {}, format="json")
    run = install.runs.get()
    assert run.status == "failed"
    assert "{title}" in run.error
    assert not sms.outbox


# --- run_later --------------------------------------------------------------------------------------------------------


def test_run_later_without_a_schedule_is_422(texting, tommy_client):
    body = assert_tommy_error(tommy_client.get(f"{API}/actions/installs/{texting.pk}/run_later"), 422)
    assert "schedule" in body["details"]


def test_run_later_plants_the_stored_schedule_once(texting, tommy_client):
    texting.schedule = {"interval": {"every": 10, "period": "minutes"}}
    texting.save()
    first = tommy_client.get(f"{API}/actions/installs/{texting.pk}/run_later")
    again = tommy_client.get(f"{API}/actions/installs/{texting.pk}/run_later")
    assert first.status_code == again.status_code == 200, first.content
    assert first.json()["run"]["id"] == again.json()["run"]["id"]
    run = texting.runs.get()
    assert run.status == "scheduled"
    assert run.source == "schedule"
    assert texting.history.filter(name="scheduled").exists()


def test_run_later_at_a_given_time(texting, tommy_client):
    at = (timezone.now() + datetime.timedelta(hours=3)).replace(microsecond=0)
    response = tommy_client.post(
        f"{API}/actions/installs/{texting.pk}/run_later", {"run_at": at.isoformat()}, format="json"
    )
    assert response.status_code == 200, response.content
    run = texting.runs.get()
    assert (run.due_at, run.source, run.status) == (at, "later", "scheduled")
    past = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    response = tommy_client.post(f"{API}/actions/installs/{texting.pk}/run_later", {"run_at": past}, format="json")
    assert assert_tommy_error(response, 422)["details"] == {"run_at": ["must be in the future"]}


# --- history ----------------------------------------------------------------------------------------------------------


def test_history_is_newest_first_and_paginated(texting, tommy_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tommy_client.post(f"{API}/actions/installs/{texting.pk}/run", {}, format="json")
    response = tommy_client.get(f"{API}/actions/installs/{texting.pk}/history?per=2")
    assert response.status_code == 200
    assert response["X-Total-Count"] == "3"
    rows = response.json()
    assert [r["name"] for r in rows] == ["run succeeded", "run requested"]
    assert rows[0]["status"] == "succeeded"
    assert rows[0]["team_id"] == texting.team_id
    assert (
        tommy_client.get(f"{API}/actions/installs/{texting.pk}/history?page=2&per=2").json()[0]["name"] == "installed"
    )
    assert_tommy_error(tommy_client.get(f"{API}/actions/installs/{texting.pk}/history?per=0"), 422)


@pytest.mark.parametrize("per", [2, 20])
def test_history_query_count_is_constant(
    texting, tommy_client, per, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            tommy_client.post(f"{API}/actions/installs/{texting.pk}/run", {}, format="json")
    with django_assert_max_num_queries(8):
        assert tommy_client.get(f"{API}/actions/installs/{texting.pk}/history?per={per}").status_code == 200
