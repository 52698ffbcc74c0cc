"""The shared response cache of the polled shift lists (workforce.services.shift_cache, DESIGN.md §6).

A shared backend is needed for caching at all; these tests use Django's database cache (shared by every process, and
available on SQLite and PostgreSQL alike) and, with REDIS_URL, production's Redis backend as well. Each writer of
Shift/ShiftRequest must make the next GET fresh: the test
primes the cache, writes through the service (its on_commit bump runs), and compares the next answer with one
computed with the cache off.
"""

import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from automations import services as automation_services
from automations.demo.builder import DemoBuilder, demo_plan
from tests.helpers import redis_cache_cleanup, redis_cache_settings, user_client
from tests.workforce.shifts_support import BASE, make_shift
from workforce.models import Shift
from workforce.services import shift_cache
from workforce.services import shift_requests as request_services
from workforce.services import shifts as shift_services

pytestmark = pytest.mark.django_db

MANAGER = f"{BASE}/manager/shifts"
EMPLOYEE = f"{BASE}/shifts"
CACHE_TABLE = "test_shift_list_cache"
DEMO_OPTIONS = {"number_of_team_members": 3, "number_of_shifts": 12}
SAME_HEADERS = ("Content-Type", "X-Total-Count", "Link", "Allow")


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings):
    """Each test twice: Django's database cache, and production's Redis (core.cache.ReusingRedisCache, whose tracked
    reads answer the version and the page from this process's copies)."""
    if request.param == "redis":
        prefix = f"test-shifts-{uuid.uuid4().hex}"
        settings.CACHES = redis_cache_settings(prefix)
        assert shift_cache.enabled()
        yield settings
        redis_cache_cleanup(prefix)
        return
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}}
    call_command("createcachetable", CACHE_TABLE, verbosity=0)
    assert shift_cache.enabled()
    yield settings


@pytest.fixture
def employee_client(teammate):
    return user_client(teammate)


def uncached(client, url, monkeypatch, **params):
    with monkeypatch.context() as patch:
        patch.setattr(shift_cache, "enabled", lambda: False)
        return client.get(url, params)


def shift_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if "workforce_shift" in q["sql"]]


def assert_fresh(client, url, monkeypatch, before: bytes, **params):
    """The next GET answers what the database says now (not the primed entry), and that differs from `before`."""
    response = client.get(url, params)
    assert response.status_code == 200
    assert response.content == uncached(client, url, monkeypatch, **params).content
    assert response.content != before
    return response


# --- the cache itself --------------------------------------------------------------------------------------------


def test_locmem_cache_means_no_response_caching(tommy_client, team, owner):
    assert not shift_cache.enabled()  # the test settings' LocMem: one per process, never shared
    shift = make_shift(team, owner, title="Before")
    assert tommy_client.get(MANAGER).json()[0]["title"] == "Before"
    Shift.objects.filter(pk=shift.pk).update(title="Changed behind the services' back")
    with CaptureQueriesContext(connection) as captured:
        response = tommy_client.get(MANAGER)
    assert response.json()[0]["title"] == "Changed behind the services' back"
    assert shift_queries(captured.captured_queries)


def test_a_warm_hit_runs_no_shift_query_and_serves_the_same_bytes(shared_cache, tommy_client, team, owner):
    for day in range(1, 4):
        make_shift(team, owner, days=day, title=f"Shift {day}", data={"n": day})
    first = tommy_client.get(MANAGER, {"per": 2})
    assert first.status_code == 200
    tommy_client.get(MANAGER, {"per": 2})  # the credential cache stamps its entry on the second sighting
    with CaptureQueriesContext(connection) as captured:
        second = tommy_client.get(MANAGER, {"per": 2})
    assert second.status_code == 200
    assert shift_queries(captured.captured_queries) == []
    if shared_cache.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        # two reads of the database cache: the caller's epoch (revocation stays immediate,
        # accounts/services/credential_cache.py) and the list; no credential query
        assert len(captured.captured_queries) == 2, [q["sql"][:80] for q in captured.captured_queries]
        assert all("cache_key" in query["sql"] for query in captured.captured_queries)
    else:  # Redis: the epoch, the version and the page all from this process's tracked copies
        assert captured.captured_queries == []
    assert second.content == first.content
    for name in SAME_HEADERS:
        assert second.get(name) == first.get(name), name
    assert second["X-Total-Count"] == "3"


def test_cached_and_uncached_answers_are_byte_identical(shared_cache, tommy_client, team, owner, monkeypatch):
    make_shift(team, owner, title="A", assignee=owner, status="published")
    make_shift(team, owner, hours=12, title="B")
    cold = uncached(tommy_client, MANAGER, monkeypatch, per=1, page=2)
    tommy_client.get(MANAGER, {"per": 1, "page": 2})  # stores
    warm = tommy_client.get(MANAGER, {"per": 1, "page": 2})
    assert warm.content == cold.content
    for name in SAME_HEADERS:
        assert warm.get(name) == cold.get(name), name
    assert warm.json()[0]["shift_on_same_day"] is True


