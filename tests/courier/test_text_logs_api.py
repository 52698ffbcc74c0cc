"""courier text-number-logs (list by number-id) and text-receive-logs/{id} (an inbound SMS by provider id)."""

import pytest

from messaging.models import InboundText, TextNumberLog
from tests.courier.conftest import errors_of
from tests.factories import TextNumberFactory

pytestmark = pytest.mark.django_db


def test_number_logs_list_by_number(bearer_client, number, django_assert_max_num_queries):
    for n in range(3):
        TextNumberLog.objects.create(number=number, log=f"line {n}")
    for limit in (1, 50):
        with django_assert_max_num_queries(6):
            response = bearer_client.get(
                "/courier/v1/text-number-logs/", {"number-id": str(number.uid), "page[limit]": limit}
            )
        assert response.status_code == 200
        assert len(response.json()["data"]) == min(limit, 3)
    item = response.json()["data"][0]
    assert item["type"] == "text-number-logs"
    assert set(item["attributes"]) == {"created-at", "log"}


def test_number_logs_need_the_number(bearer_client, other_account, client, number):
    missing = bearer_client.get("/courier/v1/text-number-logs/")
    assert missing.status_code == 400
    assert errors_of(missing)[0]["source"] == {"parameter": "number-id"}
    foreign = TextNumberFactory(account=other_account)
    response = bearer_client.get("/courier/v1/text-number-logs/", {"number-id": str(foreign.uid)})
    assert response.status_code == 404
    assert errors_of(response)[0]["source"] == {"parameter": "number-id"}
    assert client.get("/courier/v1/text-number-logs/", {"number-id": str(number.uid)}).status_code == 401


def test_receive_log_by_provider_id(bearer_client, outsider_bearer_client, number, client):
    InboundText.objects.create(
        team=number.account.team, number=number, sid="SMabc", sender="+12025550177", to=number.phone_number, body="hi"
    )
    response = bearer_client.get("/courier/v1/text-receive-logs/SMabc/")
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["id"], data["type"]) == ("SMabc", "text-receive-logs")
    assert data["attributes"] == {
        "created-at": data["attributes"]["created-at"],
        "message": "hi",
        "sender": "+12025550177",
        "sid": "SMabc",
        "to": number.phone_number,
    }
    assert outsider_bearer_client.get("/courier/v1/text-receive-logs/SMabc/").status_code == 404
    assert bearer_client.get("/courier/v1/text-receive-logs/SMnope/").status_code == 404
    assert client.get("/courier/v1/text-receive-logs/SMabc/").status_code == 401
