"""qr-login.png (authenticated caller shows a QR) and qr-auth (the new device logs in with its temp token)."""

import io
from urllib.parse import unquote

import pytest
import qrcode
from PIL import Image
from rest_framework.test import APIClient

from accounts.models import AuthToken, Device, OneTimeCode

pytestmark = pytest.mark.django_db

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _pixels(png: bytes) -> list:
    return list(Image.open(io.BytesIO(png)).convert("1").getdata())


def _temp_token(api_client) -> str:
    response = api_client.get("/api/v3/qr-login.png?debug=True")
    assert response.status_code == 200
    return unquote(response.json()["result"]["url"].rsplit("/", 1)[1])


def test_qr_login_png_is_an_image_outside_the_envelope(tada_client, owner):
    response = tada_client.get("/api/v3/qr-login.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(PNG_SIGNATURE)
    assert OneTimeCode.objects.filter(user=owner, purpose=OneTimeCode.Purpose.QR_LOGIN).count() == 1


def test_qr_login_png_with_accept_image_png(tada_client):
    response = tada_client.get("/api/v3/qr-login.png", HTTP_ACCEPT="image/png")
    assert response.status_code == 200
    assert response.content.startswith(PNG_SIGNATURE)


def test_qr_login_png_value_encodes_the_given_token(tada_client, owner):
    response = tada_client.get("/api/v3/qr-login.png?value=Sqt9O7toIgw-ud-G", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    expected = io.BytesIO()
    qrcode.make("otv://qr-login/127.0.0.1%3A8000/Sqt9O7toIgw-ud-G").save(expected, format="PNG")
    assert _pixels(response.content) == _pixels(expected.getvalue())
    assert not OneTimeCode.objects.filter(purpose=OneTimeCode.Purpose.QR_LOGIN).exists()


def test_qr_login_debug_answers_url_and_lifetime_in_envelope(tada_client):
    response = tada_client.get("/api/v3/qr-login.png?debug=True", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["result"]["lifetime_sec"] == 60
    prefix = "otv://qr-login/127.0.0.1%3A8000/"
    assert body["result"]["url"].startswith(prefix)
    assert len(body["result"]["url"][len(prefix) :]) == 16


def test_qr_login_debug_with_value(tada_client):
    url = tada_client.get("/api/v3/qr-login.png?debug&value=abc").json()["result"]["url"]
    assert url == "otv://qr-login/testserver/abc"


def test_qr_login_png_needs_credentials_and_errors_in_envelope(client):
    response = client.get("/api/v3/qr-login.png")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["ok"] is False


def test_qr_login_png_empty_value_is_validation_error(tada_client):
    response = tada_client.get("/api/v3/qr-login.png?value=")
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert "value" in response.json()["details"]


def test_qr_auth_logs_in_as_the_qr_owner_with_a_new_device(tada_client, owner, team):
    temp_token = _temp_token(tada_client)
    response = APIClient().post(
        "/api/v3/qr-auth",
        {"device_id": "a6a6d308730f27ce32d1-2", "name": "ондроед", "temp_token": temp_token, "type": "android"},
        format="json",
    )
    assert response.status_code == 200, response.content
    result = response.json()["result"]
    assert result["me"]["phone"] == owner.phone
    assert [d["device_id"] for d in result["me"]["devices"]] == ["a6a6d308730f27ce32d1-2"]
    assert result["me"]["devices"][0]["type"] == "android"
    assert [t["uid"] for t in result["me"]["teams"]] == [str(team.uid)]
    device = Device.objects.get(user=owner, device_id="a6a6d308730f27ce32d1-2")
    assert AuthToken.objects.filter(user=owner, device=device).count() == 1
    me = APIClient().get("/api/v3/me", HTTP_AUTHORIZATION=f"Bearer {result['token']}")
    assert me.status_code == 200
    assert me.json()["result"]["phone"] == owner.phone


def test_qr_auth_token_is_single_use(tada_client):
    temp_token = _temp_token(tada_client)
    assert APIClient().post("/api/v3/qr-auth", {"temp_token": temp_token}, format="json").status_code == 200
    again = APIClient().post("/api/v3/qr-auth", {"temp_token": temp_token}, format="json")
    assert again.status_code == 400
    assert "temp_token" in again.json()["details"]


def test_qr_auth_with_a_value_only_token_fails(tada_client, client):
    tada_client.get("/api/v3/qr-login.png?value=made-up-token")
    response = client.post("/api/v3/qr-auth", {"temp_token": "made-up-token"}, format="json")
    assert response.status_code == 400
    assert response.json()["ok"] is False


@pytest.mark.parametrize("body", [{}, {"temp_token": ""}, {"temp_token": "x", "type": "nokia"}])
def test_qr_auth_validation_errors(client, body):
    response = client.post("/api/v3/qr-auth", body, format="json")
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert not AuthToken.objects.exists()
