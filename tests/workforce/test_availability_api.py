"""GET /api/v1/workforce/availabilities, GET/PUT /api/v1/workforce/availabilities/{date} (the caller's own), and
the availability rule managers use when assigning (workforce.selectors)."""

import datetime

import pytest

from accounts.models import Membership
from tests.helpers import assert_tommy_error, user_client
from workforce.models import Availability
from workforce.selectors import availability_on, is_unavailable, unavailable_on

pytestmark = pytest.mark.django_db
URL = "/api/v1/workforce/availabilities"
DAY = datetime.date(2030, 3, 4)


@pytest.fixture
def me(team, teammate):
    return user_client(teammate)


def test_put_creates_then_updates_the_days_record(me, team, teammate):
    response = me.put(f"{URL}/{DAY}", {"am": 2, "pm": 1, "nd": 0, "date": "1999-01-01"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    membership = Membership.objects.get(team=team, user=teammate)
    assert body["date"] == "2030-03-04"  # the path wins over the body
    assert (body["am"], body["pm"], body["nd"], body["user_id"], body["team_id"]) == (2, 1, 0, teammate.pk, team.pk)
    assert body["employee_id"] == membership.pk
    assert body["am_locked"] is False
    response = me.put(f"{URL}/{DAY}/", {"nd": 3}, format="json")
    assert response.status_code == 200, response.content
    record = Availability.objects.get(team=team, user=teammate)
    assert (record.date, record.am, record.pm, record.nd) == (DAY, 2, 1, 3)
    assert response.json()["id"] == body["id"] == record.pk


def test_get_one_and_list_show_only_my_records(me, team, teammate, owner):
    mine = Availability.objects.create(team=team, user=teammate, date=DAY, am=1)
    Availability.objects.create(team=team, user=owner, date=DAY, am=2)
    Availability.objects.create(team=team, user=teammate, date=DAY + datetime.timedelta(days=1))
    response = me.get(f"{URL}/{DAY}")
    assert response.status_code == 200, response.content
    assert (response.json()["id"], response.json()["am"]) == (mine.pk, 1)
    listed = me.get(URL).json()
    assert [row["date"] for row in listed] == ["2030-03-04", "2030-03-05"]
    assert {row["user_id"] for row in listed} == {teammate.pk}


def test_a_day_without_a_record_is_404(me):
    assert_tommy_error(me.get(f"{URL}/{DAY}"), 404)


@pytest.mark.parametrize("size", [2, 12])
def test_list_query_count_is_constant(me, team, teammate, size, django_assert_max_num_queries):
    Availability.objects.bulk_create(
        Availability(team=team, user=teammate, date=DAY + datetime.timedelta(days=n)) for n in range(size)
    )
    me.get(URL)
    with django_assert_max_num_queries(6):
        response = me.get(URL)
    assert len(response.json()) == size


def test_a_locked_slot_cannot_be_changed_by_the_employee(me, team, teammate):
    Availability.objects.create(team=team, user=teammate, date=DAY, am=2, pm=2, am_locked=True)
    body = assert_tommy_error(me.put(f"{URL}/{DAY}", {"am": 0, "pm": 0}, format="json"), 422)
    assert "am" in body["details"]
    assert "pm" not in body["details"]
    record = Availability.objects.get(team=team, user=teammate, date=DAY)
    assert (record.am, record.pm) == (2, 2)  # nothing written, not even the unlocked slot
    # echoing the locked value is fine, and the unlocked slot changes
    response = me.put(f"{URL}/{DAY}", {"am": 2, "am_locked": True, "pm": 0}, format="json")
    assert response.status_code == 200, response.content
    assert Availability.objects.get(pk=record.pk).pm == 0


def test_the_employee_cannot_change_a_lock_flag(me, team, teammate):
    Availability.objects.create(team=team, user=teammate, date=DAY, nd_locked=True)
    body = assert_tommy_error(me.put(f"{URL}/{DAY}", {"nd_locked": False}, format="json"), 422)
    assert "nd_locked" in body["details"]
    assert Availability.objects.get(team=team, user=teammate).nd_locked is True
    body = assert_tommy_error(
        me.put(f"{URL}/{DAY + datetime.timedelta(days=1)}", {"am_locked": True}, format="json"), 422
    )
    assert "am_locked" in body["details"]
    assert Availability.objects.count() == 1  # the refused upsert created nothing


@pytest.mark.parametrize("body", [{"am": -1}, {"pm": 101}, {"nd": "high"}, {"am_locked": "perhaps"}])
def test_invalid_body_is_422(me, body):
    out = assert_tommy_error(me.put(f"{URL}/{DAY}", body, format="json"), 422)
    assert set(body) <= set(out["details"])
    assert not Availability.objects.exists()


@pytest.mark.parametrize("raw", ["2030-13-01", "tomorrow", "04.03.2030"])
def test_malformed_date_in_path_is_422(me, raw):
    assert assert_tommy_error(me.get(f"{URL}/{raw}"), 422)["details"].keys() == {"date"}
    assert_tommy_error(me.put(f"{URL}/{raw}", {"am": 1}, format="json"), 422)
    assert not Availability.objects.exists()


def test_unauthenticated_is_401(client):
    assert_tommy_error(client.get(URL), 401)
    assert_tommy_error(client.get(f"{URL}/{DAY}"), 401)
    assert_tommy_error(client.put(f"{URL}/{DAY}", {"am": 1}, format="json"), 401)


def test_another_teams_record_is_404_and_untouched(me, team, other_team, outsider, teammate):
    theirs = Availability.objects.create(team=other_team, user=outsider, date=DAY, am=3)
    assert_tommy_error(me.get(f"{URL}/{DAY}"), 404)
    assert me.get(URL).json() == []
    me.put(f"{URL}/{DAY}", {"am": 1}, format="json")
    theirs.refresh_from_db()
    assert theirs.am == 3
    assert Availability.objects.get(team=team, user=teammate).am == 1
    assert user_client(outsider).get(f"{URL}/{DAY}").json()["id"] == theirs.pk


def test_same_user_keeps_one_record_per_team(team, other_team, teammate):
    Membership.objects.create(team=other_team, user=teammate, status=Membership.Status.MEMBER)
    user_client(teammate).put(f"{URL}/{DAY}", {"am": 1}, format="json")
    assert list(Availability.objects.values_list("team_id", flat=True)) == [team.pk]  # the current team only


def test_delete_is_not_routed_405(me, team, teammate):
    Availability.objects.create(team=team, user=teammate, date=DAY)
    assert_tommy_error(me.delete(f"{URL}/{DAY}"), 405)
    assert_tommy_error(me.post(URL, {"date": str(DAY)}, format="json"), 405)
    assert Availability.objects.count() == 1


# --- the rule managers use when assigning ------------------------------------------------------------------------


def test_unavailable_means_a_record_with_every_slot_zero(team, teammate, owner):
    assert availability_on(team, teammate, DAY) is None
    assert unavailable_on(team, teammate, DAY) is False  # no record: not said
    Availability.objects.create(team=team, user=teammate, date=DAY)
    assert unavailable_on(team, teammate, DAY) is True
    Availability.objects.create(team=team, user=owner, date=DAY, nd=1)
    assert unavailable_on(team=team, user=owner, date=DAY) is False
    assert is_unavailable(None) is False


def test_availability_on_takes_a_datetime_by_its_local_date(team, teammate):
    record = Availability.objects.create(team=team, user=teammate, date=DAY)
    moment = datetime.datetime.combine(DAY, datetime.time(12), tzinfo=datetime.UTC)
    assert availability_on(team=team, user=teammate, date=moment) == record
