"""`shift_on_same_day` compares local days in the team's timezone, with one query for the whole page."""

import datetime

import pytest

from tests.workforce.shifts_support import make_shift

HOUR = datetime.timedelta(hours=1)

pytestmark = pytest.mark.django_db


def moscow_team(team):
    team.timezone = "Europe/Moscow"  # UTC+3 all year
    team.save(update_fields=["timezone"])
    return team


def test_same_local_day_across_utc_midnight(tommy_client, team, owner):
    moscow_team(team)
    # 22:00 UTC = 01:00 next day in Moscow; 06:00 UTC next day = 09:00 in Moscow: the same Moscow day.
    mine = make_shift(team, owner, days=1, hours=22, length=2, assignee=owner)
    other = make_shift(team, owner, days=2, hours=6, length=4)

    rows = {row["id"]: row for row in tommy_client.get("/api/v1/workforce/manager/shifts").json()}

    assert rows[other.pk]["shift_on_same_day"] is True
    assert rows[mine.pk]["shift_on_same_day"] is False  # its own shift does not count


def test_same_utc_day_but_different_local_days(tommy_client, team, owner):
    moscow_team(team)
    # 20:00 UTC = 23:00 Moscow; 21:30 UTC = 00:30 next day in Moscow: same UTC day, different Moscow days.
    make_shift(team, owner, days=1, hours=20, length=1, assignee=owner)
    later = make_shift(team, owner, days=1, hours=21.5, length=1)

    rows = {row["id"]: row for row in tommy_client.get("/api/v1/workforce/manager/shifts").json()}

    assert rows[later.pk]["shift_on_same_day"] is False


def test_flag_costs_one_query_whatever_the_page_size(tommy_client, team, owner, django_assert_max_num_queries):
    for day in range(3):
        make_shift(team, owner, days=day + 1, assignee=owner)
    tommy_client.get("/api/v1/workforce/manager/shifts")  # the credential's once-a-minute touch happens here
    tommy_client.get("/api/v1/workforce/manager/shifts")  # and the credential cache's entry is stamped here
    with django_assert_max_num_queries(5) as small:
        tommy_client.get("/api/v1/workforce/manager/shifts?per=2")
    for day in range(30):
        make_shift(team, owner, days=day + 5)
    with django_assert_max_num_queries(5) as large:
        tommy_client.get("/api/v1/workforce/manager/shifts?per=100")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_25_hour_local_day_is_one_day(tommy_client, team, owner):
    """New York's 1 November 2026 lasts 25 hours (DST ends): 00:00 and 23:30 that day are 24.5 h apart."""

    from workforce.services import shifts as shift_services

    team.timezone = "America/New_York"
    team.save(update_fields=["timezone"])
    midnight = datetime.datetime(2026, 11, 1, 4, 0, tzinfo=datetime.UTC)  # 00:00 EDT
    late = datetime.datetime(2026, 11, 2, 4, 30, tzinfo=datetime.UTC)  # 23:30 EST, the same local day
    early = shift_services.shift_create(team=team, by=owner, start_at=midnight, end_at=midnight + HOUR)
    shift_services.shift_create(team=team, by=owner, start_at=late, end_at=late + HOUR, assignee=owner, force=True)

    listed = tommy_client.get("/api/v1/workforce/manager/shifts", {"per": 1}).json()  # the early shift alone
    assert [row["id"] for row in listed] == [early.pk]
    assert listed[0]["shift_on_same_day"] is True
    single = tommy_client.get(f"/api/v1/workforce/manager/shifts/{early.pk}").json()
    assert single["shift_on_same_day"] is True
