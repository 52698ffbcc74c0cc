"""GET /courier/v1/organizations/ and /organizations/{id}/: the caller's teams as `organizations`."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Membership
from accounts.services.credentials import auth_token_issue
from tests.courier.conftest import errors_of
from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db

URL = "/courier/v1/organizations/"


def test_list_shows_only_the_callers_team(bearer_client, team, other_team):
    response = bearer_client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["data"]] == [str(team.uid)]
    item = body["data"][0]
    assert item["type"] == "organizations"
    assert item["attributes"]["name"] == "Acme Crew"
    assert item["attributes"]["display-name"] == "Acme Crew"
    assert item["attributes"]["timezone"] == team.timezone
    assert item["attributes"]["last-modified-time"].endswith("Z")
    assert body["meta"] == {"page[limit]": 100, "page[offset]": 0, "page[total]": 1}


def test_list_filters_by_name(owner, team):
    second = TeamFactory(name="Night Shift")
    MembershipFactory(team=second, user=owner, status=Membership.Status.MEMBER)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {auth_token_issue(user=owner)[1]}")

    both = api.get(URL).json()["data"]
    filtered = api.get(URL, {"filter[name]": "Night Shift"}).json()["data"]

    assert {item["id"] for item in both} == {str(team.uid), str(second.uid)}
    assert [item["id"] for item in filtered] == [str(second.uid)]


def test_unknown_filter_is_400_pointing_at_the_parameter(bearer_client):
    response = bearer_client.get(URL, {"filter[colour]": "red"})

    assert response.status_code == 400
    assert errors_of(response)[0]["source"] == {"parameter": "filter[colour]"}


@pytest.mark.parametrize(("param", "value"), [("page[limit]", "0"), ("page[limit]", "1001"), ("page[offset]", "-1")])
def test_page_bounds_are_validated(bearer_client, param, value):
    response = bearer_client.get(URL, {param: value})

    assert response.status_code == 400
    assert errors_of(response)[0]["source"] == {"parameter": param}


def test_retrieve_own_organization(bearer_client, team):
    response = bearer_client.get(f"{URL}{team.uid}/")

    assert response.status_code == 200
    assert response.json()["data"]["id"] == str(team.uid)
    assert response.json()["meta"] == {}


def test_another_teams_organization_is_404(bearer_client, other_team):
    response = bearer_client.get(f"{URL}{other_team.uid}/")

    assert response.status_code == 404
    assert errors_of(response)[0]["code"] == "NOT_FOUND"


def test_unauthenticated_is_401_in_envelope(client, team):
    response = client.get(URL)

    assert response.status_code == 401
    assert errors_of(response)[0]["code"] == "UNAUTHORIZED"


@pytest.mark.parametrize("teams", [1, 6])
def test_list_query_count_is_constant(owner, teams, django_assert_max_num_queries):
    for _ in range(teams):
        MembershipFactory(team=TeamFactory(), user=owner)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {auth_token_issue(user=owner)[1]}")

    with django_assert_max_num_queries(6):
        response = api.get(URL)

    assert len(response.json()["data"]) == teams + 1
