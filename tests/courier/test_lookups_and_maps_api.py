"""courier text-number-info (lookups, cached per organization) and text-user-number-maps."""

import json

import pytest

from messaging import sms
from messaging.models import TextNumberInfo, TextUserNumberMap
from tests.courier.conftest import document, errors_of
from tests.factories import MembershipFactory, TextNumberFactory, UserFactory

pytestmark = pytest.mark.django_db

INFO = "/courier/v1/text-number-info/"
MAPS = "/courier/v1/text-user-number-maps/"


def post(api, url, resource_type, attributes):
    return api.post(url, json.dumps(document(resource_type, attributes)), content_type="application/json")


def test_lookup_is_requested_once_and_answered_from_the_cache(bearer_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = post(bearer_client, INFO, "text-number-info", {"number": "+1 202 555 0143"})
    assert first.status_code == 201, first.content
    assert first.json()["data"]["attributes"]["status"] == "pending"  # answered before Celery resolved it
    info = TextNumberInfo.objects.get()
    assert (info.status, info.type, info.carrier_name != "") == (TextNumberInfo.Status.RESOLVED, "mobile", True)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = post(bearer_client, INFO, "text-number-info", {"number": "+12025550143"})
    assert again.json()["data"]["attributes"]["status"] == "resolved"
    assert again.json()["data"]["id"] == first.json()["data"]["id"]
    assert callbacks == []  # no new lookup

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        fresh = post(bearer_client, INFO, "text-number-info", {"number": "+12025550143", "reresolve": True})
    assert fresh.json()["data"]["attributes"]["status"] == "pending"
    assert len(callbacks) == 1
    assert TextNumberInfo.objects.count() == 1


def test_a_failed_lookup_stores_the_error(bearer_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(bearer_client, INFO, "text-number-info", {"number": "+12025550000"})
    info = TextNumberInfo.objects.get()
    assert info.status == TextNumberInfo.Status.FAILED
    assert "not found" in info.error


def test_lookup_list_needs_the_number_and_is_scoped(bearer_client, outsider_bearer_client, client, team):
    TextNumberInfo.objects.create(team=team, number="+12025550143", status="resolved", type="mobile")
    response = bearer_client.get(INFO, {"number": "+12025550143"})
    assert [d["attributes"]["type"] for d in response.json()["data"]] == ["mobile"]
    assert outsider_bearer_client.get(INFO, {"number": "+12025550143"}).json()["data"] == []
    missing = bearer_client.get(INFO)
    assert missing.status_code == 400
    assert errors_of(missing)[0]["source"] == {"parameter": "number"}
    assert client.get(INFO, {"number": "+12025550143"}).status_code == 401


def test_lookup_get_one_and_other_teams_404(bearer_client, outsider_bearer_client, team):
    info = TextNumberInfo.objects.create(team=team, number="+12025550143")
    assert bearer_client.get(f"{INFO}{info.uid}/").status_code == 200
    assert outsider_bearer_client.get(f"{INFO}{info.uid}/").status_code == 404


def test_lookup_of_a_malformed_number_is_400(bearer_client):
    response = post(bearer_client, INFO, "text-number-info", {"number": "12"})
    assert response.status_code == 400
    assert errors_of(response)[0]["source"] == {"pointer": "/data/attributes/number"}


def test_lookup_list_query_count(bearer_client, team, django_assert_max_num_queries):
    TextNumberInfo.objects.create(team=team, number="+12025550143")
    for limit in (1, 100):
        with django_assert_max_num_queries(5):
            assert bearer_client.get(INFO, {"number": "+12025550143", "page[limit]": limit}).status_code == 200


# --- user number maps ----------------------------------------------------------------------------------------------


def test_map_makes_the_members_texts_go_out_from_their_number(
    bearer_client, owner, team, account, number, django_capture_on_commit_callbacks
):
    response = post(
        bearer_client,
        MAPS,
        "text-user-number-maps",
        {"number-id": str(number.uid), "organization-id": str(team.uid), "user-id": str(owner.uid)},
    )
    assert response.status_code == 201, response.content
    attributes = response.json()["data"]["attributes"]
    assert attributes == {
        "created-at": attributes["created-at"],
        "number-id": str(number.uid),
        "organization-id": str(team.uid),
        "user-id": str(owner.uid),
    }

    # The API key acts as its maker (the owner): their text goes out from the mapped number.
    with django_capture_on_commit_callbacks(execute=True):
        sent = post(
            bearer_client,
            "/courier/v1/texts/",
            "texts",
            {"account-id": str(account.uid), "message": "hi", "target": "+12025550142"},
        )
    assert sent.json()["data"]["attributes"]["from"] == number.phone_number
    assert sms.outbox[0].from_number == number.phone_number

    other = TextNumberFactory(account=account)
    again = post(bearer_client, MAPS, "text-user-number-maps", {"number-id": str(other.uid), "user-id": str(owner.uid)})
    assert again.status_code == 201
    assert TextUserNumberMap.objects.get().number == other  # one number per member: replaced


def test_map_refuses_strangers_and_other_teams_numbers(bearer_client, owner, number, other_account, outsider):
    foreign = TextNumberFactory(account=other_account)
    response = post(
        bearer_client, MAPS, "text-user-number-maps", {"number-id": str(foreign.uid), "user-id": str(owner.uid)}
    )
    assert response.status_code == 404
    assert errors_of(response)[0]["source"] == {"pointer": "/data/attributes/number-id"}
    stranger = post(
        bearer_client, MAPS, "text-user-number-maps", {"number-id": str(number.uid), "user-id": str(outsider.uid)}
    )
    assert stranger.status_code == 404
    assert errors_of(stranger)[0]["source"] == {"pointer": "/data/attributes/user-id"}
    invalid = post(bearer_client, MAPS, "text-user-number-maps", {"number-id": "nope", "user-id": str(owner.uid)})
    assert invalid.status_code == 400
    assert not TextUserNumberMap.objects.exists()


def test_map_list_filters_get_and_scope(
    bearer_client, outsider_bearer_client, client, team, owner, number, django_assert_max_num_queries
):
    mapped = TextUserNumberMap.objects.create(team=team, number=number, user=owner)
    for _ in range(3):
        user = UserFactory()
        MembershipFactory(team=team, user=user)
        TextUserNumberMap.objects.create(team=team, number=number, user=user)
    for limit in (1, 100):
        with django_assert_max_num_queries(5):
            listed = bearer_client.get(MAPS, {"page[limit]": limit})
        assert len(listed.json()["data"]) == min(limit, 4)
    by_user = bearer_client.get(MAPS, {"filter[user-id]": str(owner.uid)}).json()["data"]
    assert [d["id"] for d in by_user] == [str(mapped.uid)]
    assert bearer_client.get(f"{MAPS}{mapped.uid}/").status_code == 200
    assert outsider_bearer_client.get(f"{MAPS}{mapped.uid}/").status_code == 404
    assert outsider_bearer_client.get(MAPS).json()["data"] == []
    assert client.get(MAPS).status_code == 401
