"""Two managers approving different requests for one shift at the same time leave exactly one approved.

Real concurrency: two threads, each with its own database connection, committed transactions (transaction=True).
PostgreSQL only (SQLite serialises writers, so there is no race to prove); CI runs PostgreSQL.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from core.exceptions import ConflictError
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.workforce.shifts_support import make_shift
from workforce.models import Shift, ShiftRequest
from workforce.services import shift_requests as request_services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def contested():
    """A published shift of a team with two managers and two employees who each requested it."""
    team = TeamFactory()
    managers = [UserFactory() for _ in range(2)]
    for manager in managers:
        MembershipFactory(team=team, user=manager, status="admin", is_manager=True)
    employees = [UserFactory() for _ in range(2)]
    for employee in employees:
        MembershipFactory(team=team, user=employee)
    shift = make_shift(team, managers[0], status="published")
    requests = [ShiftRequest.objects.create(team=team, shift=shift, user=e, requestor=e) for e in employees]
    return {"shift": shift, "managers": managers, "requests": requests}


def _run_together(*jobs):
    """Run each job in its own thread (own connection), released at once; returns each job's result or exception."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return results


def test_two_managers_approving_at_once_leave_one_approved(contested):
    jobs = [
        lambda request=request, manager=manager: request_services.shift_request_transition(
            request=request, by=manager, status="approved"
        )
        for request, manager in zip(contested["requests"], contested["managers"], strict=True)
    ]
    results = _run_together(*jobs)
    winners = [r for r in results if isinstance(r, ShiftRequest)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1, results
    assert len(losers) == 1
    assert isinstance(losers[0], ConflictError), repr(losers[0])
    shift = Shift.objects.get(pk=contested["shift"].pk)
    approved = ShiftRequest.objects.filter(shift=shift, status="approved")
    assert approved.count() == 1
    assert shift.assignee_id == approved.get().user_id
    assert ShiftRequest.objects.filter(shift=shift, status="rejected").count() == 1


def test_the_constraint_alone_answers_409_when_locks_are_bypassed(contested):
    """Without the shift lock (two raw writes racing), the unique index makes the later writer wait and fail; the
    service maps that IntegrityError to a ConflictError."""
    first, second = contested["requests"]
    first_wrote = threading.Event()

    def approve_first():
        with transaction.atomic():
            ShiftRequest.objects.filter(pk=first.pk).update(status="approved")
            first_wrote.set()
            threading.Event().wait(0.5)  # hold the row while the second writer reaches the index
        return "committed"

    def approve_second():
        first_wrote.wait(timeout=10)
        second.status = "approved"
        with transaction.atomic():
            request_services._save_guarded(second)
        return "saved"

    results = _run_together(approve_first, approve_second)
    assert results[0] == "committed"
    assert isinstance(results[1], ConflictError), repr(results[1])
    assert list(ShiftRequest.objects.filter(status="approved").values_list("pk", flat=True)) == [first.pk]
