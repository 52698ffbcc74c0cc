"""Tommy /workforce/shift_requests (employee) and /workforce/manager/shift_requests (manager)."""

import pytest

from accounts.models import Membership
from messaging import sms
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import assert_tommy_error, user_client
from tests.workforce.shifts_support import BASE, make_shift
from workforce.models import Shift, ShiftNotice, ShiftRequest

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = {"id", "user_id", "shift_id", "status", "team_id", "requestor_id"}


@pytest.fixture
def employee_client(teammate):
    return user_client(teammate)


@pytest.fixture
def open_shift(team, owner):
    return make_shift(team, owner, title="Open", status="published")


@pytest.fixture
def second_employee(team):
    user = UserFactory(first_name="Sue")
    MembershipFactory(team=team, user=user, status=Membership.Status.MEMBER)
    return user


# --- employee: create --------------------------------------------------------------------------------------------


def test_employee_requests_an_open_published_shift(employee_client, team, teammate, open_shift):
    response = employee_client.post(f"{BASE}/shift_requests", {"shift_id": open_shift.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == REQUEST_FIELDS
    assert body["status"] == "requested"
    assert (body["user_id"], body["requestor_id"], body["shift_id"], body["team_id"]) == (
        teammate.pk,
        teammate.pk,
        open_shift.pk,
        team.pk,
    )
    assert ShiftRequest.objects.filter(pk=body["id"], status="requested").exists()
    flags = employee_client.get(f"{BASE}/shifts/{open_shift.pk}").json()
    assert flags["shift_requested"] is True


def test_employee_duplicate_request_is_422(employee_client, open_shift):
    url = f"{BASE}/shift_requests"
    assert employee_client.post(url, {"shift_id": open_shift.pk}, format="json").status_code == 201
    body = assert_tommy_error(employee_client.post(url, {"shift_id": open_shift.pk}, format="json"), 422)
    assert "shift_id" in body["details"]
    assert ShiftRequest.objects.count() == 1


def test_employee_request_validation(employee_client, team, owner, teammate):
    url = f"{BASE}/shift_requests"
    assert "shift_id" in assert_tommy_error(employee_client.post(url, {}, format="json"), 422)["details"]
    unpublished = make_shift(team, owner)
    taken = make_shift(team, owner, assignee=owner, status="published")
    mine = make_shift(team, owner, assignee=teammate, status="published")
    for shift in (unpublished, taken, mine):
        assert_tommy_error(employee_client.post(url, {"shift_id": shift.pk}, format="json"), 422)
    assert not ShiftRequest.objects.exists()


def test_employee_cannot_request_another_teams_shift(employee_client, other_team, outsider):
    foreign = make_shift(other_team, outsider, status="published")
    assert_tommy_error(employee_client.post(f"{BASE}/shift_requests", {"shift_id": foreign.pk}, format="json"), 422)


def test_employee_request_paths_need_credentials(client):
    assert_tommy_error(client.post(f"{BASE}/shift_requests", {"shift_id": 1}, format="json"), 401)
    assert_tommy_error(client.put(f"{BASE}/shift_requests/1", {"status": "canceled"}, format="json"), 401)


def test_employee_request_operations_outside_the_matrix_are_405(employee_client, team, teammate, open_shift):
    request = ShiftRequest.objects.create(team=team, shift=open_shift, user=teammate, requestor=teammate)
    assert_tommy_error(employee_client.get(f"{BASE}/shift_requests"), 405)
    assert_tommy_error(employee_client.get(f"{BASE}/shift_requests/{request.pk}"), 405)


# --- employee: update / delete -----------------------------------------------------------------------------------


def test_employee_cancels_own_request(employee_client, team, teammate, open_shift):
    request = ShiftRequest.objects.create(team=team, shift=open_shift, user=teammate, requestor=teammate)
    url = f"{BASE}/shift_requests/{request.pk}"
    response = employee_client.put(url, {"status": "canceled"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "canceled"
    request.refresh_from_db()
    assert request.status == "canceled"


def test_employee_may_only_cancel(employee_client, team, teammate, open_shift):
    request = ShiftRequest.objects.create(team=team, shift=open_shift, user=teammate, requestor=teammate)
    url = f"{BASE}/shift_requests/{request.pk}"
    assert_tommy_error(employee_client.put(url, {"status": "approved"}, format="json"), 403)
    assert_tommy_error(employee_client.put(url, {"status": "nope"}, format="json"), 422)
    ShiftRequest.objects.filter(pk=request.pk).update(status="rejected")
    assert_tommy_error(employee_client.put(url, {"status": "canceled"}, format="json"), 422)
    request.refresh_from_db()
    assert request.status == "rejected"


def test_employee_cannot_touch_someone_elses_request(employee_client, team, open_shift, second_employee, outsider):
    theirs = ShiftRequest.objects.create(team=team, shift=open_shift, user=second_employee, requestor=second_employee)
    assert_tommy_error(employee_client.put(f"{BASE}/shift_requests/{theirs.pk}", {"status": "canceled"}), 404)
    assert_tommy_error(employee_client.delete(f"{BASE}/shift_requests/{theirs.pk}"), 404)
    foreign_shift = make_shift(outsider.memberships.first().team, outsider, status="published")
    foreign = ShiftRequest.objects.create(team=foreign_shift.team, shift=foreign_shift, user=outsider)
    assert_tommy_error(employee_client.delete(f"{BASE}/shift_requests/{foreign.pk}"), 404)
    assert ShiftRequest.objects.filter(pk__in=[theirs.pk, foreign.pk]).count() == 2


def test_employee_deletes_own_request_and_gets_it_back(employee_client, team, teammate, open_shift):
    request = ShiftRequest.objects.create(team=team, shift=open_shift, user=teammate, requestor=teammate)
    response = employee_client.delete(f"{BASE}/shift_requests/{request.pk}")
    assert response.status_code == 200
    assert response.json()["id"] == request.pk
    assert set(response.json()) == REQUEST_FIELDS
    assert not ShiftRequest.objects.filter(pk=request.pk).exists()


def test_employee_cannot_delete_an_approved_request(employee_client, team, teammate, open_shift):
    request = ShiftRequest.objects.create(team=team, shift=open_shift, user=teammate, status="approved")
    assert_tommy_error(employee_client.delete(f"{BASE}/shift_requests/{request.pk}"), 422)
    assert ShiftRequest.objects.filter(pk=request.pk).exists()


# --- manager -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 20])
def test_manager_list_is_team_wide_with_constant_queries(
    tommy_client, team, owner, teammate, other_team, outsider, size, django_assert_max_num_queries
):
    for _ in range(size):
        shift = make_shift(team, owner, status="published")
        ShiftRequest.objects.create(team=team, shift=shift, user=teammate, requestor=teammate)
    foreign = make_shift(other_team, outsider, status="published")
    ShiftRequest.objects.create(team=other_team, shift=foreign, user=outsider)
    tommy_client.get(f"{BASE}/manager/shift_requests")
    with django_assert_max_num_queries(7):
        response = tommy_client.get(f"{BASE}/manager/shift_requests")
    assert response.status_code == 200
    assert response["X-Total-Count"] == str(size)
    rows = response.json()
    assert len(rows) == size
    assert {row["team_id"] for row in rows} == {team.pk}
    assert set(rows[0]) == REQUEST_FIELDS


def test_manager_creates_a_request_for_an_employee(tommy_client, team, owner, teammate):
    shift = make_shift(team, owner)  # a manager may put someone forward before publishing
    body = {"user_id": teammate.pk, "shift_id": shift.pk, "status": "shortlisted"}
    response = tommy_client.post(f"{BASE}/manager/shift_requests", body, format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    assert (row["user_id"], row["requestor_id"], row["status"]) == (teammate.pk, owner.pk, "shortlisted")


def test_manager_create_validation(tommy_client, team, owner, teammate, outsider):
    shift = make_shift(team, owner)
    url = f"{BASE}/manager/shift_requests"
    assert_tommy_error(tommy_client.post(url, {"shift_id": shift.pk}, format="json"), 422)
    assert_tommy_error(tommy_client.post(url, {"user_id": outsider.pk, "shift_id": shift.pk}, format="json"), 422)
    body = {"user_id": teammate.pk, "shift_id": shift.pk, "status": "approved"}
    assert_tommy_error(tommy_client.post(url, body, format="json"), 422)
    assert not ShiftRequest.objects.exists()


def test_manager_request_paths_refuse_employees_and_strangers(client, employee_client, team, teammate, open_shift):
    request = ShiftRequest.objects.create(team=team, shift=open_shift, user=teammate, requestor=teammate)
    assert_tommy_error(employee_client.get(f"{BASE}/manager/shift_requests"), 403)
    assert_tommy_error(employee_client.put(f"{BASE}/manager/shift_requests/{request.pk}", {"status": "approved"}), 403)
    assert_tommy_error(client.get(f"{BASE}/manager/shift_requests"), 401)
    request.refresh_from_db()
    assert request.status == "requested"


def test_manager_cannot_see_another_teams_request(tommy_client, other_team, outsider):
    foreign_shift = make_shift(other_team, outsider, status="published")
    foreign = ShiftRequest.objects.create(team=other_team, shift=foreign_shift, user=outsider)
    assert_tommy_error(tommy_client.get(f"{BASE}/manager/shift_requests/{foreign.pk}"), 404)
    assert_tommy_error(tommy_client.put(f"{BASE}/manager/shift_requests/{foreign.pk}", {"status": "rejected"}), 404)
    foreign.refresh_from_db()
    assert foreign.status == "requested"


def test_manager_request_delete_is_405(tommy_client, team, teammate, open_shift):
    request = ShiftRequest.objects.create(team=team, shift=open_shift, user=teammate, requestor=teammate)
    assert_tommy_error(tommy_client.delete(f"{BASE}/manager/shift_requests/{request.pk}"), 405)
    assert ShiftRequest.objects.filter(pk=request.pk).exists()


def test_manager_shortlists_then_approves(
    tommy_client, team, teammate, second_employee, open_shift, django_capture_on_commit_callbacks
):
    mine = ShiftRequest.objects.create(team=team, shift=open_shift, user=teammate, requestor=teammate)
    other = ShiftRequest.objects.create(team=team, shift=open_shift, user=second_employee, requestor=second_employee)
    url = f"{BASE}/manager/shift_requests/{mine.pk}"
    assert tommy_client.get(url).json()["status"] == "requested"
    assert tommy_client.put(url, {"status": "shortlisted"}, format="json").json()["status"] == "shortlisted"
    with django_capture_on_commit_callbacks(execute=True):
        response = tommy_client.put(url, {"status": "approved", "user_id": teammate.pk}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    open_shift.refresh_from_db()
    # the shift was already published: it stays published, now assigned to the employee, who is told once
    assert (open_shift.assignee_id, open_shift.status) == (teammate.pk, Shift.Status.PUBLISHED)
    other.refresh_from_db()
    assert other.status == "rejected"
    assert [m.to for m in sms.outbox] == [teammate.phone]
    assert ShiftNotice.objects.get(shift=open_shift).status == "sent"


def test_manager_transition_rules(tommy_client, team, teammate, open_shift):
    request = ShiftRequest.objects.create(team=team, shift=open_shift, user=teammate, status="rejected")
    url = f"{BASE}/manager/shift_requests/{request.pk}"
    assert "status" in assert_tommy_error(tommy_client.put(url, {"status": "approved"}, format="json"), 422)["details"]
    assert_tommy_error(tommy_client.put(url, {"status": "rejected", "user_id": 999999}, format="json"), 422)
    assert_tommy_error(tommy_client.put(url, {}, format="json"), 422)
