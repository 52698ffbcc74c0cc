"""Coalesced wake-ups: with a cache every process shares (Redis), a burst of stored work wakes ONE drain task.

The webhook that stores an item sets a flag (`cache.add`, so only the first of a burst succeeds) and publishes the
drain task only when it set it; the drain clears the flag before it reads what waits. A Celery publish per item
was a third of a webhook's time. With Redis the flag is read from the process's tracked copy first
(core.cache.TrackedKeys): while it is set, the rest of a burst costs no round trip at all. The drain's clear is
settled (every process's copy dropped) before it reads, so an item committed after that read always sees the flag
gone and wakes another drain. The flag expires, so a drain task the broker lost delays the next item by seconds,
never loses it (each app also sweeps what stays waiting). Used by inbound SMS and the inbox's channels.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

from core.cache import settle


def coalescing(flag: bool | None) -> bool:
    """The app's setting, or automatic (None): only where every process shares the cache (locmem is per process)."""
    if flag is None:
        return settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    return flag


def wake(key: str, *, seconds: int, publish: Callable[[], object]) -> None:
    """Publish the drain task unless one is already woken for `key`. Call after the item committed."""
    tracked_get = getattr(cache, "get_tracked", None)
    if tracked_get is not None and tracked_get(key) is not None:
        return  # woken, and its drain has not cleared the flag yet (it settles the clear before reading)
    if cache.add(key, 1, timeout=seconds):
        publish()


def woken(key: str) -> None:
    """The drain's first step, before it reads what waits: clear the flag, in every process's copy too."""
    cache.delete(key)
    settle(cache)
