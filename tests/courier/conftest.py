"""Courier fixtures: text accounts and numbers of the caller's team and of another team, JSON:API body helpers."""

import pytest

from tests.factories import TextAccountFactory, TextNumberFactory

JSONAPI = "application/vnd.api+json"


def document(resource_type: str, attributes: dict, resource_id: str | None = None) -> dict:
    data = {"type": resource_type, "attributes": attributes}
    if resource_id is not None:
        data["id"] = resource_id
    return {"data": data, "meta": {}}


def errors_of(response) -> list[dict]:
    body = response.json()
    assert set(body) == {"errors"}, body
    for error in body["errors"]:
        assert error["status"] == response.status_code
        assert error["meta"]["request-id"] == response["X-Request-ID"]
    return body["errors"]


@pytest.fixture
def account(team):
    return TextAccountFactory(team=team, allow_custom_number=True, phone_number="+12025550100")


@pytest.fixture
def number(account):
    return TextNumberFactory(account=account, phone_number="+13035550111")


@pytest.fixture
def other_account(other_team):
    return TextAccountFactory(team=other_team, phone_number="+12025550199")
