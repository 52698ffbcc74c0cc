"""The real push adapters (PUSH_BACKEND=providers) against a local server that plays the providers: Web Push with
VAPID (the payload is decrypted here with the browser's key) and FCM HTTP v1 with a service-account credential
stored encrypted; a device-log row per push; refusals fail the delivery without a 500."""

import base64
import json
import os

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from messaging.models import AppCredential, Delivery, DeviceLog, Multicast
from messaging.push.providers import _fcm_credentials, _vapid
from messaging.services.multicasts import multicast_send
from messaging.services.push_setup import app_credential_create
from tests.factories import DeviceFactory
from tests.push_provider import ACCESS_TOKEN, PushProvider

pytestmark = pytest.mark.django_db


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.fixture
def provider(settings):
    server = PushProvider().start()
    settings.PUSH_BACKEND = "providers"
    settings.FCM_API_URL = server.url
    settings.FCM_TOKEN_URI = server.url + "/token"
    _fcm_credentials.cache_clear()
    _vapid.cache_clear()
    yield server
    server.stop()


@pytest.fixture
def vapid(settings):
    key = ec.generate_private_key(ec.SECP256R1())
    settings.WEBPUSH_VAPID_PRIVATE_KEY = b64(key.private_numbers().private_value.to_bytes(32, "big"))
    settings.WEBPUSH_VAPID_SUBJECT = "mailto:ops@example.com"
    return key


def web_subscription(provider):
    browser = ec.generate_private_key(ec.SECP256R1())
    public = browser.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    auth = os.urandom(16)
    token = json.dumps({"endpoint": f"{provider.url}/push/abc", "keys": {"p256dh": b64(public), "auth": b64(auth)}})
    return token, browser, auth


def service_account() -> dict:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return {
        "type": "service_account",
        "project_id": "crew-app",
        "private_key_id": "k1",
        "private_key": pem,
        "client_email": "push@crew-app.iam.gserviceaccount.com",
        "token_uri": "https://attacker.example/token",  # never used: FCM_TOKEN_URI wins
    }


def test_web_push_with_vapid_reaches_the_browser_encrypted(
    team, owner, template, crew, provider, vapid, django_capture_on_commit_callbacks
):
    token, browser, auth = web_subscription(provider)
    device = DeviceFactory(user=crew[1].user, device_id="web-1", push_service="web", notification_token=token)

    with django_capture_on_commit_callbacks(execute=True):
        multicast_send(team=team, template_id="shift-reminder", params={"start": "6:00"}, by=owner, channels=["push"])

    [call] = [c for c in provider.calls if c.path == "/push/abc"]
    assert call.headers["content-encoding"] == "aes128gcm"
    assert call.headers["authorization"].startswith("vapid t=")
    payload = json.loads(http_ece.decrypt(call.body, private_key=browser, auth_secret=auth, version="aes128gcm"))
    assert payload["title"] == "Shift at 6:00"
    assert payload["body"] == "Hi Crew1, see you at 6:00."
    log = DeviceLog.objects.get(device=device)
    assert (log.ok, log.title, log.badge_count) == (True, "Shift at 6:00", 1)


def test_fcm_v1_with_the_teams_encrypted_credential(
    team, owner, template, crew, provider, django_capture_on_commit_callbacks
):
    info = service_account()
    credential = app_credential_create(team=team, type="fcm", data=info, app_name="crew")
    assert info["private_key"] not in credential.data_encrypted  # encrypted at rest

    with django_capture_on_commit_callbacks(execute=True):
        multicast_send(team=team, template_id="shift-reminder", params={"start": "6:00"}, by=owner, channels=["push"])

    assert provider.token_requests[0]["claims"]["iss"] == info["client_email"]
    [call] = provider.calls
    assert call.path == "/v1/projects/crew-app/messages:send"
    assert call.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    message = call.json()["message"]
    assert message["token"] == "fcm-token-1"  # crew[0]'s device
    assert message["notification"] == {"title": "Shift at 6:00", "body": "Hi Crew0, see you at 6:00."}
    log = DeviceLog.objects.get()
    assert log.provider_id == "projects/crew-app/messages/1"
    assert Delivery.objects.get(channel="push").status == "sent"


def test_fcm_refusal_fails_the_delivery(team, owner, template, crew, provider, django_capture_on_commit_callbacks):
    app_credential_create(team=team, type="fcm", data=service_account())
    provider.statuses = [404]
    with django_capture_on_commit_callbacks(execute=True):
        multicast = multicast_send(
            team=team, template_id="shift-reminder", params={"start": "6"}, by=owner, channels=["push"]
        )
    delivery = Delivery.objects.get(channel="push")
    assert delivery.status == "failed"
    assert "404" in delivery.error
    assert DeviceLog.objects.get().ok is False
    multicast.refresh_from_db()
    assert multicast.status == Multicast.Status.FAILED


def test_no_fcm_credential_is_a_clear_failure(
    team, owner, template, crew, provider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        multicast_send(team=team, template_id="shift-reminder", params={"start": "6"}, by=owner, channels=["push"])
    assert "No FCM app-credential" in Delivery.objects.get(channel="push").error
    assert not provider.calls
    assert AppCredential.objects.count() == 0
