"""courier text-accounts: GET list (`organization-id`), POST, GET one, PATCH."""

import json

import pytest

from messaging.models import TextAccount
from tests.courier.conftest import JSONAPI, document, errors_of
from tests.factories import TextAccountFactory

pytestmark = pytest.mark.django_db

URL = "/courier/v1/text-accounts/"


def post(api, attributes: dict, content_type: str = "application/json"):
    return api.post(URL, json.dumps(document("text-accounts", attributes)), content_type=content_type)


def patch(api, account, attributes: dict):
    body = document("text-accounts", attributes, resource_id=str(account.uid))
    return api.patch(f"{URL}{account.uid}/", json.dumps(body), content_type="application/json")


# --- list ---------------------------------------------------------------------------------------------------------


def test_list_shows_only_the_callers_accounts(bearer_client, account, other_account, team):
    response = bearer_client.get(URL)

    assert response.status_code == 200
    data = response.json()["data"]
    assert [item["id"] for item in data] == [str(account.uid)]
    assert data[0]["type"] == "text-accounts"
    assert data[0]["attributes"] == {
        "allow-custom-number": True,
        "created-at": data[0]["attributes"]["created-at"],
        "organization-id": str(team.uid),
        "phone-number": "+12025550100",
        "twilio-id": "",
    }


def test_list_filters_by_organization_id(bearer_client, account, team, other_team):
    mine = bearer_client.get(URL, {"organization-id": str(team.uid)}).json()["data"]
    theirs = bearer_client.get(URL, {"organization-id": str(other_team.uid)}).json()["data"]

    assert [item["id"] for item in mine] == [str(account.uid)]
    assert theirs == []


def test_list_rejects_a_malformed_organization_id(bearer_client):
    response = bearer_client.get(URL, {"organization-id": "not-a-uuid"})

    assert response.status_code == 400
    assert errors_of(response)[0]["source"] == {"parameter": "organization-id"}


@pytest.mark.parametrize("size", [2, 12])
def test_list_query_count_is_constant(bearer_client, team, size, django_assert_max_num_queries):
    TextAccountFactory.create_batch(size, team=team)

    with django_assert_max_num_queries(5):
        response = bearer_client.get(URL, {"page[limit]": 100})

    assert len(response.json()["data"]) == size


def test_list_unauthenticated_is_401(client):
    response = client.get(URL)

    assert response.status_code == 401
    assert errors_of(response)[0]["status"] == 401


# --- create -------------------------------------------------------------------------------------------------------


def test_create_writes_an_account_for_the_organization(bearer_client, team):
    response = post(bearer_client, {"allow-custom-number": False, "organization-id": str(team.uid)})

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    account = TextAccount.objects.get(uid=data["id"])
    assert account.team == team
    assert account.allow_custom_number is False
    assert data["attributes"]["organization-id"] == str(team.uid)
    assert data["attributes"]["allow-custom-number"] is False


def test_create_accepts_the_jsonapi_media_type(bearer_client, team):
    response = post(bearer_client, {"organization-id": str(team.uid)}, content_type=JSONAPI)

    assert response.status_code == 201
    assert response["Content-Type"].startswith(JSONAPI)


def test_create_without_organization_uses_the_api_keys_team(bearer_client, team):
    response = post(bearer_client, {})

    assert response.status_code == 201
    assert TextAccount.objects.get().team == team


def test_create_with_custom_number_normalises_it(bearer_client, team):
    response = post(bearer_client, {"allow-custom-number": True, "phone-number": "+1 (202) 555-0177"})

    assert response.status_code == 201
    assert response.json()["data"]["attributes"]["phone-number"] == "+12025550177"


def test_create_phone_number_requires_allow_custom_number(bearer_client, team):
    response = post(bearer_client, {"phone-number": "+12025550177"})

    assert response.status_code == 400
    error = errors_of(response)[0]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["source"] == {"pointer": "/data/attributes/phone-number"}
    assert not TextAccount.objects.exists()


