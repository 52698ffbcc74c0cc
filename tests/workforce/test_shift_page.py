"""The polled shift lists' hand-written page (workforce.services.shift_page) answers exactly what the ORM read path
(`shifts_annotated` + `mark_same_day`, used for single shifts) answers: same rows, order, values, flags and totals,
for both scopes, every filter and past the last page."""

import datetime
import itertools

import orjson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Membership
from api.tommy.serializers.workforce_shifts import ShiftFilter
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import user_client
from tests.workforce.shifts_support import BASE, at, make_shift
from workforce.models import Shift, ShiftRequest
from workforce.services import shift_page
from workforce.services import shifts as shift_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(team, owner, teammate, other_team, outsider):
    """A team in a timezone with DST, shifts in every status, assigned to the viewer, to others and to nobody, with
    live and dead requests by the viewer and by others; another team's shifts that must never appear."""
    team.timezone = "America/New_York"
    team.save(update_fields=["timezone"])
    colleague = UserFactory()
    MembershipFactory(team=team, user=colleague, status=Membership.Status.MEMBER)
    shifts = []
    for n in range(14):
        assignee = [None, teammate, colleague, owner][n % 4]
        status = "published" if n % 3 else None
        shift = make_shift(
            team, owner, days=n // 3, hours=3 + 7 * (n % 3), assignee=assignee, status=status, force=True,
            title=f"Shift {n}", data={"n": n, "tags": ["a", n]}, location_id=n, role="Cook" if n % 2 else "",
        )  # fmt: skip
        shifts.append(shift)
    for shift, who, status in [
        (shifts[0], teammate, ShiftRequest.Status.REQUESTED),
        (shifts[3], teammate, ShiftRequest.Status.REJECTED),
        (shifts[4], teammate, ShiftRequest.Status.SHORTLISTED),
        (shifts[6], colleague, ShiftRequest.Status.REQUESTED),
        (shifts[8], owner, ShiftRequest.Status.APPROVED),
    ]:
        ShiftRequest.objects.create(team=team, shift=shift, user=who, requestor=who, status=status)
    make_shift(other_team, outsider, days=1, status="published")
    return {"team": team, "viewers": {"manager": owner, "employee": teammate}}


FILTERS = [
    {},
    {"status": "published"},
    {"status": "open"},
    {"assignee_id": "PLACEHOLDER"},
    {"start_after": at(1, 0).isoformat()},
    {"start_before": at(3, 0).isoformat()},
    {"start_after": at(1, 0).isoformat(), "start_before": at(3, 0).isoformat(), "status": "published"},
]


def orm_page(team, viewer, *, employee, data, offset, limit):
    queryset = Shift.objects.for_team(team)
    if employee:
        queryset = shift_services.shifts_visible_to_employee(queryset, user=viewer)
    filterset = ShiftFilter(data=data, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    annotated = shift_services.shifts_annotated(filterset.qs, viewer=viewer)
    rows = [dict(row) for row in annotated[offset : offset + limit]]
    return shift_services.mark_same_day(rows, viewer=viewer, team=team), filterset.qs.count()


def raw_page(team, viewer, *, employee, data, offset, limit):
    filterset = ShiftFilter(data=data, queryset=Shift.objects.none())
    assert filterset.is_valid(), filterset.errors
    conditions = [
        shift_page.Condition(filterset.filters[name].field_name, filterset.filters[name].lookup_expr, value)
        for name, value in filterset.form.cleaned_data.items()
        if value not in (None, "")
    ]
    return shift_page.shift_page(
        team_id=team.pk,
        zone=shift_services.team_zone(team),
        viewer_id=viewer.pk,
        employee=employee,
        conditions=conditions,
        offset=offset,
        limit=limit,
    )


@pytest.mark.parametrize(
    ("scope", "filters", "offset"), list(itertools.product(["manager", "employee"], FILTERS, [0, 4, 40]))
)
def test_the_page_equals_the_orm_read_path(roster, scope, filters, offset):
    team, viewer = roster["team"], roster["viewers"][scope]
    data = {k: (str(viewer.pk) if v == "PLACEHOLDER" else v) for k, v in filters.items()}
    args = {"employee": scope == "employee", "data": data, "offset": offset, "limit": 4}
    expected_rows, expected_total = orm_page(team, viewer, **args)
    rows, total = raw_page(team, viewer, **args)
    assert total == expected_total
    # `data` comes as the stored JSON text (an orjson.Fragment the renderer copies): equal once rendered
    assert [orjson.loads(orjson.dumps(row["data"])) for row in rows] == [row["data"] for row in expected_rows]
    assert all(isinstance(row.pop("data"), orjson.Fragment) for row in rows)
    assert rows == [{name: value for name, value in row.items() if name != "data"} for row in expected_rows]
    for row, expected in zip(rows, expected_rows, strict=True):
        assert {name: type(value) for name, value in row.items()} == {
            name: type(value) for name, value in expected.items() if name != "data"
        }
        assert row["start_at"].utcoffset() == datetime.timedelta(0)


def test_the_fixture_exercises_both_flags_both_ways(roster):
    team, viewer = roster["team"], roster["viewers"]["employee"]
    rows, total = raw_page(team, viewer, employee=False, data={}, offset=0, limit=100)
    assert total == 14
    assert {row["shift_requested"] for row in rows} == {True, False}
    assert {row["shift_on_same_day"] for row in rows} == {True, False}


def test_an_empty_first_page_costs_no_count(roster, team):
    with CaptureQueriesContext(connection) as captured:
        data = {"start_after": at(400).isoformat()}
        rows, total = raw_page(team, roster["viewers"]["manager"], employee=False, data=data, offset=0, limit=10)
    assert (rows, total) == ([], 0)
    assert len(captured.captured_queries) == 1


def test_a_page_and_its_total_come_in_one_query(roster):
    with CaptureQueriesContext(connection) as captured:
        rows, total = raw_page(roster["team"], roster["viewers"]["manager"], employee=False, data={}, offset=0, limit=5)
    assert (len(rows), total) == (5, 14)
    # the page with its total, and the viewer's own shifts around it (for shift_on_same_day): in the same statement
    # on PostgreSQL, in a second one elsewhere
    assert len(captured.captured_queries) == (1 if connection.vendor == "postgresql" else 2)
    assert "COUNT(*)" in captured.captured_queries[0]["sql"]


def test_each_listed_shift_equals_its_own_read(roster, tommy_client, teammate):
    """End to end: every row of both lists is byte-for-byte what GET …/shifts/{id} answers (the ORM path)."""
    for client, list_url in [(tommy_client, f"{BASE}/manager/shifts"), (user_client(teammate), f"{BASE}/shifts")]:
        listed = client.get(list_url, {"per": 100}).json()
        assert listed
        for row in listed:
            assert client.get(f"{list_url}/{row['id']}").json() == row


def test_a_page_number_past_any_offset_is_a_422_not_a_database_error(tommy_client):
    response = tommy_client.get(f"{BASE}/manager/shifts", {"page": "9" * 20})
    assert response.status_code == 422
    assert response.json()["details"]["page"]