def test_the_cache_is_really_used_so_an_unannounced_write_is_not_seen(shared_cache, tommy_client, team, owner):
    """The control for the freshness tests below: a write that skips the services (no bump) is not seen."""
    shift = make_shift(team, owner, title="Before")
    tommy_client.get(MANAGER)
    Shift.objects.filter(pk=shift.pk).update(title="Behind the back")
    assert tommy_client.get(MANAGER).json()[0]["title"] == "Before"


def test_entries_are_per_viewer_and_per_query(shared_cache, tommy_client, employee_client, team, owner, teammate):
    make_shift(team, owner, title="Open", status="published")
    mine = make_shift(team, owner, hours=12, title="Mine", assignee=teammate, status="published")
    assert len(tommy_client.get(MANAGER).json()) == 2
    assert [row["id"] for row in tommy_client.get(MANAGER, {"assignee_id": teammate.pk}).json()] == [mine.pk]
    assert len(employee_client.get(EMPLOYEE).json()) == 2
    assert tommy_client.get(MANAGER, {"per": 1})["X-Total-Count"] == "2"


def test_revoked_key_is_refused_even_with_a_warm_entry(shared_cache, tommy_client, team, owner):
    from accounts.models import ApiKey
    from accounts.services.credentials import api_key_revoke

    make_shift(team, owner)
    assert tommy_client.get(MANAGER).status_code == 200
    api_key_revoke(api_key=ApiKey.objects.get(team=team, name="tests"))
    assert tommy_client.get(MANAGER).status_code == 401


def test_active_shifts_are_never_cached(shared_cache, employee_client, team, owner, teammate):
    now = timezone.now().replace(microsecond=0)
    shift_services.shift_create(
        team=team, by=owner, start_at=now - timedelta(hours=1), end_at=now + timedelta(hours=2), assignee=teammate,
        status="published", force=True,
    )  # fmt: skip
    employee_client.get(f"{EMPLOYEE}/active")
    with CaptureQueriesContext(connection) as captured:
        assert len(employee_client.get(f"{EMPLOYEE}/active").json()) == 1
    assert shift_queries(captured.captured_queries)


# --- every writer makes the next GET fresh -----------------------------------------------------------------------


def test_shift_create_update_assign_publish_delete(
    shared_cache, tommy_client, team, owner, teammate, monkeypatch, django_capture_on_commit_callbacks
):
    before = tommy_client.get(MANAGER).content
    with django_capture_on_commit_callbacks(execute=True):
        shift = make_shift(team, owner, title="Created")
    before = assert_fresh(tommy_client, MANAGER, monkeypatch, before).content
    with django_capture_on_commit_callbacks(execute=True):
        shift_services.shift_update(shift=shift, by=owner, title="Updated")
    before = assert_fresh(tommy_client, MANAGER, monkeypatch, before).content
    with django_capture_on_commit_callbacks(execute=True):
        shift_services.shift_assign(shift=shift, assignee=teammate, by=owner)
    before = assert_fresh(tommy_client, MANAGER, monkeypatch, before).content
    with django_capture_on_commit_callbacks(execute=True):
        shift_services.shift_publish(shift=shift, by=owner)
    before = assert_fresh(tommy_client, MANAGER, monkeypatch, before).content
    with django_capture_on_commit_callbacks(execute=True):
        shift_services.shift_delete(shift=shift, by=owner)
    assert assert_fresh(tommy_client, MANAGER, monkeypatch, before).json() == []


def test_employee_request_create_cancel_delete(
    shared_cache, employee_client, team, owner, teammate, monkeypatch, django_capture_on_commit_callbacks
):
    shift = make_shift(team, owner, status="published")
    before = employee_client.get(EMPLOYEE).content
    with django_capture_on_commit_callbacks(execute=True):
        request = request_services.shift_request_create(team=team, shift=shift, by=teammate)
    response = assert_fresh(employee_client, EMPLOYEE, monkeypatch, before)
    assert response.json()[0]["shift_requested"] is True
    with django_capture_on_commit_callbacks(execute=True):
        request_services.shift_request_cancel_own(request=request, by=teammate, status="canceled")
    response = assert_fresh(employee_client, EMPLOYEE, monkeypatch, response.content)
    assert response.json()[0]["shift_requested"] is False
    with django_capture_on_commit_callbacks(execute=True):
        again = request_services.shift_request_create(team=team, shift=shift, by=teammate)
    response = assert_fresh(employee_client, EMPLOYEE, monkeypatch, response.content)
    with django_capture_on_commit_callbacks(execute=True):
        request_services.shift_request_delete_own(request=again, by=teammate)
    assert assert_fresh(employee_client, EMPLOYEE, monkeypatch, response.content).json()[0]["shift_requested"] is False