def test_create_for_another_teams_organization_is_404(bearer_client, other_team):
    response = post(bearer_client, {"organization-id": str(other_team.uid)})

    assert response.status_code == 404
    assert errors_of(response)[0]["source"] == {"pointer": "/data/attributes/organization-id"}
    assert not TextAccount.objects.exists()


def test_create_with_a_wrong_resource_type_is_409(bearer_client, team):
    body = document("texts", {"organization-id": str(team.uid)})
    response = bearer_client.post(URL, json.dumps(body), content_type="application/json")

    assert response.status_code == 409
    assert errors_of(response)
    assert not TextAccount.objects.exists()


def test_create_unauthenticated_is_401(client, team):
    response = post(client, {"organization-id": str(team.uid)})

    assert response.status_code == 401
    assert not TextAccount.objects.exists()


# --- retrieve -----------------------------------------------------------------------------------------------------


def test_retrieve_own_account(bearer_client, account):
    response = bearer_client.get(f"{URL}{account.uid}/")

    assert response.status_code == 200
    assert response.json()["data"]["id"] == str(account.uid)


def test_retrieve_without_trailing_slash(bearer_client, account):
    assert bearer_client.get(f"{URL}{account.uid}").status_code == 200


def test_retrieve_another_teams_account_is_404(bearer_client, other_account):
    response = bearer_client.get(f"{URL}{other_account.uid}/")

    assert response.status_code == 404
    assert errors_of(response)[0]["code"] == "NOT_FOUND"


# --- modify -------------------------------------------------------------------------------------------------------


def test_patch_sets_a_custom_number(bearer_client, team):
    account = TextAccountFactory(team=team, allow_custom_number=False, phone_number="")

    response = patch(bearer_client, account, {"allow-custom-number": True, "phone-number": "+1 202 555 0123"})

    assert response.status_code == 200, response.content
    account.refresh_from_db()
    assert account.allow_custom_number is True
    assert account.phone_number == "+12025550123"
    assert response.json()["data"]["attributes"]["phone-number"] == "+12025550123"


def test_patch_phone_number_without_allow_custom_number_is_400(bearer_client, team):
    account = TextAccountFactory(team=team, allow_custom_number=False, phone_number="")

    response = patch(bearer_client, account, {"phone-number": "+12025550123"})

    assert response.status_code == 400
    assert errors_of(response)[0]["source"] == {"pointer": "/data/attributes/phone-number"}
    account.refresh_from_db()
    assert account.phone_number == ""


def test_patch_turning_custom_numbers_off_clears_the_number(bearer_client, account):
    response = patch(bearer_client, account, {"allow-custom-number": False})

    assert response.status_code == 200
    account.refresh_from_db()
    assert (account.allow_custom_number, account.phone_number) == (False, "")


def test_patch_with_a_mismatched_id_is_409(bearer_client, account, team):
    body = document("text-accounts", {"allow-custom-number": False}, resource_id=str(team.uid))
    response = bearer_client.patch(f"{URL}{account.uid}/", json.dumps(body), content_type="application/json")

    assert response.status_code == 409
    account.refresh_from_db()
    assert account.allow_custom_number is True


def test_patch_another_teams_account_is_404(bearer_client, other_account):
    response = patch(bearer_client, other_account, {"allow-custom-number": True})

    assert response.status_code == 404
    other_account.refresh_from_db()
    assert other_account.allow_custom_number is False


def test_put_is_not_allowed(bearer_client, account):
    body = document("text-accounts", {"allow-custom-number": False}, resource_id=str(account.uid))
    response = bearer_client.put(f"{URL}{account.uid}/", json.dumps(body), content_type="application/json")

    assert response.status_code == 405
    assert errors_of(response)[0]["status"] == 405


def test_patch_unauthenticated_is_401(client, account):
    assert patch(client, account, {"allow-custom-number": False}).status_code == 401
