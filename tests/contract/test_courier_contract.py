"""Courier contract: each built endpoint answers with every field of its documented success sample, same JSON types
(recursively for objects; first element for lists). Samples are copied from spec/samples/courier.json into
tests/contract/samples/courier.json, limited to the endpoints built (organizations, text-accounts, texts, and the
two-way SMS resources: numbers, claim-number, lookups, logs, user-number maps, consents, org preferences).
`POST /texts/{id}/callback/` documents no success body (only the 4XX envelope), so it has no case here.
"""

import copy
import json
from pathlib import Path

import pytest

from messaging.models import InboundText, Text, TextNumberInfo, TextNumberLog, TextUserNumberMap, UserConsent
from messaging.services.preferences import org_preference_set
from tests.factories import MembershipFactory, TextAccountFactory, TextNumberFactory, UserFactory

pytestmark = pytest.mark.django_db

SAMPLES = json.loads((Path(__file__).parent / "samples" / "courier.json").read_text(encoding="utf-8"))
CASES = [
    pytest.param(entry, response, id=f"{entry['method']} {entry['path']}")
    for entry in SAMPLES
    for response in entry["responses"]
    if isinstance(response["status"], int) and 200 <= response["status"] < 300 and response["sample"] is not None
]
SAMPLE_ID = "11111111-1111-1111-1111-111111111111"
# Documented placeholders that are not valid input ("string" as a phone number or URL).
INPUT_OVERRIDES = {
    "target": "+12025550142",
    "phone-number": "+12025550123",
    "callback-url": "https://client.example.com/reply",
    "callback-status-url": "https://client.example.com/status",
    "message": "Shift starts at 9",
    "area-code": "303",
    "forward-to": "+12025550188",
    "number": "+12025550143",
}
# Lists whose document requires a parameter naming what is listed.
REQUIRED_QUERY = {
    "/v1/texts/": "account-id",
    "/v1/text-number-logs/": "number-id",
    "/v1/text-number-info/": "number",
    "/v1/org-preferences/": "organization-id",
}


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]


def assert_matches(sample, actual, where: str = "$") -> None:
    assert _json_type(actual) == _json_type(sample), f"{where}: expected {_json_type(sample)}, got {actual!r}"
    if isinstance(sample, dict):
        for key, value in sample.items():
            assert key in actual, f"{where}.{key} is missing"
            assert_matches(value, actual[key], f"{where}.{key}")
    elif isinstance(sample, list) and sample:
        assert actual, f"{where}: expected a non-empty array to compare with the sample"
        assert_matches(sample[0], actual[0], f"{where}[0]")


@pytest.fixture
def world(team, owner):
    account = TextAccountFactory(team=team, allow_custom_number=True, phone_number="+12025550100")
    number = TextNumberFactory(account=account)
    text = Text.objects.create(
        team=team,
        account=account,
        number=number,
        created_by=owner,
        to="+12025550142",
        from_number=number.phone_number,
        body="hi",
        callback_url="https://client.example.com/reply",
        callback_status_url="https://client.example.com/status",
    )
    member = UserFactory(phone="+12025550177")
    MembershipFactory(team=team, user=member)
    TextNumberLog.objects.create(number=number, log="received from +12025550177: hi")
    InboundText.objects.create(
        team=team, number=number, sid="SM" + "1" * 32, sender="+12025550177", to=number.phone_number, body="hi"
    )
    info = TextNumberInfo.objects.create(team=team, number="+12025550143", status="resolved", type="mobile")
    mapped = TextUserNumberMap.objects.create(team=team, number=number, user=member)
    consent = UserConsent.objects.create(team=team, user=member, target_id=member.phone)
    org_preference_set(team=team, name="default-channel-title", value="Crew")  # the list's first row is stored
    return {
        "organizations": str(team.uid),
        "text-accounts": str(account.uid),
        "texts": str(text.uid),
        "text-account-numbers": str(number.uid),
        "text-number-info": str(info.uid),
        "text-receive-logs": "SM" + "1" * 32,
        "text-user-number-maps": str(mapped.uid),
        "user-consents": str(consent.uid),
        "organization-id": str(team.uid),
        "account-id": str(account.uid),
        "number-id": str(number.uid),
        "user-id": str(member.uid),
        "number": info.number,
    }


def _request_body(entry, world) -> dict | None:
    body = copy.deepcopy(entry["request_sample"])
    if not body:
        return None
    if "data" not in body:  # a flat body (claim-number)
        return body
    data = body["data"]
    if data.get("id") == SAMPLE_ID:
        data["id"] = world[data["type"]]
    for key, value in data["attributes"].items():
        if value == SAMPLE_ID:
            data["attributes"][key] = world[key]
        elif key in INPUT_OVERRIDES:
            data["attributes"][key] = INPUT_OVERRIDES[key]
    return body


@pytest.mark.parametrize(("entry", "documented"), CASES)
def test_courier_response_matches_documented_sample(entry, documented, bearer_client, world):
    collection = entry["path"].split("/")[2]
    path = "/courier" + entry["path"].replace("{id}", world.get(collection, ""))
    required = REQUIRED_QUERY.get(entry["path"]) if entry["method"] == "GET" else None
    query = {required: world[required]} if required else {}
    body = _request_body(entry, world)

    response = bearer_client.generic(
        entry["method"],
        path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""),
        json.dumps(body) if body is not None else "",
        content_type="application/json",
    )

    assert response.status_code == documented["status"], response.content
    assert_matches(documented["sample"], response.json())