def test_manager_request_create_for_and_transitions(
    shared_cache, tommy_client, employee_client, team, owner, teammate, monkeypatch, django_capture_on_commit_callbacks
):
    shift = make_shift(team, owner, status="published")
    other = make_shift(team, owner, hours=12, status="published")
    before = employee_client.get(EMPLOYEE).content
    with django_capture_on_commit_callbacks(execute=True):
        first = request_services.shift_request_create_for(team=team, shift=shift, user=teammate, by=owner)
    before = assert_fresh(employee_client, EMPLOYEE, monkeypatch, before).content
    with django_capture_on_commit_callbacks(execute=True):
        request_services.shift_request_transition(request=first, by=owner, status="rejected")
    assert_fresh(employee_client, EMPLOYEE, monkeypatch, before)

    with django_capture_on_commit_callbacks(execute=True):
        second = request_services.shift_request_create_for(team=team, shift=other, user=owner, by=owner)
    manager_before = tommy_client.get(MANAGER).content
    with django_capture_on_commit_callbacks(execute=True):
        request_services.shift_request_transition(request=second, by=owner, status="canceled")
    manager_before = assert_fresh(tommy_client, MANAGER, monkeypatch, manager_before).content
    with django_capture_on_commit_callbacks(execute=True):
        third = request_services.shift_request_create_for(team=team, shift=other, user=teammate, by=owner)
    tommy_client.get(MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        request_services.shift_request_transition(request=third, by=owner, status="approved")
    rows = assert_fresh(tommy_client, MANAGER, monkeypatch, manager_before).json()
    assert {row["id"]: row["assignee_id"] for row in rows}[other.pk] == teammate.pk


def test_demo_builder_stages_and_reset(
    shared_cache, tommy_client, team, owner, monkeypatch, django_capture_on_commit_callbacks
):
    sync = automation_services.demo_apply(team=team, user=owner, seed_type="workforce", options=DEMO_OPTIONS)
    builder = DemoBuilder(sync=sync, plan=demo_plan(seed_type="workforce", options=DEMO_OPTIONS), now=timezone.now())
    builder.add_members()
    before = tommy_client.get(MANAGER).content
    with django_capture_on_commit_callbacks(execute=True):
        builder.add_shifts()
    before = assert_fresh(tommy_client, MANAGER, monkeypatch, before).content

    members = [user_client(member) for member in builder.members]
    for client in members:
        client.get(EMPLOYEE)  # primed
    with django_capture_on_commit_callbacks(execute=True):
        assert builder.add_requests()
    for client in members:  # the members' flags may have changed: recomputed, not served from the cache
        with CaptureQueriesContext(connection) as captured:
            response = client.get(EMPLOYEE)
        assert response.status_code == 200, response.content
        assert shift_queries(captured.captured_queries)  # read before the next request resets the query log
        assert response.content == uncached(client, EMPLOYEE, monkeypatch).content

    with django_capture_on_commit_callbacks(execute=True):
        automation_services.demo_reset(team=team)
    assert assert_fresh(tommy_client, MANAGER, monkeypatch, before).json() == []


def test_a_version_bumped_while_a_miss_is_computed_is_not_stored_as_current(shared_cache, tommy_client, team, owner):
    """An answer computed from rows read before a concurrent write committed is stored under the version it read
    first, which that write replaced: it is never served."""
    shift = make_shift(team, owner, title="Old")
    real_lookup = shift_cache.lookup

    def lookup_then_concurrent_write(**kwargs):
        found = real_lookup(**kwargs)
        shift_cache._bump(team.pk)  # a write commits between the version read and the rows query
        return found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shift_cache, "lookup", lookup_then_concurrent_write)
        tommy_client.get(MANAGER)
    Shift.objects.filter(pk=shift.pk).update(title="New")
    assert tommy_client.get(MANAGER).json()[0]["title"] == "New"


def test_switched_off_every_request_is_computed(shared_cache, settings, tommy_client, team, owner):
    settings.SHIFT_LIST_CACHE = False
    make_shift(team, owner, title="A")
    tommy_client.get(MANAGER)
    with CaptureQueriesContext(connection) as captured:
        assert tommy_client.get(MANAGER).status_code == 200
    assert shift_queries(captured.captured_queries) != []
    assert not any("cache_key" in query["sql"] for query in captured.captured_queries if "wf:shifts" in query["sql"])
