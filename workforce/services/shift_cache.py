"""Response cache of the polled shift lists (GET /workforce/manager/shifts and /workforce/shifts; DESIGN.md §6).

What is cached: the rendered 200 answer (body bytes, Content-Type, X-Total-Count, Link) of one list request, keyed by
team, the team's timezone (it decides `shift_on_same_day`), viewer (both flags are per viewer), list scope and the
absolute request URI (page, per, filters; the Link header holds the host). Never cached: credentials, memberships or
permissions — authentication and the manager check run on every request, before the cache is read, so a revoked key
or a suspended user is refused at once. Nothing time-dependent is cached (`/workforce/shifts/active` is not).

Invalidation: each team has a "shifts version" (a random token; random so that an evicted, re-created version can
never match an old entry). Every write that can change a row or a flag of these lists (Shift and ShiftRequest writes
in workforce.services.shifts / shift_requests, the demo builder and reset) calls `shifts_changed(team_id=…)`, which
replaces the token right after commit. An entry stores the token read *before* its rows were queried, so an answer
computed from a snapshot older than a concurrent write is stored under a token that write has already replaced and
is never served. `ENTRY_TTL` bounds what a writer that forgot to bump could serve stale.

Only with a cache every process shares (Redis, memcached, the database cache): with LocMem (one per process) or the
dummy cache, nothing is cached — a write handled by one gunicorn worker could not invalidate another's memory. A cache
error never fails a request: reads fall back to the database, a failed bump is logged (robust on_commit).
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.memcached import BaseMemcachedCache
from django.core.cache.backends.redis import RedisCache
from django.db import transaction

from core.cache import settle

logger = logging.getLogger(__name__)

SHARED_BACKENDS = (RedisCache, BaseMemcachedCache, DatabaseCache)
ENTRY_TTL = 60  # seconds; a safety net only — writes invalidate at once
PREFIX = "wf:shifts:1"  # bump the trailing number when the cached shape changes


def enabled() -> bool:
    """True only with a cache shared by every process (never LocMem or dummy), unless SHIFT_LIST_CACHE is off."""
    return settings.SHIFT_LIST_CACHE and isinstance(_backend(), SHARED_BACKENDS)


def _backend():
    return caches["default"]  # per thread, and follows override_settings(CACHES=…)


def _version_key(team_id: int) -> str:
    return f"{PREFIX}:v:{team_id}"


@dataclass
class Lookup:
    """The outcome of `lookup`: a hit (`body` and `headers` set), or a miss to fill with `store`."""

    key: str | None = None
    version: str | None = None
    body: bytes | None = None
    headers: dict | None = None

    @property
    def hit(self) -> bool:
        return self.body is not None


def lookup(*, scope: str, team_id: int, timezone: str, viewer_id: int, uri: str) -> Lookup:
    """The team's current version, then the entry; a hit only when the entry's version is the current one. With
    Redis both come from this process's tracked copies (core.cache.TrackedKeys: no round trip while Redis has
    announced no change to either key), else in one cache round trip. On a miss, the version to store under is
    read here, before the caller queries the rows."""
    if not enabled():
        return Lookup()
    digest = hashlib.sha256(f"{scope}\0{timezone}\0{viewer_id}\0{uri}".encode()).hexdigest()[:32]
    key = f"{PREFIX}:e:{team_id}:{digest}"
    version_key = _version_key(team_id)
    backend = _backend()
    tracked_get = getattr(backend, "get_tracked", None)
    try:
        if tracked_get is not None:  # Redis: both from this process's copies while Redis announces no change
            version, entry = tracked_get(version_key), None
            if version is not None:
                entry = tracked_get(key)
        else:
            found = backend.get_many([version_key, key])
            version, entry = found.get(version_key), found.get(key)
        if version is None:
            version = secrets.token_hex(8)
            if not backend.add(version_key, version, timeout=None):
                return Lookup()  # another process just created it: do not store under a token that lost
        if entry is not None and entry[0] == version:
            return Lookup(key=key, version=version, body=entry[1], headers=entry[2])
    except Exception:  # the cache is an optimisation; the database answers
        logger.warning("shift list cache read failed", exc_info=True)
        return Lookup()
    return Lookup(key=key, version=version)


def store(found: Lookup, *, body: bytes, headers: dict) -> None:
    if found.key is None or found.version is None:
        return
    try:
        _backend().set(found.key, (found.version, body, headers), timeout=ENTRY_TTL)
    except Exception:
        logger.warning("shift list cache write failed", exc_info=True)


def _bump(team_id: int) -> None:
    backend = _backend()
    backend.set(_version_key(team_id), secrets.token_hex(8), timeout=None)
    settle(backend)  # no process answers from its tracked copy of the old version after this returns


def shifts_changed(*, team_id: int | None) -> None:
    """Invalidate the team's cached shift lists once the current transaction commits (at once outside one)."""
    if team_id is None or not enabled():
        return
    transaction.on_commit(lambda: _bump(team_id), robust=True)
