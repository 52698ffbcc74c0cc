"""POST /courier/v1/text-account-numbers/{id}/inbound/: the provider's inbound-message webhook of one number."""

from urllib.parse import urlencode

import pytest
from twilio.request_validator import RequestValidator

from messaging import sms
from messaging.models import InboundText, SmsOptOut
from tests.courier.conftest import errors_of

pytestmark = pytest.mark.django_db

TOKEN = "twilio-auth-token-for-tests"


def url_of(number) -> str:
    return f"/courier/v1/text-account-numbers/{number.uid}/inbound/"


def form(number, **fields) -> dict:
    return {"MessageSid": "SM" + "1" * 32, "From": "+12025550177", "To": number.phone_number, "Body": "hi", **fields}


def form_post(client, path, params, **headers):
    return client.post(path, urlencode(params), content_type="application/x-www-form-urlencoded", **headers)


def test_stores_the_message_once_and_answers_empty_twiml(client, number, django_capture_on_commit_callbacks):
    for _ in range(2):  # the provider retries
        with django_capture_on_commit_callbacks(execute=True):
            response = form_post(client, url_of(number), form(number, Body="STOP"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/xml")
        assert b"<Response>" in response.content

    inbound = InboundText.objects.get()
    assert (inbound.sender, inbound.body, inbound.status) == ("+12025550177", "STOP", InboundText.Status.PROCESSED)
    assert SmsOptOut.objects.filter(team=number.account.team, phone="+12025550177", opted_out=True).exists()
    assert len([m for m in sms.outbox if m.to == "+12025550177"]) == 1  # one confirmation


def test_json_body_works_with_the_local_backends(client, number):
    response = client.post(url_of(number), form(number), format="json")
    assert response.status_code == 200
    assert InboundText.objects.count() == 1


@pytest.mark.parametrize("missing", ["MessageSid", "From", "To"])
def test_missing_fields_are_400_in_the_courier_envelope(client, number, missing):
    params = form(number)
    del params[missing]
    response = form_post(client, url_of(number), params)
    assert response.status_code == 400
    assert missing in errors_of(response)[0]["detail"]
    assert not InboundText.objects.exists()


def test_message_to_another_number_is_400(client, number):
    response = form_post(client, url_of(number), form(number, To="+12025550000"))
    assert response.status_code == 400
    assert not InboundText.objects.exists()


def test_unknown_number_is_404(client, number):
    response = form_post(
        client, "/courier/v1/text-account-numbers/11111111-1111-1111-1111-111111111111/inbound/", form(number)
    )
    assert response.status_code == 404
    errors_of(response)


@pytest.fixture
def twilio_settings(settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = "AC" + "1" * 32
    settings.TWILIO_AUTH_TOKEN = TOKEN


def test_twilio_signature_is_verified(client, number, twilio_settings, django_capture_on_commit_callbacks):
    params = form(number)
    signature = RequestValidator(TOKEN).compute_signature(f"http://testserver{url_of(number)}", params)
    with django_capture_on_commit_callbacks(execute=True):
        response = form_post(client, url_of(number), params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 200
    assert InboundText.objects.count() == 1


@pytest.mark.parametrize("signature", [None, "forged", "token-of-someone-else"])
def test_forged_or_missing_signature_is_403_and_changes_nothing(client, number, twilio_settings, signature):
    params = form(number, Body="STOP")
    headers = {}
    if signature == "token-of-someone-else":
        headers["HTTP_X_TWILIO_SIGNATURE"] = RequestValidator("other").compute_signature(
            f"http://testserver{url_of(number)}", params
        )
    elif signature:
        headers["HTTP_X_TWILIO_SIGNATURE"] = signature
    response = form_post(client, url_of(number), params, **headers)
    assert response.status_code == 403
    errors_of(response)
    assert not InboundText.objects.exists()
    assert not SmsOptOut.objects.exists()


# --- coalesced wake-ups (with a shared cache: one drain task per burst instead of a task per message) -----------------


@pytest.fixture
def coalesced(settings, monkeypatch):
    """The shared-cache mode in one process; records the drain tasks published and the per-message tasks (none)."""
    from messaging import tasks

    settings.SMS_INBOUND_COALESCE_WAKEUPS = True
    published = {"drain": [], "single": []}
    monkeypatch.setattr(tasks.inbound_drain_task, "delay", lambda number_id: published["drain"].append(number_id))
    monkeypatch.setattr(tasks.inbound_process_task, "apply_async", lambda args: published["single"].append(args))
    return published


@pytest.fixture
def deliver(client, number, django_capture_on_commit_callbacks):
    """Post one inbound message and run what its commit publishes."""

    def post(n: int) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = form_post(client, url_of(number), form(number, MessageSid=f"SM{n:032d}", Body=f"hello {n}"))
        assert response.status_code == 200

    return post


def test_a_burst_wakes_one_drain_that_processes_every_message_in_order(number, coalesced, deliver):
    from messaging.services.inbound import inbound_drain

    for n in range(3):
        deliver(n)
    assert coalesced == {"drain": [number.pk], "single": []}  # one wake-up while the first is pending

    assert inbound_drain(number_id=number.pk) == 3
    rows = InboundText.objects.order_by("pk")
    assert [(r.body, r.status) for r in rows] == [(f"hello {n}", InboundText.Status.PROCESSED) for n in range(3)]


def test_a_message_stored_after_the_drain_started_wakes_another(number, coalesced, deliver):
    from messaging.services.inbound import inbound_drain

    deliver(1)
    inbound_drain(number_id=number.pk)  # clears the flag first
    deliver(2)
    assert coalesced["drain"] == [number.pk, number.pk]


def test_a_message_that_fails_does_not_hold_up_the_ones_behind_it(number, coalesced, deliver, monkeypatch):
    from messaging.services import inbound

    for n in range(3):
        deliver(n)
    poisoned = InboundText.objects.order_by("pk").first().pk
    real = inbound.inbound_process

    def process(*, inbound_id):
        if inbound_id == poisoned:
            raise RuntimeError("a bug in a reply rule")
        return real(inbound_id=inbound_id)

    monkeypatch.setattr(inbound, "inbound_process", process)
    assert inbound.inbound_drain(number_id=number.pk) == 2
    statuses = list(InboundText.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [InboundText.Status.RECEIVED, InboundText.Status.PROCESSED, InboundText.Status.PROCESSED]


def test_without_a_shared_cache_each_message_is_its_own_task(number, settings, monkeypatch, deliver):
    from messaging import tasks

    settings.SMS_INBOUND_COALESCE_WAKEUPS = None  # automatic: the tests' local-memory cache is per process
    single = []
    monkeypatch.setattr(tasks.inbound_process_task, "apply_async", lambda args: single.append(args))
    deliver(1)
    deliver(2)
    assert len(single) == 2
