"""courier texts: POST /texts/ (queue an SMS), GET /texts/ (account-id required), GET /texts/{id}/."""

import json

import pytest
from django.utils import timezone

from messaging import sms
from messaging.models import Text
from tests.courier.conftest import document, errors_of
from tests.factories import TextAccountFactory, TextNumberFactory

pytestmark = pytest.mark.django_db

URL = "/courier/v1/texts/"


def post(api, attributes: dict):
    return api.post(URL, json.dumps(document("texts", attributes)), content_type="application/json")


def make_text(account, **fields) -> Text:
    defaults = {"team": account.team, "to": "+12025550142", "body": "hi", "from_number": account.phone_number}
    return Text.objects.create(account=account, **{**defaults, **fields})


# --- create -------------------------------------------------------------------------------------------------------


def test_create_queues_the_sms_and_sends_it_after_commit(
    bearer_client, account, number, owner, team, django_capture_on_commit_callbacks
):
    attributes = {
        "account-id": str(account.uid),
        "number-id": str(number.uid),
        "organization-id": str(team.uid),
        "message": "Shift starts at 9",
        "target": "+1 (202) 555-0142",
        "callback-status-url": "https://client.example.com/status",
        "callback-url": "https://client.example.com/reply",
        "callback-json": {"shift": 7},
        "callback-one-off": True,
        "expected-responses": ["YES", "NO"],
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = post(bearer_client, attributes)

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["type"] == "texts"
    assert data["attributes"]["status"] == "accepted"
    assert data["attributes"]["target"] == "+12025550142"
    assert data["attributes"]["from"] == "+13035550111"
    assert data["attributes"]["created-by"] == str(owner.uid)
    assert data["attributes"]["message"] == "Shift starts at 9"
    assert [(m.to, m.from_number, m.body) for m in sms.outbox] == [
        ("+12025550142", "+13035550111", "Shift starts at 9")
    ]
    text = Text.objects.get(uid=data["id"])
    assert text.status == Text.Status.SENT
    assert (text.account, text.number, text.team, text.created_by) == (account, number, team, owner)
    assert text.callback_json == {"shift": 7}
    assert text.expected_responses == ["YES", "NO"]


def test_create_sends_from_the_accounts_number_without_number_id(
    bearer_client, account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(bearer_client, {"account-id": str(account.uid), "message": "hi", "target": "+12025550142"})

    assert response.status_code == 201
    assert response.json()["data"]["attributes"]["from"] == "+12025550100"
    assert sms.outbox[0].from_number == "+12025550100"


def test_create_falls_back_to_the_default_sender(bearer_client, team, settings, django_capture_on_commit_callbacks):
    settings.SMS_DEFAULT_SENDER = "+15005550006"
    account = TextAccountFactory(team=team, phone_number="")

    with django_capture_on_commit_callbacks(execute=True):
        response = post(bearer_client, {"account-id": str(account.uid), "message": "hi", "target": "+12025550142"})

    assert response.status_code == 201
    assert sms.outbox[0].from_number == "+15005550006"


def test_create_with_an_invalid_target_is_400(bearer_client, account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(bearer_client, {"account-id": str(account.uid), "message": "hi", "target": "12"})

    assert response.status_code == 400
    error = errors_of(response)[0]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["source"] == {"pointer": "/data/attributes/target"}
    assert not Text.objects.exists()
    assert sms.outbox == []


def test_create_without_a_message_is_400(bearer_client, account):
    response = post(bearer_client, {"account-id": str(account.uid), "target": "+12025550142"})

    assert response.status_code == 400
    assert {"pointer": "/data/attributes/message"} in [e["source"] for e in errors_of(response)]


def test_create_for_another_teams_account_is_404(bearer_client, other_account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(bearer_client, {"account-id": str(other_account.uid), "message": "x", "target": "+12025550142"})

    assert response.status_code == 404
    assert errors_of(response)[0]["source"] == {"pointer": "/data/attributes/account-id"}
    assert not Text.objects.exists()
    assert sms.outbox == []


def test_create_with_another_teams_number_is_404(bearer_client, account, other_account):
    foreign = TextNumberFactory(account=other_account)

    response = post(
        bearer_client,
        {"account-id": str(account.uid), "number-id": str(foreign.uid), "message": "x", "target": "+12025550142"},
    )

    assert response.status_code == 404
    assert errors_of(response)[0]["source"] == {"pointer": "/data/attributes/number-id"}


def test_create_with_a_number_of_another_account_is_400(bearer_client, account, team):
    sibling = TextNumberFactory(account=TextAccountFactory(team=team))

    response = post(
        bearer_client,
        {"account-id": str(account.uid), "number-id": str(sibling.uid), "message": "x", "target": "+12025550142"},
    )

    assert response.status_code == 400
    assert errors_of(response)[0]["source"] == {"pointer": "/data/attributes/number-id"}
    assert not Text.objects.exists()


def test_create_with_a_mismatched_organization_is_400(bearer_client, account, other_team):
    response = post(
        bearer_client,
        {
            "account-id": str(account.uid),
            "organization-id": str(other_team.uid),
            "message": "x",
            "target": "+12025550142",
        },
    )

    assert response.status_code == 400
    assert errors_of(response)[0]["source"] == {"pointer": "/data/attributes/organization-id"}


def test_create_unauthenticated_is_401(client, account):
    response = post(client, {"account-id": str(account.uid), "message": "x", "target": "+12025550142"})

    assert response.status_code == 401
    assert errors_of(response)[0]["code"] == "UNAUTHORIZED"
    assert not Text.objects.exists()


# --- list ---------------------------------------------------------------------------------------------------------


def test_list_returns_the_accounts_texts_newest_first_with_page_meta(bearer_client, account, team):
    older = make_text(account)
    newer = make_text(account)
    make_text(TextAccountFactory(team=team))  # another account of the same team

    response = bearer_client.get(URL, {"account-id": str(account.uid)})

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["data"]] == [str(newer.uid), str(older.uid)]
    assert body["meta"] == {"page[limit]": 100, "page[offset]": 0, "page[total]": 2}


def test_list_requires_account_id(bearer_client):
    response = bearer_client.get(URL)

    assert response.status_code == 400
    assert errors_of(response)[0]["source"] == {"parameter": "account-id"}


def test_list_rejects_a_malformed_account_id(bearer_client):
    response = bearer_client.get(URL, {"account-id": "nope"})

    assert response.status_code == 400
    assert errors_of(response)[0]["source"] == {"parameter": "account-id"}


def test_list_of_another_teams_account_is_404(bearer_client, other_account):
    make_text(other_account)

    response = bearer_client.get(URL, {"account-id": str(other_account.uid)})

    assert response.status_code == 404
    assert errors_of(response)[0]["source"] == {"parameter": "account-id"}


def test_list_filters_by_number_and_target(bearer_client, account, number):
    via_number = make_text(account, number=number, to="+12025550142")
    other_target = make_text(account, to="+12025550143")

    by_number = bearer_client.get(URL, {"account-id": str(account.uid), "filter[number-id]": str(number.uid)})
    by_target = bearer_client.get(URL, {"account-id": str(account.uid), "filter[target]": "+1 202 555 0143"})

    assert [item["id"] for item in by_number.json()["data"]] == [str(via_number.uid)]
    assert [item["id"] for item in by_target.json()["data"]] == [str(other_target.uid)]


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("page[limit]", "0"),
        ("page[limit]", "1001"),
        ("page[limit]", "many"),
        ("page[offset]", "-1"),
        ("filter[number-id]", "nope"),
        ("filter[target]", "12"),
        ("filter[unknown]", "x"),
    ],
)
def test_list_rejects_bad_parameters(bearer_client, account, param, value):
    response = bearer_client.get(URL, {"account-id": str(account.uid), param: value})

    assert response.status_code == 400
    error = errors_of(response)[0]
    assert error["source"] == {"parameter": param}
    assert error["code"] == "VALIDATION_ERROR"


def test_list_pages_with_limit_and_offset(bearer_client, account):
    texts = [make_text(account) for _ in range(5)]

    response = bearer_client.get(URL, {"account-id": str(account.uid), "page[limit]": 2, "page[offset]": 1})

    body = response.json()
    assert [item["id"] for item in body["data"]] == [str(texts[3].uid), str(texts[2].uid)]
    assert body["meta"] == {"page[limit]": 2, "page[offset]": 1, "page[total]": 5}


@pytest.mark.parametrize("size", [3, 30])
def test_list_query_count_is_constant(bearer_client, account, owner, size, django_assert_max_num_queries):
    for _ in range(size):
        make_text(account, created_by=owner, number=TextNumberFactory(account=account))

    with django_assert_max_num_queries(6):
        response = bearer_client.get(URL, {"account-id": str(account.uid)})

    assert len(response.json()["data"]) == size
    assert response.json()["data"][0]["attributes"]["created-by"] == str(owner.uid)


def test_list_unauthenticated_is_401(client, account):
    assert client.get(URL, {"account-id": str(account.uid)}).status_code == 401


# --- retrieve -----------------------------------------------------------------------------------------------------


def test_retrieve_own_text(bearer_client, account):
    text = make_text(account, status=Text.Status.DELIVERED, provider_id="SM123", delivered_at=timezone.now())

    response = bearer_client.get(f"{URL}{text.uid}/")

    assert response.status_code == 200
    attributes = response.json()["data"]["attributes"]
    assert attributes["status"] == "delivered"
    assert attributes["twilio-sid"] == "SM123"
    assert attributes["created-by"] is None


def test_retrieve_another_teams_text_is_404(bearer_client, other_account):
    text = make_text(other_account)

    response = bearer_client.get(f"{URL}{text.uid}/")

    assert response.status_code == 404
    assert errors_of(response)[0]["code"] == "NOT_FOUND"


def test_retrieve_unauthenticated_is_401(client, account):
    assert client.get(f"{URL}{make_text(account).uid}/").status_code == 401
