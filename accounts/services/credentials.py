"""API keys and auth tokens: created with a secret shown once, stored as a SHA-256 hash, revocable."""

import secrets
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from accounts.models import ApiKey, AuthToken, Device, Membership, Team, User, hash_secret
from accounts.services.epochs import user_epochs_bump
from core.db.rows import ModelColumns, split_row
from core.exceptions import PermissionDeniedError


@transaction.atomic
def api_key_create(
    *,
    team: Team,
    created_by: User,
    name: str = "",
    scopes: list[str] | None = None,
    allowed_ips: list[str] | None = None,
) -> tuple[ApiKey, str]:
    """Return the key row and its plaintext; the plaintext is never stored and cannot be shown again.

    A key acts for its team as the manager who made it (ApiKey.acts), so only a manager of the team may make one:
    a key made by anyone else would authenticate nowhere."""
    if not Membership.objects.active().managing().filter(team=team, user=created_by).exists():
        raise PermissionDeniedError("Only an owner, admin or workforce manager of the team may create its API keys.")
    plaintext = ApiKey.PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        team=team,
        created_by=created_by,
        name=name,
        display_prefix=plaintext[:10],
        key_hash=hash_secret(plaintext),
        scopes=list(scopes or []),
        allowed_ips=list(allowed_ips or []),
    )
    return key, plaintext


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    user_epochs_bump([api_key.created_by_id])  # every process refuses the key from the next request on
    api_key.refresh_from_db(fields=["revoked_at"])
    return api_key


@transaction.atomic
def auth_token_issue(
    *, user: User, device: Device | None = None, issued_by: AuthToken | None = None
) -> tuple[AuthToken, str]:
    """A 32-character URL-safe token, the form the tada document shows. `issued_by`: the token this one comes
    from (QR login); it is revoked with it, so a token never outlives the credential that made it."""
    plaintext = secrets.token_urlsafe(24)
    token = AuthToken.objects.create(
        user=user, device=device, issued_by=issued_by, display_prefix=plaintext[:6], key_hash=hash_secret(plaintext)
    )
    return token, plaintext


def _revoke_tokens_and_descendants(tokens) -> int:
    """Revoke `tokens` and every token issued from them, however far down (chains are short: QR logins)."""
    now = timezone.now()
    revoked, seen = 0, set()
    frontier = set(tokens.values_list("pk", flat=True))
    while frontier:
        revoked += AuthToken.objects.filter(pk__in=frontier, revoked_at__isnull=True).update(revoked_at=now)
        user_epochs_bump(AuthToken.objects.filter(pk__in=frontier).values_list("user_id", flat=True))
        seen |= frontier
        frontier = set(AuthToken.objects.filter(issued_by__in=frontier).values_list("pk", flat=True)) - seen
    return revoked


@transaction.atomic
def auth_token_revoke(*, token: AuthToken) -> AuthToken:
    _revoke_tokens_and_descendants(AuthToken.objects.filter(pk=token.pk))
    token.refresh_from_db(fields=["revoked_at"])
    return token


@transaction.atomic
def auth_tokens_revoke_for_device(*, device: Device) -> int:
    return _revoke_tokens_and_descendants(AuthToken.objects.filter(device=device))


# The credential lookup runs before every authenticated request, so it is one hand-written query (core/db/rows.py
# says why): an API key with its maker, its team and the maker's active membership there (what the key acts with);
# a token with its user. The membership conditions are MembershipQuerySet.active()'s; a test keeps them equal.
_API_KEY_LAYOUT = (
    ModelColumns(ApiKey, "k"),
    ModelColumns(User, "u"),
    ModelColumns(Team, "t"),
    ModelColumns(Membership, "m"),
)
_TOKEN_LAYOUT = (ModelColumns(AuthToken, "k"), ModelColumns(User, "u"))


