"""Django's Redis cache backend, with one Redis client per connection pool instead of one per call, and tracked reads.

django.core.cache.backends.redis builds a new `redis.Redis` for every cache call, and building one copies its ~80
response callbacks: on these machines that was a quarter of a warm cache hit, paid twice by every authenticated
request (the credential epoch, then the response cache). A client is a thin, thread-safe front of its pool, so
keeping it changes nothing else. (django-redis would do the same, but brings its own client, serializer and
options; this keeps the stock backend everyone reads about.)
"""

import logging
import os
import threading
import time
from collections import OrderedDict

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_MISSING = object()
logger = logging.getLogger(__name__)


class _TrackingRefused(Exception):
    """Redis answered the tracking set-up with an error."""


class TrackedKeys:
    """A per-process copy of hot keys that Redis keeps honest (server-assisted client-side caching, Redis >= 6).

    The reading connection has CLIENT TRACKING on: Redis remembers every key it read, and when any client changes
    one of them — or it expires, is evicted or the database is flushed — pushes the key's name to our listening
    connection (RESP2 redirect to a `__redis__:invalidate` subscriber). Before every read the pushed names are
    drained (a non-blocking poll of that socket) and dropped, so a copy is served only while Redis has announced no
    change to it: a write is seen by every read that starts after Redis pushed its message, which it does at the end of
    the event-loop turn that made the write — so once the writer has had an answer to a later command
    (ReusingRedisCache.settle). A connection error, a fork or a lost subscriber forgets every copy
    and starts over: a message we might have missed must never leave a stale copy behind.

    redis-py's own client-side cache (`cache_config`) needs RESP3 and Redis 7.4; this needs neither.
    """

    CHANNEL = "__redis__:invalidate"

    def __init__(
        self,
        pool: redis.ConnectionPool,
        loads,
        *,
        max_keys: int = 10_000,
        max_bytes: int = 64 << 20,
        max_age: float = 5.0,
    ):
        self._pool = pool
        self._loads = loads
        self._max_keys, self._max_bytes = max_keys, max_bytes
        # Defence in depth: a copy is read again after this long even with no message, which bounds what a
        # subscriber that died without a sign (a network that drops packets silently) could leave stale.
        self._max_age = max_age
        self._values: OrderedDict[bytes, tuple[object, int, float]] = OrderedDict()  # key -> (value, size, until)
        self._bytes = 0
        self._lock = threading.Lock()  # a threaded dev server shares one instance
        self._pid = None
        self._reader = self._listener = None
        self.listener_id = None  # Redis's CLIENT ID of the subscriber
        self.unsupported = False  # Redis refused tracking: every read goes to Redis (correct, only slower)
        self._plain = None  # the client for those reads

    def get(self, key: str):
        """The value of `key` (deserialized), None when missing; raises redis errors like a plain GET."""
        if self.unsupported:
            return self._plain_get(key)
        with self._lock:
            for attempt in (1, 2):
                try:
                    return self._get(key.encode())
                except _TrackingRefused:
                    self._forget()
                    self.unsupported = True
                    logger.warning("Redis refused client tracking: hot keys are read each time", exc_info=True)
                    break
                except (redis.ConnectionError, OSError):
                    self._forget()  # e.g. a killed or restarted connection: once more on a fresh pair
                    if attempt == 2:
                        raise
                except redis.RedisError:
                    self._forget()
                    raise
        return self._plain_get(key)

    def _plain_get(self, key: str):
        if self._plain is None:
            self._plain = redis.Redis(connection_pool=self._pool)
        raw = self._plain.get(key)
        return None if raw is None else self._loads(raw)

    def _get(self, key: bytes):
        self._connect()
        self._drain()
        kept = self._values.get(key, _MISSING)
        now = time.monotonic()
        if kept is not _MISSING:
            if kept[2] > now:
                self._values.move_to_end(key)
                return kept[0]
            self._drop(key)
        self._reader.send_command("GET", key)
        raw = self._reader.read_response()
        value = None if raw is None else self._loads(raw)
        size = len(key) + (len(raw) if raw is not None else 0)
        self._values[key] = (value, size, now + self._max_age)
        self._bytes += size
        while len(self._values) > self._max_keys or self._bytes > self._max_bytes:
            self._drop(next(iter(self._values)))  # the least recently used; forgetting a copy is always safe
        return value

    def _drop(self, key: bytes) -> None:
        kept = self._values.pop(key, None)
        if kept is not None:
            self._bytes -= kept[1]

    def _connect(self):
        if self._pid == os.getpid() and self._reader is not None:
            return
        if self._pid != os.getpid():
            self._reader = self._listener = None  # a forked child must not share its parent's sockets
        self._forget()
        listener = self._new_connection()
        reader = self._new_connection()
        try:
            listener.send_command("CLIENT", "ID")
            listener_id = listener.read_response()
            listener.send_command("SUBSCRIBE", self.CHANNEL)
            listener.read_response()
            reader.send_command("CLIENT", "TRACKING", "on", "REDIRECT", listener_id)
            if reader.read_response() not in (b"OK", "OK"):
                raise redis.ResponseError("CLIENT TRACKING did not answer OK")
        except redis.ResponseError as exc:  # an ACL, a proxy or a Redis before 6 refuses these commands
            listener.disconnect()
            reader.disconnect()
            raise _TrackingRefused from exc
        self._listener, self._reader, self._pid, self.listener_id = listener, reader, os.getpid(), listener_id

    def _new_connection(self) -> redis.Connection:
        connection = self._pool.connection_class(**self._pool.connection_kwargs)
        connection.connect()
        return connection

    def _drain(self):
        while self._listener.can_read(timeout=0):
            message = self._listener.read_response()
            kind, keys = message[0], message[2] if len(message) > 2 else None
            if kind not in (b"message", "message"):
                continue
            if keys is None:  # FLUSHDB / FLUSHALL
                self._values.clear()
                self._bytes = 0
                continue
            for key in keys if isinstance(keys, list) else [keys]:
                self._drop(key if isinstance(key, bytes) else key.encode())

    def _forget(self):
        self._values.clear()
        self._bytes = 0
        for connection in (self._reader, self._listener):
            if connection is not None and self._pid == os.getpid():
                connection.disconnect()
        self._reader = self._listener = None


def settle(backend) -> None:
    """After a write other processes must see at once: wait until Redis has pushed its invalidations (a no-op for
    a backend without tracked reads)."""
    backend_settle = getattr(backend, "settle", None)  # `backend` may be django.core.cache.cache, a proxy
    if backend_settle is not None:
        backend_settle()


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._tracked = None

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def get_tracked(self, key, default):
        if self._tracked is None:
            self._tracked = TrackedKeys(self._get_connection_pool(write=False), self._serializer.loads)
        value = self._tracked.get(key)
        return default if value is None else value


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def settle(self) -> None:
        """Return once Redis has pushed to every tracking process the invalidations of this process's earlier
        writes: Redis writes all pending pushes at the end of the event-loop turn that made them, so by the time it
        answers a later command (a PING) they have left it. Called after writes another process must see at once."""
        self._cache.get_client(write=True).ping()

    def get_tracked(self, key, default=None, version=None):
        """`get` answered from this process's tracked copy (TrackedKeys) when Redis has announced no change: for a
        few hot keys read on every request (the user epochs, the shift lists' versions and pages). Each copy is kept
        in memory, at most 10,000 keys and 64 MiB per process (least recently used first out), and the same object
        is handed to every caller: treat it as read-only."""
        key = self.make_and_validate_key(key, version=version)
        return self._cache.get_tracked(key, default)
