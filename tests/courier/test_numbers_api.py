"""courier text-account-numbers (list, provision, get, PATCH, reset-logs) and text-accounts/{id}/claim-number/."""

import json

import pytest

from messaging.models import TextNumber, TextNumberLog
from tests.courier.conftest import document, errors_of
from tests.factories import TextNumberFactory

pytestmark = pytest.mark.django_db

URL = "/courier/v1/text-account-numbers/"


def post(api, attributes: dict, url: str = URL):
    return api.post(url, json.dumps(document("text-account-numbers", attributes)), content_type="application/json")


def test_provision_buys_a_fictional_number_in_the_area_code(bearer_client, account):
    response = post(
        bearer_client,
        {"account-id": str(account.uid), "area-code": "303", "forward-to": "+1 202 555 0188", "notes": "front desk"},
    )

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    attributes = data["attributes"]
    assert data["type"] == "text-account-numbers"
    assert attributes["phone-number"].startswith("+1303555")
    assert 100 <= int(attributes["phone-number"][-4:]) <= 199  # 555-01XX: reserved for fiction
    assert attributes["twilio-id"].startswith("PN")
    assert attributes["capability-sms"] is True
    assert attributes["forward-to"] == "+12025550188"
    assert attributes["account-id"] == str(account.uid)
    assert attributes["events"] == {"unknown-number": {}}
    assert TextNumber.objects.get(uid=data["id"]).account == account


@pytest.mark.parametrize(
    ("attributes", "pointer"),
    [({"area-code": "1234"}, "area-code"), ({"area-code": "0ab"}, "area-code"), ({"forward-to": "12"}, "forward-to")],
)
def test_provision_validation_errors(bearer_client, account, attributes, pointer):
    response = post(bearer_client, {"account-id": str(account.uid), **attributes})
    assert response.status_code == 400
    assert errors_of(response)[0]["source"] == {"pointer": f"/data/attributes/{pointer}"}
    assert not TextNumber.objects.exists()


def test_provision_for_another_teams_account_is_404(bearer_client, other_account):
    response = post(bearer_client, {"account-id": str(other_account.uid)})
    assert response.status_code == 404
    assert errors_of(response)[0]["source"] == {"pointer": "/data/attributes/account-id"}


def test_unauthenticated_is_401(client, account):
    assert client.get(URL).status_code == 401
    assert post(client, {"account-id": str(account.uid)}).status_code == 401


def test_list_filters_and_is_scoped(bearer_client, account, number, other_account, django_assert_max_num_queries):
    TextNumberFactory(account=other_account)
    TextNumberFactory(account=account, phone_number="+13035550122")
    for limit in (1, 100):
        with django_assert_max_num_queries(5):
            response = bearer_client.get(URL, {"page[limit]": limit})
        assert response.status_code == 200
        assert len(response.json()["data"]) == min(limit, 2)
    assert response.json()["meta"]["page[total]"] == 2

    for param in ("phone-number", "filter[phone-number]"):
        found = bearer_client.get(URL, {param: "+1 303 555 0111"}).json()["data"]
        assert [n["id"] for n in found] == [str(number.uid)]
    assert bearer_client.get(URL, {"account-id": str(other_account.uid)}).json()["data"] == []
    bad = bearer_client.get(URL, {"filter[phone-number]": "12"})
    assert bad.status_code == 400
    assert errors_of(bad)[0]["source"] == {"parameter": "filter[phone-number]"}


def test_get_and_another_teams_number_is_404(bearer_client, number, other_account):
    assert bearer_client.get(f"{URL}{number.uid}/").json()["data"]["attributes"]["phone-number"] == number.phone_number
    foreign = TextNumberFactory(account=other_account)
    assert bearer_client.get(f"{URL}{foreign.uid}/").status_code == 404
    assert (
        bearer_client.patch(
            f"{URL}{foreign.uid}/",
            json.dumps(document("text-account-numbers", {"notes": "x"}, str(foreign.uid))),
            content_type="application/json",
        ).status_code
        == 404
    )


def test_patch_changes_the_given_fields(bearer_client, number):
    body = document(
        "text-account-numbers",
        {"logging": True, "notes": "ops", "events": {"unknown-number": {"action": "reply", "message": "Who is this?"}}},
        str(number.uid),
    )
    response = bearer_client.patch(f"{URL}{number.uid}/", json.dumps(body), content_type="application/json")

    assert response.status_code == 200, response.content
    attributes = response.json()["data"]["attributes"]
    assert (attributes["logging"], attributes["notes"], attributes["alert"]) == (True, "ops", False)
    assert attributes["events"]["unknown-number"]["action"] == "reply"


def test_patch_with_bad_events_is_400(bearer_client, number):
    body = document("text-account-numbers", {"events": {"unknown-number": {"action": "explode"}}}, str(number.uid))
    response = bearer_client.patch(f"{URL}{number.uid}/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert errors_of(response)[0]["source"] == {"pointer": "/data/attributes/events"}
    number.refresh_from_db()
    assert number.events == {}


def test_reset_logs_clears_the_numbers_logs(bearer_client, number, other_account):
    TextNumberLog.objects.create(number=number, log="a")
    foreign = TextNumberFactory(account=other_account)
    TextNumberLog.objects.create(number=foreign, log="b")

    response = bearer_client.post(f"{URL}{number.uid}/reset-logs/", "{}", content_type="application/json")

    assert response.status_code == 201
    assert response.json()["data"]["id"] == str(number.uid)
    assert list(TextNumberLog.objects.values_list("log", flat=True)) == ["b"]
    assert (
        bearer_client.post(f"{URL}{foreign.uid}/reset-logs/", "{}", content_type="application/json").status_code == 404
    )


def test_claim_number_provisions_for_the_account(bearer_client, account, other_account):
    url = f"/courier/v1/text-accounts/{account.uid}/claim-number/"
    response = bearer_client.post(url, {"notes": "claimed"}, format="json")

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["type"] == "text-account-numbers"
    assert data["attributes"]["notes"] == "claimed"
    assert TextNumber.objects.get(uid=data["id"]).account == account

    missing = bearer_client.post(url, {}, format="json")
    assert missing.status_code == 400
    assert errors_of(missing)[0]["source"] == {"pointer": "/data/attributes/notes"}
    foreign = bearer_client.post(
        f"/courier/v1/text-accounts/{other_account.uid}/claim-number/", {"notes": "x"}, format="json"
    )
    assert foreign.status_code == 404
    assert TextNumber.objects.count() == 1


def test_provider_failure_is_a_502_not_a_500(bearer_client, account, settings):
    settings.SMS_BACKEND = "tests.courier.test_numbers_api.UnreachableProvider"
    response = post(bearer_client, {"account-id": str(account.uid)})
    assert response.status_code == 502
    assert errors_of(response)[0]["code"] == "PROVIDER_ERROR"
    assert not TextNumber.objects.exists()


from messaging.sms import TransientSmsError  # noqa: E402
from messaging.sms.locmem import LocMemBackend  # noqa: E402


class UnreachableProvider(LocMemBackend):
    def provision_number(self, **kwargs):
        raise TransientSmsError("connection reset")
