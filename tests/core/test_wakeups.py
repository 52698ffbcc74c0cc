"""Coalesced wake-ups (core/wakeups.py) on Redis: a burst publishes one drain; while its flag is set the rest of the
burst costs no round trip (the process's tracked copy answers); once the drain has cleared the flag — in this
process or another — the next item wakes a new drain."""

import time
import uuid

import pytest
import redis
from django.core.cache import cache

from core.wakeups import wake, woken
from tests.helpers import redis_cache_cleanup, redis_cache_settings


@pytest.fixture(autouse=True)
def redis_cache(settings):
    prefix = f"test-wake-{uuid.uuid4().hex}"
    settings.CACHES = redis_cache_settings(prefix)
    yield
    redis_cache_cleanup(prefix)


@pytest.fixture
def published():
    return []


def wake_once(published, tag):
    wake("test-wake:1", seconds=5, publish=lambda: published.append(tag))


def test_a_burst_publishes_one_drain_and_asks_redis_once(published, monkeypatch):
    adds = []
    real_add = cache.add
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: adds.append(args) or real_add(*args, **kwargs))
    for n in range(5):
        wake_once(published, n)
    assert published == [0]
    assert len(adds) == 1  # the other four saw the flag in the tracked copy


def test_a_flag_cleared_by_the_drain_wakes_the_next_item(published):
    wake_once(published, "first")
    woken("test-wake:1")
    wake_once(published, "second")
    assert published == ["first", "second"]


def test_a_flag_cleared_in_another_process_is_seen_at_once(published):
    wake_once(published, "first")
    other = redis.Redis.from_url(cache._cache._servers[0])  # another worker's drain: DEL, then settled by a PING
    other.delete(cache.make_and_validate_key("test-wake:1"))
    other.ping()
    wake_once(published, "second")
    assert published == ["first", "second"]
    other.close()


def test_an_expired_flag_wakes_again(published):
    wake("test-wake:2", seconds=1, publish=lambda: published.append("first"))
    deadline = time.monotonic() + 6
    while len(published) < 2:
        assert time.monotonic() < deadline, "an expired flag still held the wake-up back"
        time.sleep(0.1)
        wake("test-wake:2", seconds=1, publish=lambda: published.append("again"))
    assert published == ["first", "again"]
