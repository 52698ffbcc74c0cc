"""The beat job: one periodic task plans and dispatches reminders; running it twice sends each reminder once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app
from messaging import sms
from messaging.models import Text
from tests.workforce.notices_support import make_shift
from workforce.models import ShiftNotice, WorkforceSettings
from workforce.tasks import notices_tick_task

pytestmark = pytest.mark.django_db


def test_beat_runs_the_notices_tick_every_30_seconds_with_expiry():
    entry = app.conf.beat_schedule["workforce-notices-tick"]
    assert entry["task"] == "workforce.notices_tick_task" == notices_tick_task.name
    assert entry["schedule"] == 30.0
    assert 0 < entry["options"]["expires"] <= 30  # a tick that waited past its period is dropped, not stacked


def test_reminder_sent_exactly_once_when_the_dispatcher_runs_twice(team, teammate, django_capture_on_commit_callbacks):
    WorkforceSettings.objects.create(team=team, shift_upcoming_notification_minutes=60)
    shift = make_shift(team, teammate, timezone.now() + timedelta(minutes=30))  # the reminder is due already
    with django_capture_on_commit_callbacks(execute=True):
        notices_tick_task()
    with django_capture_on_commit_callbacks(execute=True):
        notices_tick_task.delay()  # through Celery (eager in tests), as beat sends it
    assert len(sms.outbox) == 1
    assert sms.outbox[0].to == teammate.phone
    assert Text.objects.count() == 1
    notice = ShiftNotice.objects.get(shift=shift, kind=ShiftNotice.Kind.UPCOMING)
    assert notice.status == ShiftNotice.Status.SENT
    assert notice.text_id == Text.objects.get().pk


def test_tick_with_nothing_due_sends_nothing(team, teammate, django_capture_on_commit_callbacks):
    make_shift(team, teammate, timezone.now() + timedelta(hours=6))
    with django_capture_on_commit_callbacks(execute=True):
        result = notices_tick_task()
    assert result["planned"] == 3
    assert result["sent"] == 0
    assert sms.outbox == []
