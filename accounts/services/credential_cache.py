"""Who is calling, without a database query on every request (issue 10).

Every authenticated API request used to read its credential row (key or token, user, team, membership) from the
database: on these machines that query and the instances built from it were most of what separated `GET /me` from
a ping. This module keeps that row per process, keyed by the secret's hash, for at most CREDENTIAL_CACHE_SECONDS.

Why a stale row cannot act: each entry is stamped with its user's *epoch*, a random token kept in the shared cache
(Redis) under the user's id. Every write that could change what a credential may do or what `/me` shows (the user,
their memberships, devices, tokens and keys, their teams) sets a new epoch for the users concerned
(accounts.services.epochs.user_epochs_bump, called by the signal handlers in accounts/signals.py and by the
services that write with `QuerySet.update`). A request reads the epoch (one cache GET) and uses its entry only if
the epoch is unchanged, so a revoked key is refused at once by every process. The epoch is read *before* the row,
so a write that lands between the two is caught by the next request.

Only where the cache is shared by every process (Redis): with the local-memory cache each process would keep its
own epochs, and a revocation seen by one worker would not reach the others, so the cache is off there by default.
"""

import pickle
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from accounts.models import ApiKey, AuthToken, hash_secret
from accounts.services.credentials import credential_from_row, credential_row, credential_user_id
from accounts.services.epochs import current_epoch, user_epoch

MAX_ENTRIES = 10_000  # per process; least recently used entries go first


@dataclass
class _Entry:
    user_id: int
    epoch: str | None  # None: seen once, not yet stamped (see credential_lookup)
    snapshot: bytes = b""  # the credential with its user, team and membership, pickled: each request unpickles its own
    expires: float = 0.0
    last_used_at: object = None  # the latest touch by this process (the row keeps the value it was read with)
    derived: dict = field(default_factory=dict)  # values computed from this credential under this epoch


_entries: OrderedDict[str, _Entry] = OrderedDict()


def enabled() -> bool:
    return settings.CREDENTIAL_CACHE_SECONDS > 0


def clear() -> None:
    """Forget every entry of this process (tests; a worker never needs it)."""
    _entries.clear()


def credential_lookup(raw: str) -> ApiKey | AuthToken | None:
    """accounts.services.credentials.credential_find, answered from this process's entry while its user's epoch
    is unchanged. Every request gets instances of its own (unpickled from the entry's snapshot)."""
    if not raw:
        return None
    if not enabled():
        row = credential_row(raw)
        return None if row is None else credential_from_row(raw, row)
    digest = hash_secret(raw)
    entry = _entries.get(digest)
    now = time.monotonic()
    fresh = entry is not None and entry.epoch is not None and entry.expires > now
    if fresh and user_epoch(entry.user_id) == entry.epoch:
        _entries.move_to_end(digest)
        # Unpickling costs half of building the instances from the row again (Model.from_db per field).
        return _prepared(pickle.loads(entry.snapshot), entry)
    # A miss. The epoch must be read before the row; for a secret never seen we do not know its user yet, so the
    # first sighting only notes the user and the second one stamps the entry.
    epoch = current_epoch(entry.user_id) if entry is not None else None
    row = credential_row(raw)
    if row is None:
        _entries.pop(digest, None)
        return None
    user_id = credential_user_id(raw, row)
    if entry is not None and user_id != entry.user_id:
        epoch = None  # cannot happen (a secret belongs to one user for life), but never stamp another user's epoch
    credential = credential_from_row(raw, row)
    snapshot = pickle.dumps(credential, protocol=pickle.HIGHEST_PROTOCOL)
    entry = _Entry(user_id=user_id, epoch=epoch, snapshot=snapshot, expires=now + settings.CREDENTIAL_CACHE_SECONDS)
    _entries[digest] = entry
    _entries.move_to_end(digest)
    while len(_entries) > MAX_ENTRIES:
        _entries.popitem(last=False)
    return _prepared(credential, entry)


def _prepared(credential: ApiKey | AuthToken, entry: _Entry) -> ApiKey | AuthToken:
    if entry.last_used_at is not None:
        credential.last_used_at = entry.last_used_at
    credential._cache_entry = entry  # for note_touch and derived
    if isinstance(credential, AuthToken) and entry.epoch is not None:
        # The token's teams (a query, AuthToken.team_ids): once per epoch instead of once per request.
        credential.__dict__["team_ids"] = derived(credential, "team_ids", lambda: AuthToken.team_ids.func(credential))
    return credential


def note_touch(credential) -> None:
    """After credential_touch: remember the new last_used_at, so this process does not touch again every request."""
    entry = getattr(credential, "_cache_entry", None)
    if entry is not None:
        entry.last_used_at = credential.last_used_at


def derived(credential, name: str, compute: Callable[[], object]):
    """`compute()` once per credential, epoch and `name` in this process: for values that only change when the
    user's epoch does (the teams a token sees, the `/me` answer). Computed every time when the credential did not
    come from the cache."""
    entry = getattr(credential, "_cache_entry", None)
    if entry is None or entry.epoch is None:
        return compute()
    if name not in entry.derived:
        entry.derived[name] = compute()
    return entry.derived[name]
