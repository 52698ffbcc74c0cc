"""Tracked reads (core/cache.py TrackedKeys): a copy kept in process memory is served only while Redis has announced
no change to its key, so another process's write is seen by the very next read (the user epochs that guard the
credential cache depend on it: accounts/services/epochs.py)."""

import os
import time
import urllib.parse

import pytest
import redis

from core.cache import ReusingRedisCache

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: REDIS_URL is unset")


@pytest.fixture
def redis_url():
    parts = urllib.parse.urlsplit(os.environ["REDIS_URL"])
    return parts._replace(path=f"/{os.environ.get('CREWDESK_IT_REDIS_DB', '15')}").geturl()


@pytest.fixture
def cache(redis_url):
    backend = ReusingRedisCache(redis_url, {"KEY_PREFIX": f"tracked-test-{os.getpid()}-{time.monotonic_ns()}"})
    yield backend
    backend.clear()


def write_from_another_client(cache, key, value) -> None:
    """SET with a client of its own, as another gunicorn worker or a shell would, then settle as the epochs do
    (ReusingRedisCache.settle: a PING, answered only after Redis has pushed the SET's invalidation)."""
    raw = redis.Redis.from_url(cache._servers[0])
    raw.set(cache.make_and_validate_key(key), cache._cache._serializer.dumps(value))
    raw.ping()
    raw.close()


def round_trips(cache) -> list:
    """Record every command the tracked reader sends (an observer: the command still goes to Redis)."""
    cache.get_tracked("warm-up")
    reader = cache._cache._tracked._reader
    sent = []
    send = reader.send_command
    reader.send_command = lambda *args, **kwargs: (sent.append(args), send(*args, **kwargs))[1]
    return sent


def test_a_repeated_read_is_answered_from_memory(cache):
    cache.set("epoch:1", "a")
    sent = round_trips(cache)
    assert [cache.get_tracked("epoch:1") for _ in range(5)] == ["a"] * 5
    assert len(sent) == 1


def test_a_write_by_another_client_is_seen_by_the_next_read(cache):
    cache.set("epoch:1", "a")
    assert cache.get_tracked("epoch:1") == "a"
    write_from_another_client(cache, "epoch:1", "b")
    assert cache.get_tracked("epoch:1") == "b"
    cache.delete("epoch:1")
    cache.settle()
    assert cache.get_tracked("epoch:1", "gone") == "gone"


def test_a_missing_key_created_later_is_seen(cache):
    assert cache.get_tracked("epoch:2") is None
    cache.set("epoch:2", "created")
    cache.settle()
    assert cache.get_tracked("epoch:2") == "created"


def test_an_expired_key_is_dropped_when_redis_expires_it(cache):
    cache.set("epoch:3", "short", timeout=1)
    assert cache.get_tracked("epoch:3") == "short"
    deadline = time.monotonic() + 6
    while cache.get_tracked("epoch:3") is not None:
        assert time.monotonic() < deadline, "the expired key was still served from memory"
        time.sleep(0.05)


def test_losing_the_listener_forgets_every_copy(cache):
    """A killed subscriber could have missed a message: nothing read before it may be served after it."""
    cache.set("epoch:4", "old")
    assert cache.get_tracked("epoch:4") == "old"
    tracked = cache._cache._tracked
    killed = tracked.listener_id
    admin = redis.Redis.from_url(cache._servers[0])
    admin.client_kill_filter(_id=killed)
    write_from_another_client(cache, "epoch:4", "new")  # its message has no subscriber to go to
    assert cache.get_tracked("epoch:4") == "new"
    assert tracked.listener_id != killed  # subscribed again
    write_from_another_client(cache, "epoch:4", "newer")
    assert cache.get_tracked("epoch:4") == "newer"  # and tracking works on the new pair
    admin.close()


def test_a_forked_child_does_not_use_its_parents_connections(cache):
    cache.set("epoch:5", "parent")
    assert cache.get_tracked("epoch:5") == "parent"
    parent_reader = cache._cache._tracked._reader
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a new pair of connections, the parent's copy forgotten
        try:
            ok = cache.get_tracked("epoch:5") == "parent" and cache._cache._tracked._reader is not parent_reader
        except Exception:
            ok = False
        os.write(write, b"1" if ok else b"0")
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1"
    assert cache._cache._tracked._reader is parent_reader
    write_from_another_client(cache, "epoch:5", "changed")
    assert cache.get_tracked("epoch:5") == "changed"  # the parent's tracking is intact


def test_a_copy_is_read_again_after_its_max_age_even_without_a_message(cache, monkeypatch):
    """A subscriber that died without a sign (no FIN: packets silently dropped) delivers nothing: the copy still
    goes stale after max_age at most."""
    cache.get_tracked("warm-up")
    tracked = cache._cache._tracked
    monkeypatch.setattr(tracked, "_max_age", 0.2)
    cache.set("epoch:6", "before")
    assert cache.get_tracked("epoch:6") == "before"
    monkeypatch.setattr(tracked, "_drain", lambda: None)  # the silent subscriber
    write_from_another_client(cache, "epoch:6", "after")
    assert cache.get_tracked("epoch:6") == "before"  # no message came, and the copy is young: served as it was
    time.sleep(0.25)
    assert cache.get_tracked("epoch:6") == "after"


@pytest.fixture
def cache_without_tracking(redis_url):
    """The production backend logged in as a Redis ACL user that may read and write keys but not CLIENT or
    SUBSCRIBE, as behind some proxies and managed services."""
    admin = redis.Redis.from_url(redis_url)
    name, password = f"no-tracking-{os.getpid()}", "pw-" + os.urandom(8).hex()
    admin.acl_setuser(
        name, enabled=True, passwords=[f"+{password}"], keys=["*"], commands=["+@all", "-client", "-subscribe"]
    )
    parts = urllib.parse.urlsplit(redis_url)
    url = parts._replace(netloc=f"{name}:{password}@{parts.hostname}:{parts.port or 6379}").geturl()
    backend = ReusingRedisCache(url, {"KEY_PREFIX": f"tracked-test-{os.getpid()}-{time.monotonic_ns()}"})
    yield backend
    admin.acl_deluser(name)
    admin.close()


def test_a_redis_that_refuses_tracking_is_read_each_time(cache_without_tracking):
    cache = cache_without_tracking
    cache.set("epoch:7", "first")
    assert cache.get_tracked("epoch:7") == "first"
    assert cache._cache._tracked.unsupported
    cache.set("epoch:7", "second")  # no message could come: only a read of Redis each time is correct
    assert cache.get_tracked("epoch:7") == "second"
    cache.delete("epoch:7")
    assert cache.get_tracked("epoch:7", "gone") == "gone"
