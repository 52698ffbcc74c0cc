"""Runs: the dispatcher (claims each due run once, plants a recurring schedule's next occurrence, skips missed
ones), retries with backoff, the sweeper, event triggers (shift published, timesheet submitted, inbound SMS keyword,
unfilled shift, missed clock-in) and what each activity does (SMS, chat, webhook, shifts, e-mail with CSV)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from automations.models import ActionRun, HistoryEntry
from automations.services import installs as install_services
from automations.services import runs
from messaging import sms
from messaging.models import ChatMessage, WebhookDelivery
from tests.automations.automation_support import group_chat, install_action
from tests.factories import MembershipFactory, TextAccountFactory, TextNumberFactory, UserFactory
from workforce.models import Shift, Timesheet
from workforce.services import shifts as shift_services
from workforce.services import timesheets as timesheet_services

pytestmark = pytest.mark.django_db
Status = ActionRun.Status
UTC = datetime.UTC


@pytest.fixture
def texting(catalogue, team, owner, teammate):
    return install_action(team, owner, "text-members", settings={"member_id": teammate.pk, "message": "Tick"})


def _schedule(install, schedule: dict) -> None:
    install_services.install_update(install=install, by=None, schedule=schedule)
    install.refresh_from_db()


def _dispatch(now, capture):
    with capture(execute=True):
        return runs.runs_dispatch(now=now)


# --- the dispatcher ---------------------------------------------------------------------------------------------------


def test_a_cron_install_fires_at_its_times_each_once(texting, django_capture_on_commit_callbacks):
    _schedule(texting, {"cron": "*/10 * * * *", "timezone": "UTC"})
    first = texting.runs.get()
    assert first.due_at.minute % 10 == 0
    assert first.due_at > timezone.now()
    assert _dispatch(first.due_at - datetime.timedelta(seconds=1), django_capture_on_commit_callbacks) == 0
    assert _dispatch(first.due_at, django_capture_on_commit_callbacks) == 1
    assert _dispatch(first.due_at, django_capture_on_commit_callbacks) == 0  # a dispatcher run twice
    first.refresh_from_db()
    assert first.status == Status.SUCCEEDED
    assert len(sms.outbox) == 1
    second = texting.runs.get(status=Status.SCHEDULED)
    assert second.due_at == first.due_at + datetime.timedelta(minutes=10)
    assert _dispatch(second.due_at, django_capture_on_commit_callbacks) == 1
    assert len(sms.outbox) == 2
    texting.refresh_from_db()
    assert texting.next_run_at == second.due_at + datetime.timedelta(minutes=10)
    names = list(texting.history.values_list("name", flat=True))
    assert names.count("run succeeded") == 2


def test_an_interval_install_fires_once_per_interval_and_skips_a_backlog(texting, django_capture_on_commit_callbacks):
    _schedule(texting, {"interval": {"every": 15, "period": "minutes"}})
    first = texting.runs.get()
    # the beat was down for an hour: the overdue run runs once, the next one is the next future slot
    later = first.due_at + datetime.timedelta(minutes=50)
    assert _dispatch(later, django_capture_on_commit_callbacks) == 1
    nxt = texting.runs.get(status=Status.SCHEDULED)
    assert nxt.due_at == first.due_at + datetime.timedelta(minutes=60)
    assert len(sms.outbox) == 1


def test_a_run_found_hours_late_is_skipped_as_missed(texting, django_capture_on_commit_callbacks):
    _schedule(texting, {"cron": "0 7 * * *"})
    first = texting.runs.get()
    assert _dispatch(first.due_at + datetime.timedelta(hours=5), django_capture_on_commit_callbacks) == 0
    first.refresh_from_db()
    assert first.status == Status.CANCELED
    assert first.error.startswith("Missed")
    assert texting.runs.filter(status=Status.SCHEDULED).count() == 1
    assert not sms.outbox


def test_a_one_off_schedule_runs_once_and_plants_nothing(texting, django_capture_on_commit_callbacks):
    at = timezone.now() + datetime.timedelta(hours=2)
    _schedule(texting, {"run_at": at.isoformat()})
    assert _dispatch(at, django_capture_on_commit_callbacks) == 1
    assert texting.runs.count() == 1
    assert texting.runs.get().status == Status.SUCCEEDED
    texting.refresh_from_db()
    assert texting.next_run_at is None


def test_a_paused_install_runs_nothing(texting, django_capture_on_commit_callbacks):
    run = ActionRun.objects.create(
        team=texting.team, install=texting, source="later", trigger="manual", due_at=timezone.now()
    )
    texting.installed = False
    texting.save()
    assert _dispatch(timezone.now(), django_capture_on_commit_callbacks) == 0
    run.refresh_from_db()
    assert run.status == Status.CANCELED
    assert not sms.outbox


def test_a_task_delivered_twice_runs_once(texting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_now(install=texting, trigger_data={}, by=None)
    assert runs.run_execute(run_id=run.pk) == "skipped"
    assert len(sms.outbox) == 1


# --- retries and the sweeper ------------------------------------------------------------------------------------------


def test_transient_failures_are_retried_with_backoff_then_recorded(
    catalogue, team, owner, settings, django_capture_on_commit_callbacks
):
    settings.AUTOMATIONS_MAX_ATTEMPTS = 3
    install = install_action(team, owner, "email-approved-timesheets", settings={"recipients": ["pay@example.com"]})
    settings.EMAIL_BACKEND = "tests.automations.failing_mail.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_now(install=install, trigger_data={}, by=None)
    run.refresh_from_db()
    assert (run.status, run.attempts) == (Status.SCHEDULED, 1)
    assert datetime.timedelta(seconds=25) < run.due_at - timezone.now() <= datetime.timedelta(seconds=30)
    _dispatch(run.due_at, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert (run.status, run.attempts) == (Status.SCHEDULED, 2)
    assert datetime.timedelta(seconds=55) < run.due_at - timezone.now() <= datetime.timedelta(seconds=60)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _dispatch(run.due_at, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert (run.status, run.attempts) == (Status.SUCCEEDED, 3)
    assert len(mail.outbox) == 1
    assert list(install.history.filter(name="run retrying").values_list("run", flat=True)) == [run.pk, run.pk]


def test_a_run_failing_every_time_gives_up(catalogue, team, owner, settings, django_capture_on_commit_callbacks):
    settings.AUTOMATIONS_MAX_ATTEMPTS = 2
    settings.EMAIL_BACKEND = "tests.automations.failing_mail.Backend"
    install = install_action(team, owner, "email-approved-timesheets", settings={"recipients": ["pay@example.com"]})
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_now(install=install, trigger_data={}, by=None)
    run.refresh_from_db()
    _dispatch(run.due_at, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.status == Status.FAILED
    assert "gave up after 2 attempts" in run.error
    install.refresh_from_db()
    assert install.last_run_status == "failed"


def test_the_sweeper_resends_lost_runs_and_takes_back_stuck_ones(texting, django_capture_on_commit_callbacks):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    lost = ActionRun.objects.create(
        team=texting.team, install=texting, source="manual", trigger="manual", due_at=long_ago, status="queued",
        claimed_at=long_ago,
    )  # fmt: skip
    stuck = ActionRun.objects.create(
        team=texting.team, install=texting, source="manual", trigger="manual", due_at=long_ago, status="running",
        started_at=long_ago, attempts=1,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        result = runs.runs_sweep()
    assert result == {"requeued": 1, "retried": 1, "failed": 0}
    lost.refresh_from_db()
    stuck.refresh_from_db()
    assert lost.status == Status.SUCCEEDED
    assert stuck.status == Status.SCHEDULED
    assert len(sms.outbox) == 1


# --- event triggers ---------------------------------------------------------------------------------------------------


def _shift(team, by, *, hours=24, assignee=None, status=None, title="Bar"):
    start = timezone.now() + datetime.timedelta(hours=hours)
    return shift_services.shift_create(
        team=team, by=by, start_at=start, end_at=start + datetime.timedelta(hours=8), assignee=assignee,
        status=status, title=title,
    )  # fmt: skip


def test_publishing_a_shift_posts_in_the_team_chat_once(
    catalogue, team, owner, teammate, django_capture_on_commit_callbacks
):
    chat = group_chat(team, owner, teammate)
    install = install_action(team, owner, "chat-shift-published", settings={"chat": str(chat.uid)})
    shift = _shift(team, owner, assignee=teammate)
    with django_capture_on_commit_callbacks(execute=True):
        shift_services.shift_publish(shift=shift, by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        shift_services.shift_publish(shift=shift, by=owner)  # already published: no second event
    message = ChatMessage.objects.get(chat=chat)
    assert message.text.startswith("New shift: Bar from ")
    assert message.sender == owner
    run = install.runs.get()
    assert (run.source, run.trigger, run.trigger_data["shift_id"]) == ("event", "shift_published", shift.pk)
    assert install.history.filter(name="triggered").count() == 1


def test_a_rolled_back_publish_starts_nothing(catalogue, team, owner, teammate):
    from django.db import transaction

    chat = group_chat(team, owner)
    install = install_action(team, owner, "chat-shift-published", settings={"chat": str(chat.uid)})
    shift = _shift(team, owner)

    def publish_then_fail():
        with transaction.atomic():
            shift_services.shift_publish(shift=shift, by=owner)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        publish_then_fail()
    assert not install.runs.exists()


def test_a_submitted_timesheet_calls_the_webhook_signed(
    catalogue, team, owner, teammate, webhook_receiver, django_capture_on_commit_callbacks
):
    from messaging.services.webhooks import webhook_secret_get

    install = install_action(team, owner, "webhook-timesheet-submitted", settings={"url": webhook_receiver.url + "/ts"})
    today = datetime.date.today()
    timesheet = timesheet_services.timesheet_create(
        team=team, by=owner, start_date=today, end_date=today, resource_type="User", resource_id=teammate.pk
    )
    with django_capture_on_commit_callbacks(execute=True):
        timesheet_services.timesheet_update_by_employee(timesheet=timesheet, user=teammate, status="submitted")
    received = webhook_receiver.requests[0]
    payload = received.verified_with(webhook_secret_get(team=team).secret)
    assert payload["type"] == "timesheet.submitted"
    assert payload["data"]["trigger_data"]["timesheet_id"] == timesheet.pk
    assert payload["data"]["install_id"] == install.pk
    assert WebhookDelivery.objects.get().idempotency_key == f"automation-run:{install.runs.get().uid}"


def test_a_texted_keyword_is_answered(catalogue, team, owner, django_capture_on_commit_callbacks):
    from messaging.services import inbound

    number = TextNumberFactory(account=TextAccountFactory(team=team), phone_number="+12025550123")
    install_action(team, owner, "sms-keyword-reply", settings={"keyword": "hours", "message": "Open 9-17, {team}."})
    for sid, body in (("SM1", "Hours please"), ("SM2", "what hours?"), ("SM1", "Hours please")):
        message = sms.InboundSms(sid=sid, sender="+12025550177", to=number.phone_number, body=body)
        with django_capture_on_commit_callbacks(execute=True):
            inbound.inbound_receive_for(number_uid=number.uid, message=message)
    answers = [m for m in sms.outbox if m.to == "+12025550177"]
    assert [m.body for m in answers] == ["Open 9-17, Acme Crew."]


def test_a_shift_still_unfilled_alerts_the_managers_once(
    catalogue, team, owner, teammate, django_capture_on_commit_callbacks
):
    install = install_action(team, owner, "unfilled-shift-alert", settings={"hours_before": 12})
    soon = _shift(team, owner, hours=6, title="Door")
    _shift(team, owner, hours=20, title="Later")  # not yet within 12 h
    _shift(team, owner, hours=5, assignee=teammate, title="Filled")
    with django_capture_on_commit_callbacks(execute=True):
        assert runs.runs_tick()["watched"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert runs.runs_tick()["watched"] == 0
    assert [m.to for m in sms.outbox] == [owner.phone]
    assert sms.outbox[0].body.startswith("Shift Door at ")
    assert install.runs.get().trigger_data["shift_id"] == soon.pk


def test_a_missed_clock_in_alerts_the_managers_once(
    catalogue, team, owner, teammate, django_capture_on_commit_callbacks
):
    from workforce.services import attendance

    install_action(team, owner, "missed-clock-in-alert", settings={"minutes_late": 10})
    late = _shift(team, owner, hours=-0.5, assignee=teammate, status="published", title="Early")
    clocked = _shift(team, owner, hours=-0.5, assignee=owner, status="published", title="Clocked")
    attendance.attendance_clock(
        team=team, user=owner, status="start", event_id=clocked.event_id, enforce_settings=False
    )
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        runs.runs_tick()
        runs.runs_tick()
    alerts = [m for m in sms.outbox if m.body.startswith("No clock-in yet")]
    assert len(alerts) == 1
    assert "Early" in alerts[0].body
    assert late.pk


# --- activities -------------------------------------------------------------------------------------------------------


def test_a_group_text_goes_to_each_tagged_member(catalogue, team, owner, django_capture_on_commit_callbacks):
    cooks = [UserFactory() for _ in range(2)]
    for user in cooks:
        MembershipFactory(team=team, user=user, tags=["Kitchen"])
    MembershipFactory(team=team, user=UserFactory(), tags=["bar"])
    install = install_action(
        team, owner, "text-members", settings={"to": "group", "group": "tag:kitchen", "message": "Deep clean"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        runs.run_now(install=install, trigger_data={}, by=None)
    assert sorted(m.to for m in sms.outbox) == sorted(u.phone for u in cooks)


def test_a_weekly_template_fills_next_week_once_with_progress(
    catalogue, team, owner, teammate, django_capture_on_commit_callbacks
):
    team.timezone = "Europe/Moscow"
    team.save()
    template = [
        {"day": "monday", "start": "07:00", "end": "15:00", "title": "Open", "count": 2},
        {"day": "friday", "start": "22:00", "end": "06:00", "title": "Night", "assignee_id": teammate.pk},
    ]
    install = install_action(team, owner, "weekly-shift-template", settings={"shifts": template})
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            run = runs.run_now(install=install, trigger_data={}, by=owner)
    shifts = list(Shift.objects.filter(team=team).order_by("start_at"))
    assert [s.title for s in shifts] == ["Open", "Open", "Night"]
    moscow = shift_services.team_zone(team)
    monday = shifts[0].start_at.astimezone(moscow)
    assert (monday.weekday(), monday.hour) == (0, 7)
    assert monday.date() > datetime.date.today()
    night = shifts[2]
    assert (night.end_at - night.start_at) == datetime.timedelta(hours=8)
    assert night.assignee == teammate
    run.refresh_from_db()
    assert run.result == {"created": 0, "already_there": 3, "refused": []}
    assert run.progress == 100
    assert install.runs.order_by("pk").first().result["created"] == 3


def test_a_template_of_bad_shapes_is_422_per_item(catalogue, team, owner, outsider):
    from core.exceptions import ValidationFailed

    shifts = [
        {"day": "someday", "start": "7am", "end": "15:00"},
        {"day": "monday", "start": "07:00", "end": "08:00", "assignee_id": outsider.pk},
    ]
    with pytest.raises(ValidationFailed) as caught:
        install_action(team, owner, "weekly-shift-template", settings={"shifts": shifts})
    details = caught.value.details
    assert "settings.shifts.0.day" in details
    assert "settings.shifts.0.start" in details


def test_approved_hours_are_emailed_as_the_payroll_csv(
    catalogue, team, owner, teammate, django_capture_on_commit_callbacks
):
    today = datetime.date.today()
    last_week = today - datetime.timedelta(days=7)
    Timesheet.objects.create(
        team=team, user=teammate, resource_type="User", resource_id=teammate.pk, start_date=last_week,
        end_date=last_week, status=Timesheet.Status.APPROVED, decided_by=owner, decided_at=timezone.now(),
    )  # fmt: skip
    install = install_action(team, owner, "email-approved-timesheets", settings={"period": "last_7_days"})
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_now(install=install, trigger_data={}, by=owner)
    message = mail.outbox[0]
    assert message.to == [owner.email]
    filename, content, mimetype = message.attachments[0]
    assert filename.endswith(".csv")
    assert mimetype == "text/csv"
    lines = content.strip().splitlines()
    assert lines[0].startswith("Employee,Email,Phone,Team,From,To,Worked hours")
    assert len(lines) == 2
    assert teammate.email in lines[1]
    run.refresh_from_db()
    assert run.result["rows"] == 1
    assert run.progress == 100
    assert HistoryEntry.objects.filter(run=run, name="run succeeded").exists()


# --- templated multicasts (issue 13's service) ---------------------------------------------------------------------


def test_a_scheduled_multicast_reaches_each_member_of_the_group_once(
    catalogue, team, owner, django_capture_on_commit_callbacks
):
    from messaging.models import Multicast
    from tests.factories import IndividualGroupFactory, MessageTemplateFactory

    MessageTemplateFactory(team=team, template_id="shift-reminder")
    cooks = [UserFactory(first_name=name) for name in ("Ann", "Bob")]
    group = IndividualGroupFactory(team=team, name="Kitchen")
    for user in cooks:
        group.members.add(MembershipFactory(team=team, user=user))
    install = install_action(
        team,
        owner,
        "multicast-template",
        settings={"template_id": "shift-reminder", "params": {"start": "9:00"}, "to": "group", "group": "kitchen"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_now(install=install, trigger_data={}, by=owner)
    run.refresh_from_db()
    assert run.status == Status.SUCCEEDED, run.error
    multicast = Multicast.objects.get(uid=run.result["multicast"])
    assert multicast.individual_group == group
    assert multicast.data == {"start": "9:00"}
    texts = sorted(m.body for m in sms.outbox if m.to in {u.phone for u in cooks})
    assert texts == ["Hi Ann, your shift starts 9:00.", "Hi Bob, your shift starts 9:00."]


def test_a_published_shift_multicasts_to_its_employee_with_the_trigger_data(
    catalogue, team, owner, teammate, django_capture_on_commit_callbacks
):
    from messaging.models import Multicast
    from tests.factories import MessageTemplateFactory

    MessageTemplateFactory(team=team, template_id="shift-reminder")
    install = install_action(
        team,
        owner,
        "multicast-shift-published",
        settings={"template_id": "shift-reminder", "params": {"start": "{start_at}"}},
    )
    shift = _shift(team, owner, assignee=teammate)
    with django_capture_on_commit_callbacks(execute=True):
        shift_services.shift_publish(shift=shift, by=owner)
    run = install.runs.get()
    assert run.status == Status.SUCCEEDED, run.error
    multicast = Multicast.objects.get(uid=run.result["multicast"])
    assert multicast.data == {"start": shift.start_at.isoformat()}
    assert multicast.individual.user == teammate


def test_multicast_settings_are_checked_against_the_template(catalogue, team, owner):
    from core.exceptions import ValidationFailed
    from tests.factories import MessageTemplateFactory

    MessageTemplateFactory(team=team, template_id="shift-reminder")
    for settings, field in [
        ({"template_id": "no-such"}, "settings.template_id"),
        ({"template_id": "shift-reminder", "params": {"colour": "red"}}, "settings.params.colour"),
        ({"template_id": "shift-reminder", "to": "group", "group": "Nobody"}, "settings.group"),
    ]:
        with pytest.raises(ValidationFailed) as caught:
            install_action(team, owner, "multicast-template", settings=settings)
        assert field in caught.value.details, caught.value.details
    install = install_action(team, owner, "multicast-template", settings={"template_id": "shift-reminder"})
    with pytest.raises(ValidationFailed) as caught:
        runs.run_now(install=install, trigger_data={}, by=owner)  # `start` is missing to run it
    assert "settings.params.start" in caught.value.details
