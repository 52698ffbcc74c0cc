"""POST /courier/v1/texts/{id}/callback/: the provider's unauthenticated, signed delivery-status webhook."""

import uuid
from urllib.parse import urlencode

import pytest
from twilio.request_validator import RequestValidator

from messaging.models import Text
from tests.courier.conftest import errors_of

pytestmark = pytest.mark.django_db

TOKEN = "twilio-auth-token-for-tests"


def callback_url(text) -> str:
    return f"/courier/v1/texts/{text.uid}/callback/"


@pytest.fixture
def text(account):
    return Text.objects.create(
        team=account.team, account=account, to="+12025550142", body="hi", status=Text.Status.SENT, provider_id="SM1"
    )


@pytest.fixture
def twilio_settings(settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = "AC" + "1" * 32
    settings.TWILIO_AUTH_TOKEN = TOKEN


def form_post(client, path: str, params: dict, **headers):
    """application/x-www-form-urlencoded, as Twilio posts."""
    return client.post(path, urlencode(params), content_type="application/x-www-form-urlencoded", **headers)


def signed_post(client, path: str, params: dict, *, token: str = TOKEN):
    signature = RequestValidator(token).compute_signature(f"http://testserver{path}", params)
    return form_post(client, path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def test_form_encoded_status_is_applied_without_credentials(client, text):
    response = form_post(client, callback_url(text), {"MessageSid": "SM1", "MessageStatus": "delivered"})

    assert response.status_code == 204
    assert response.content == b""
    text.refresh_from_db()
    assert text.status == Text.Status.DELIVERED
    assert text.delivered_at is not None


def test_json_body_is_accepted_and_error_code_recorded(client, text):
    body = {"MessageSid": "SM1", "MessageStatus": "undelivered", "ErrorCode": "30003", "ErrorMessage": "Unreachable"}

    response = client.post(callback_url(text), body, format="json")

    assert response.status_code == 204
    text.refresh_from_db()
    assert (text.status, text.error) == (Text.Status.UNDELIVERED, "Error 30003: Unreachable")


def test_without_trailing_slash(client, text):
    response = form_post(client, callback_url(text).rstrip("/"), {"MessageStatus": "delivered"})

    assert response.status_code == 204


def test_a_late_sent_never_replaces_delivered(client, text):
    form_post(client, callback_url(text), {"MessageStatus": "delivered"})

    response = form_post(client, callback_url(text), {"MessageStatus": "sent"})

    assert response.status_code == 204
    text.refresh_from_db()
    assert text.status == Text.Status.DELIVERED


def test_missing_or_unknown_status_is_400_in_envelope(client, text):
    response = form_post(client, callback_url(text), {"MessageSid": "SM1", "MessageStatus": "teleported"})

    assert response.status_code == 400
    assert errors_of(response)[0]["code"] == "VALIDATION_ERROR"
    text.refresh_from_db()
    assert text.status == Text.Status.SENT


def test_unknown_text_is_404_in_envelope(client):
    response = form_post(client, f"/courier/v1/texts/{uuid.uuid4()}/callback/", {"MessageStatus": "delivered"})

    assert response.status_code == 404
    assert errors_of(response)[0]["code"] == "NOT_FOUND"


def test_get_is_405(client, text):
    response = client.get(callback_url(text))

    assert response.status_code == 405
    assert errors_of(response)[0]["status"] == 405


def test_twilio_signature_is_verified(client, text, twilio_settings):
    params = {"MessageSid": "SM1", "MessageStatus": "delivered", "ErrorCode": ""}

    response = signed_post(client, callback_url(text), params)

    assert response.status_code == 204
    text.refresh_from_db()
    assert text.status == Text.Status.DELIVERED


def test_twilio_bad_signature_is_403_and_changes_nothing(client, text, twilio_settings):
    response = signed_post(client, callback_url(text), {"MessageStatus": "delivered"}, token="someone-elses-token")

    assert response.status_code == 403
    assert errors_of(response)[0]["code"] == "FORBIDDEN"
    text.refresh_from_db()
    assert text.status == Text.Status.SENT


def test_twilio_missing_signature_is_403(client, text, twilio_settings):
    response = form_post(client, callback_url(text), {"MessageStatus": "delivered"})

    assert response.status_code == 403
    assert errors_of(response)[0]["status"] == 403


def test_twilio_signature_over_other_params_is_403(client, text, twilio_settings):
    path = callback_url(text)
    signature = RequestValidator(TOKEN).compute_signature(f"http://testserver{path}", {"MessageStatus": "sent"})

    response = form_post(client, path, {"MessageStatus": "delivered"}, HTTP_X_TWILIO_SIGNATURE=signature)

    assert response.status_code == 403
