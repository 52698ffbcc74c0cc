"""Courier contract: each built endpoint answers with every field of its documented success sample, same JSON types
(recursively for objects; first element for lists). Samples are copied from spec/samples/courier.json into
tests/contract/samples/courier.json, limited to the endpoints built (organizations, text-accounts, texts, and the
two-way SMS resources: numbers, claim-number, lookups, logs, user-number maps, consents, org preferences).
`POST /texts/{id}/callback/` documents no success body (only the 4XX envelope), so it has no case here; neither does
`POST /bulk-badge-counts/` (its documented body is null). Multicasts and notifications (issue 13): fields the document
shows only with an include flag (`individual-group`, `individual-ids`, `download-link`, `message-senders`) are asked
for with that flag.
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
    "/v1/user-multicasts/": "individual-id",
    "/v1/badge-counts/": "individual-id",
    "/v1/user-emails/": "individual-id",
    "/v1/user-email-attachments/": "email-id",
    "/v1/communication-summaries/": "individual-id",
}
# Flags the document shows some fields under (any method of the path).
INCLUDE_QUERY = {
    "/v1/multicasts/": {"include-individual-group": "true", "include-individual-ids": "true"},
    "/v1/multicasts/{id}/": {"include-individual-group": "true", "include-individual-ids": "true"},
    "/v1/user-email-attachments/": {"with-link": "true"},
    "/v1/user-email-attachments/{id}/": {"with-link": "true"},
    "/v1/communication-summaries/": {"include-senders": "true"},
}
# The sample's `all-participants` names no group or individual, so its answer has no `individual-group-id` or
# `individual-id` to show: the case sends to one individual and one group instead.
ATTRIBUTE_OVERRIDES = {
    ("POST", "/v1/multicasts/"): lambda w: {
        "filter-type": "individuals",
        "filter-value": {"individual-ids": [w["individual-id"]], "individual-group-ids": [w["individual-groups"]]},
    },
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
        **_notification_world(team, owner),
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


def _fill(values: dict, world) -> None:
    """Sample ids become the world's objects named by the key (lists of them too); documented placeholders that are
    not valid input are replaced (INPUT_OVERRIDES)."""
    for key, value in values.items():
        if value == SAMPLE_ID:
            values[key] = world[key]
        elif isinstance(value, list) and value == [SAMPLE_ID]:
            values[key] = [world[key]]
        elif key in INPUT_OVERRIDES:
            values[key] = INPUT_OVERRIDES[key]


def _notification_world(team, owner) -> dict:
    """Objects of the multicast and notification resources (issue 13), most of them the owner's: the API key the
    tests call with acts as the owner, who reads their own notifications and devices by default."""
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from accounts.models import Membership
    from messaging.models import (
        BadgeCount,
        Delivery,
        DeviceLog,
        Multicast,
        MulticastChunk,
        UserEmail,
        UserEmailAttachment,
        UserNotification,
    )
    from messaging.services.push_setup import app_credential_create
    from tests.factories import DeviceFactory, IndividualGroupFactory, MessageTemplateFactory

    owner.dob = datetime.date(1990, 1, 2)
    owner.save()
    me = Membership.objects.get(team=team, user=owner)
    mate = MembershipFactory(team=team, user=UserFactory(dob=datetime.date(1991, 3, 4)))
    # `template-id: "string"` in the samples: a template that needs no data beyond the recipient's own.
    MessageTemplateFactory(
        team=team, template_id="string", sms_body="Hi {{ first_name }}", push_title="Hi", push_body="Hi",
        email_subject="Hi", email_text="Hi {{ first_name }}", email_html="",
    )  # fmt: skip
    parent = IndividualGroupFactory(team=team, name="Floor")
    group = IndividualGroupFactory(team=team, name="Bar", parent=parent)
    group.members.set([me, mate])
    group.leaders.set([me])
    multicast = Multicast.objects.create(
        team=team, created_by=owner, template_id="string", parts={"sms_body": "Hi"}, filter_type="individuals",
        filter_value={"individual-ids": [str(me.uid)], "individual-group-ids": [str(group.uid)]},
        individual_group=group, individual=me, channels=["sms", "push"], status="complete", recipients_total=2,
    )  # fmt: skip
    chunk = MulticastChunk.objects.create(
        multicast=multicast, seq=0, first_member_id=me.pk, last_member_id=me.pk, size=1
    )
    Delivery.objects.create(multicast=multicast, chunk=chunk, individual=me, user=owner, channel="sms", status="sent")
    push = {"title": "Hi", "body": "Hi Olga", "category": "shift", "data": {"k": "v"}}
    notification = UserNotification.objects.create(
        team=team, multicast=multicast, chunk=chunk, individual=me, user=owner,
        data={"apn": push, "fcm": push, "web": push, "sms": {"bodies": ["Hi Olga"]}},
    )  # fmt: skip
    badge = BadgeCount.objects.create(team=team, individual=me, type="appointment", count=2, timestamp="t")
    device = DeviceFactory(
        user=owner, device_id="contract", push_service="fcm", notification_token="tok", individual=me
    )
    DeviceLog.objects.create(team=team, device=device, title="Hi", body="Hi Olga", data={"k": "v"}, badge_count=1)
    credential = app_credential_create(team=team, type="apn", data={"key": "secret"}, app_name="crew")
    email = UserEmail.objects.create(
        team=team, individual=me, created_by=owner, to="olga@example.com", subject="Hi", message="Hello"
    )
    attachment = UserEmailAttachment.objects.create(
        email=email, filename="a.txt", content_type="text/plain", upload_token="contract",
        expires_at=timezone.now() + datetime.timedelta(hours=1), ready=True, size=2,
    )  # fmt: skip
    attachment.file.save("a.txt", ContentFile(b"hi"))
    return {
        "users": str(owner.uid),
        "individuals": str(mate.uid),
        "individual-groups": str(group.uid),
        "multicasts": str(multicast.uid),
        "user-notifications": str(notification.uid),
        "badge-counts": str(badge.uid),
        "user-devices": str(device.uid),
        "app-credentials": str(credential.uid),
        "user-emails": str(email.uid),
        "user-email-attachments": str(attachment.uid),
        "individual-id": str(me.uid),
        "individual-ids": str(me.uid),
        "individual-group-ids": str(group.uid),
        "email-id": str(email.uid),
        "sender-organization-id": str(team.uid),
    }


def _request_body(entry, world) -> dict | None:
    body = copy.deepcopy(entry["request_sample"])
    if not body:
        return None
    if "data" not in body or not isinstance(body["data"], dict) or "attributes" not in body["data"]:
        _fill(body, world)  # a flat body (claim-number, the multicast actions)
        return body
    data = body["data"]
    if data.get("id") == SAMPLE_ID:
        data["id"] = world[data["type"]]
    _fill(data["attributes"], world)
    override = ATTRIBUTE_OVERRIDES.get((entry["method"], entry["path"]))
    if override is not None:
        data["attributes"].update(override(world))
    return body


@pytest.mark.parametrize(("entry", "documented"), CASES)
def test_courier_response_matches_documented_sample(entry, documented, bearer_client, world):
    collection = entry["path"].split("/")[2]
    path = "/courier" + entry["path"].replace("{id}", world.get(collection, ""))
    required = REQUIRED_QUERY.get(entry["path"]) if entry["method"] == "GET" else None
    query = {required: world[required]} if required else {}
    query.update(INCLUDE_QUERY.get(entry["path"], {}))
    body = _request_body(entry, world)

    response = bearer_client.generic(
        entry["method"],
        path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""),
        json.dumps(body) if body is not None else "",
        content_type="application/json",
    )

    assert response.status_code == documented["status"], response.content
    assert_matches(documented["sample"], response.json())
