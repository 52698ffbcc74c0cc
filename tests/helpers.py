"""Small helpers shared by API tests of every family."""

from rest_framework.test import APIClient

from accounts.services.credentials import auth_token_issue


def user_client(user) -> APIClient:
    """A client acting as `user` with a fresh token: sent as `token` (tada, tommy) and as Bearer (inbox, courier)."""
    token = auth_token_issue(user=user)[1]
    c = APIClient()
    c.credentials(HTTP_TOKEN=token, HTTP_AUTHORIZATION=f"Bearer {token}")
    return c


def assert_tada_error(response, status: int) -> dict:
    """The response is `status` in the tada envelope {"_time", "ok": false, "error": "<message>"}."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["ok"] is False
    assert isinstance(body["error"], str)
    assert "_time" in body
    return body


def assert_tommy_error(response, status: int) -> dict:
    """The response is `status` in the tommy envelope {"error": true, "code", "message", "request_id"}."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["error"] is True
    assert isinstance(body["code"], str)
    assert body["request_id"] == response["X-Request-ID"]
    return body


def redis_cache_settings(prefix: str) -> dict:
    """CACHES for a test that needs the production Redis cache (core.cache.ReusingRedisCache, tracked reads) on the
    integration tests' Redis database, its keys under `prefix`; skips the test without REDIS_URL."""
    import os
    import urllib.parse

    import pytest

    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis: REDIS_URL is unset")
    parts = urllib.parse.urlsplit(os.environ["REDIS_URL"])
    url = parts._replace(path=f"/{os.environ.get('CREWDESK_IT_REDIS_DB', '15')}").geturl()
    return {"default": {"BACKEND": "core.cache.ReusingRedisCache", "LOCATION": url, "KEY_PREFIX": prefix}}


def redis_cache_cleanup(prefix: str) -> None:
    """Delete the keys a test wrote under `prefix` (FLUSHDB would take other tests' keys too)."""
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    cache.settle()