@cache
def _api_key_sql(vendor: str) -> str:
    key, user, team, member = _API_KEY_LAYOUT
    c = connections[DEFAULT_DB_ALIAS]
    return (
        f"SELECT {key.select(c)}, {user.select(c)}, {team.select(c)}, {member.select(c)} FROM {key.table(c)}"
        f" INNER JOIN {user.table(c)} ON {user.column(c, 'id')} = {key.column(c, 'created_by')}"
        f" INNER JOIN {team.table(c)} ON {team.column(c, 'id')} = {key.column(c, 'team')}"
        f" LEFT OUTER JOIN {member.table(c)} ON {member.column(c, 'team')} = {key.column(c, 'team')}"
        f" AND {member.column(c, 'user')} = {key.column(c, 'created_by')}"
        f" AND {member.column(c, 'is_active')} = %s AND {member.column(c, 'invitation_pending')} = %s"
        f" AND {team.column(c, 'is_archived')} = %s"
        f" WHERE {key.column(c, 'key_hash')} = %s"
    )


@cache
def _token_sql(vendor: str) -> str:
    token, user = _TOKEN_LAYOUT
    c = connections[DEFAULT_DB_ALIAS]
    return (
        f"SELECT {token.select(c)}, {user.select(c)} FROM {token.table(c)}"
        f" INNER JOIN {user.table(c)} ON {user.column(c, 'id')} = {token.column(c, 'user')}"
        f" WHERE {token.column(c, 'key_hash')} = %s"
    )


def credential_find(raw: str) -> ApiKey | AuthToken | None:
    """The API key or token behind a presented secret (revoked ones too: the caller decides), or None.

    Lookup is by hash of the full secret (unique). An API key comes with `created_by`, `team` and
    `maker_membership` loaded; a token with `user`: authenticating and resolving the current team cost no more
    queries. accounts.services.credential_cache keeps the row per process, to skip the query on repeat calls."""
    if not raw:
        return None
    row = credential_row(raw)
    return None if row is None else credential_from_row(raw, row)


def credential_row(raw: str) -> tuple | None:
    """The one row `credential_find` reads: the credential joined with its user (and, for a key, team and the
    maker's membership)."""
    c = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: `django.db.connection` is a proxy, slow per attribute
    with c.cursor() as cursor:
        if raw.startswith(ApiKey.PREFIX):
            cursor.execute(_api_key_sql(c.vendor), [True, False, False, hash_secret(raw)])
        else:
            cursor.execute(_token_sql(c.vendor), [hash_secret(raw)])
        return cursor.fetchone()


def credential_from_row(raw: str, row: tuple) -> ApiKey | AuthToken:
    """Fresh model instances from a `credential_row` (each request gets its own: nothing is shared between them)."""
    c = connections[DEFAULT_DB_ALIAS]
    if not raw.startswith(ApiKey.PREFIX):
        token, user = split_row(row, _TOKEN_LAYOUT, c)
        token.user = user
        return token
    key, user, team, membership = split_row(row, _API_KEY_LAYOUT, c)
    key.created_by, key.team = user, team
    if membership is not None:
        membership.user, membership.team = user, team
    key.maker_membership = membership
    return key


def credential_user_id(raw: str, row: tuple) -> int:
    """The user a `credential_row` belongs to (a key's maker, a token's user), without building instances."""
    layout = _API_KEY_LAYOUT if raw.startswith(ApiKey.PREFIX) else _TOKEN_LAYOUT
    return row[len(layout[0]) + layout[1].pk_index]


# Touch last_used_at at most this often, so authenticating is not a write on every request.
LAST_USED_RESOLUTION_SECONDS = 60


def credential_touch(credential: ApiKey | AuthToken) -> None:
    now = timezone.now()
    last = credential.last_used_at
    if last is None or (now - last).total_seconds() >= LAST_USED_RESOLUTION_SECONDS:
        type(credential).objects.filter(pk=credential.pk).update(last_used_at=now)
        credential.last_used_at = now
        # Presence (inbox agent status) follows the same cadence: at most one write a minute per credential.
        User.objects.filter(pk=credential.user.pk).update(last_seen_at=now)
