"""ping, time, countries: public service calls in the {"_time", "ok", "result"} envelope."""

import json
import re
import threading
import time
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from api.tada.countries import countries

pytestmark = pytest.mark.django_db

COUNTRIES_JSON = Path(__file__).resolve().parents[2] / "api" / "tada" / "data" / "countries.json"


def test_post_ping_is_pong(client):
    response = client.post("/api/v3/ping", {}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["result"] == "pong"
    assert re.fullmatch(r"\d+(\.\d+)? (ms|s)", body["_time"])


def test_get_ping_with_and_without_trailing_slash(client):
    assert client.get("/api/v3/ping").json()["result"] == "pong"
    assert client.get("/api/v3/ping/").json()["result"] == "pong"


def test_get_ping_waits_delay_sec(client, monkeypatch):
    slept = []
    monkeypatch.setattr("api.tada.accounts.time.sleep", slept.append)
    response = client.get("/api/v3/ping?delay_sec=1.5")
    assert response.status_code == 200
    assert response.json()["result"] == "pong"
    assert slept == [1.5]


@pytest.mark.parametrize("value", ["abc", "-1", "5.5", "10", "1e9", "nan", "inf"])
def test_get_ping_rejects_bad_or_unbounded_delay(client, monkeypatch, value):
    monkeypatch.setattr("api.tada.accounts.time.sleep", lambda s: pytest.fail("must not sleep"))
    response = client.get(f"/api/v3/ping?delay_sec={value}")
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    assert "delay_sec" in body["error"]
    assert "delay_sec" in body["details"]


def test_get_ping_error_is_a_server_error_in_envelope(client):
    response = client.get("/api/v3/ping?error")
    assert response.status_code == 500
    assert response.json()["ok"] is False


def test_ping_ignores_a_bad_token(client):
    response = client.get("/api/v3/ping", HTTP_TOKEN="not-a-token")
    assert response.status_code == 200


def test_time_is_utc_iso_with_z(client):
    response = client.get("/api/v3/time")
    assert response.status_code == 200
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", response.json()["result"])


def test_countries_are_the_documented_233_in_order(client):
    response = client.get("/api/v3/countries")
    assert response.status_code == 200
    countries = response.json()["result"]
    assert len(countries) == 233
    assert countries[0] == {"code": "+998", "name": "Узбекистан"}
    assert countries[1] == {"code": "+996", "name": "Кыргистан"}
    assert countries[-1] == {"code": "+1340", "name": "Виргинские Острова (США)"}
    assert {"code": "+1684", "name": "Американское Самоа"} in countries
    assert {"code": "+7", "name": "Казахстан"} in countries
    assert {"code": "+1", "name": "Пуэрто-Рико"} in countries
    assert sum(1 for c in countries if c["name"] == "Tanzania") == 1
    assert sum(1 for c in countries if c["code"] == "+1") == 3


def test_countries_have_exactly_one_default_russia(client):
    countries = client.get("/api/v3/countries").json()["result"]
    defaults = [c for c in countries if "default" in c]
    assert defaults == [{"code": "+7", "default": True, "name": "Россия"}]
    kz, ru = (i for i, c in enumerate(countries) if c["code"] == "+7")
    assert countries[kz]["name"] == "Казахстан"
    assert ru == kz + 1


def test_countries_served_from_the_data_file_loaded_once(client):
    assert client.get("/api/v3/countries").json()["result"] == json.loads(COUNTRIES_JSON.read_text("utf-8"))
    assert countries() is countries()


# Delayed pings hold a sync worker while they sleep: capped and budgeted (issue 8, item 10)


def _delayed_ping(client, delay: float, ip: str = "203.0.113.7"):
    return client.get(f"/api/v3/ping?delay_sec={delay}", REMOTE_ADDR=ip)


def test_only_one_delayed_ping_sleeps_at_a_time_on_the_server(client):
    # given a delayed ping sleeping in another thread (another worker)
    sleeping = threading.Thread(target=_delayed_ping, args=(APIClient(), 1.0, "203.0.113.1"))
    started = time.monotonic()
    sleeping.start()
    time.sleep(0.3)
    try:
        # when other addresses ask for a delay too, they are refused at once; a plain ping still answers at once
        for ip in ("203.0.113.2", "198.51.100.9"):
            refused = _delayed_ping(client, 1.0, ip)
            assert refused.status_code == 429
            assert refused.json()["ok"] is False
            assert int(refused["Retry-After"]) > 0
        assert client.get("/api/v3/ping").json()["result"] == "pong"
        assert time.monotonic() - started < 0.9
    finally:
        sleeping.join()
    # then, the slot free again, the next delayed ping sleeps
    assert _delayed_ping(client, 0.05, "203.0.113.2").status_code == 200


def test_an_address_gets_a_bounded_number_of_delayed_pings_a_minute(client, monkeypatch):
    monkeypatch.setattr("api.tada.accounts.time.sleep", lambda seconds: None)
    answers = [_delayed_ping(client, 0.01).status_code for _ in range(11)]
    assert answers == [200] * 10 + [429]
    assert _delayed_ping(client, 0.01, ip="198.51.100.1").status_code == 200  # another address has its own budget
    assert client.get("/api/v3/ping?delay_sec=0", REMOTE_ADDR="203.0.113.7").status_code == 200  # no delay: free
