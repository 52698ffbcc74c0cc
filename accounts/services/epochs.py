"""Per-user epochs in the shared cache: a random token that every write concerning the user replaces.

Values derived from a user's rows (the credential behind a secret, the `/me` answer) are kept per process with the
epoch they were read under, and used only while it is unchanged (accounts/services/credential_cache.py).
"""

import secrets
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from core.cache import settle

_EPOCH_KEY = "crewdesk:user-epoch:{}"
# An epoch not bumped for this long is dropped; the next request makes a new one (and re-reads its rows).
EPOCH_TTL_SECONDS = 30 * 24 * 3600


def epoch_key(user_id: int) -> str:
    return _EPOCH_KEY.format(user_id)


def current_epoch(user_id: int) -> str:
    """The user's epoch; a user without one gets one (a cache restart starts everybody afresh)."""
    key = epoch_key(user_id)
    epoch = cache.get(key)
    if epoch is None:
        cache.add(key, secrets.token_hex(8), timeout=EPOCH_TTL_SECONDS)
        epoch = cache.get(key)
    return epoch


def user_epochs_bump(user_ids: Iterable[int]) -> None:
    """Invalidate every cached credential and derived value of these users, in every process.

    Bumped now and again after the surrounding transaction commits: a request that read the old rows between the
    two cannot keep them (the commit-time epoch differs from the one it stamped)."""
    keys = [epoch_key(user_id) for user_id in {int(user_id) for user_id in user_ids if user_id is not None}]
    if not keys:
        return

    def bump():
        cache.set_many({key: secrets.token_hex(8) for key in keys}, timeout=EPOCH_TTL_SECONDS)
        settle(cache)  # every process's tracked copy is dropped before this returns (user_epoch)

    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump)


def user_epoch(user_id: int) -> str | None:
    """The user's epoch as every request checks it: from this process's tracked copy with Redis (no round trip
    while Redis has announced no change to it: core.cache.TrackedKeys), else a plain cache read."""
    tracked_get = getattr(cache, "get_tracked", None)
    return cache.get(epoch_key(user_id)) if tracked_get is None else tracked_get(epoch_key(user_id))
