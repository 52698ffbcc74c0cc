"""Two beat processes running by mistake, or a dispatcher run twice, still run each due run once (issue 14 §2).

Real concurrency on PostgreSQL: dispatchers in threads, each with its own connection and committed transactions
(transaction=True), released together. SQLite serialises writers, so there is no race to prove there; CI runs
PostgreSQL. Tasks run eagerly in the dispatching thread after its commit, so every SMS a run sends is in the locmem
outbox: one per due run means each run ran once.
"""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from automations.models import ActionRun
from automations.services import installs as install_services
from automations.services import runs
from messaging import sms
from tests.automations.automation_support import install_action
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
INSTALLS = 12


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def due_world(catalogue):
    """INSTALLS interval installs (each with a due run) and as many one-off runs, all due now."""
    team = TeamFactory()
    owner, member = UserFactory(), UserFactory()
    MembershipFactory(team=team, user=owner, status="owner", is_manager=True)
    MembershipFactory(team=team, user=member)
    installs = []
    for index in range(INSTALLS):
        install = install_action(team, owner, "text-members", settings={"member_id": member.pk, "message": f"#{index}"})
        install_services.install_update(
            install=install, by=None, schedule={"interval": {"every": 1, "period": "hours"}}
        )
        ActionRun.objects.create(
            team=team,
            install=install,
            source="later",
            trigger="manual",
            due_at=timezone.now() - datetime.timedelta(seconds=1),
        )
        installs.append(install)
    # make the planted interval runs due too
    ActionRun.objects.filter(source="schedule").update(due_at=timezone.now() - datetime.timedelta(seconds=1))
    return installs


def _together(jobs):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as exc:  # reported by the assertion below
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a dispatcher hung"
    return results


def test_concurrent_dispatchers_run_each_due_run_once(due_world):
    due = ActionRun.objects.filter(status="scheduled", due_at__lte=timezone.now()).count()
    assert due == 2 * INSTALLS
    now = timezone.now()
    results = _together([lambda: runs.runs_dispatch(now=now, limit=5) for _ in range(4)])
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == due  # every due run claimed by exactly one dispatcher
    assert runs.runs_dispatch(now=now) == 0  # and a dispatcher run again finds nothing
    executed = ActionRun.objects.filter(status="succeeded")
    assert executed.count() == due
    assert set(executed.values_list("attempts", flat=True)) == {1}
    assert len(sms.outbox) == due
    # each recurring install got exactly one next occurrence, an hour after the claimed one
    for install in due_world:
        planted = ActionRun.objects.filter(install=install, status="scheduled")
        assert planted.count() == 1, list(planted.values("due_at", "dedupe_key"))


def test_workers_racing_for_one_queued_run_run_it_once(due_world):
    install = due_world[0]
    run = ActionRun.objects.create(
        team=install.team, install=install, source="manual", trigger="manual", due_at=timezone.now(), status="queued"
    )
    results = _together([lambda: runs.run_execute(run_id=run.pk) for _ in range(4)])
    assert sorted(results) == ["skipped", "skipped", "skipped", "succeeded"]
    assert len(sms.outbox) == 1
