"""Beat-driven automations with a real worker and its embedded beat on Redis (issue 14 "Done when"): a cron install
fires at its times and an interval install once per interval, each occurrence exactly once, with their history.

Beat runs the dispatcher every 5 s (config/celery.py); the cron fires every minute, so the test waits for two minute
marks (at most about two minutes); the interval is 5 s. Every run texts through the file backend, so one line per
succeeded run in the SMS file means each ran once.
"""

import datetime
import json
import os

import pytest
from django.utils import timezone

from automations.catalogue import catalogue_load_current
from automations.models import ActionRun, HistoryEntry
from automations.services import installs as install_services
from tests.automations.automation_support import install_action
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="integration: REDIS_URL is unset (a real worker needs Redis)"
    ),
    pytest.mark.django_db(transaction=True),
]


def _runs(install, status="succeeded"):
    return list(ActionRun.objects.filter(install=install, status=status).order_by("due_at"))


def test_cron_and_interval_installs_fire_at_their_times_exactly_once(celery_worker_with_beat, settings):
    settings.AUTOMATIONS_MIN_INTERVAL_SECONDS = 5
    catalogue_load_current()
    team = TeamFactory()
    owner, member = UserFactory(), UserFactory(phone="+79160007777")
    MembershipFactory(team=team, user=owner, status="owner", is_manager=True)
    MembershipFactory(team=team, user=member)
    every_minute = install_action(team, owner, "text-members", settings={"member_id": member.pk, "message": "cron"})
    every_5s = install_action(team, owner, "text-members", settings={"member_id": member.pk, "message": "interval"})
    started = timezone.now()
    install_services.install_update(install=every_minute, by=owner, schedule={"cron": "* * * * *", "timezone": "UTC"})
    install_services.install_update(
        install=every_5s, by=owner, schedule={"interval": {"every": 5, "period": "seconds"}}
    )

    worker = celery_worker_with_beat
    worker.wait_for(lambda: len(_runs(every_minute)) >= 2, timeout=150, what="two minute marks of the cron install")
    for install in (every_minute, every_5s):  # pause both, then let what is queued finish
        install.refresh_from_db()
        install_services.install_update(install=install, by=owner, installed=False)
    unfinished = ActionRun.objects.filter(status__in=("queued", "running"))
    worker.wait_for(lambda: not unfinished.exists(), timeout=30, what="queued runs to finish")

    cron_runs, interval_runs = _runs(every_minute), _runs(every_5s)
    # the cron fired at each minute mark after it was scheduled, once each
    marks = [run.due_at for run in cron_runs]
    assert all(m.second == 0 and m.microsecond == 0 for m in marks), marks
    assert [b - a for a, b in zip(marks, marks[1:], strict=False)] == [datetime.timedelta(minutes=1)] * (len(marks) - 1)
    assert marks[0] - started < datetime.timedelta(minutes=1)
    # the interval fired once per 5 s, each occurrence once (none skipped while beat ran every 5 s)
    dues = [run.due_at for run in interval_runs]
    assert len(dues) >= 10, dues
    gaps = {b - a for a, b in zip(dues, dues[1:], strict=False)}
    assert all(gap.total_seconds() % 5 == 0 for gap in gaps), gaps
    assert len(set(dues)) == len(dues)
    # exactly once: one attempt each, one text each, no failed or duplicate runs
    assert {run.attempts for run in cron_runs + interval_runs} == {1}
    assert not ActionRun.objects.filter(status="failed").exists()
    bodies = [json.loads(line)["body"] for line in worker.sent_sms()]
    assert bodies.count("cron") == len(cron_runs)
    assert bodies.count("interval") == len(interval_runs)
    # with their history
    for install, runs in ((every_minute, cron_runs), (every_5s, interval_runs)):
        succeeded = HistoryEntry.objects.filter(install=install, name="run succeeded")
        assert sorted(succeeded.values_list("run_id", flat=True)) == sorted(run.pk for run in runs)
