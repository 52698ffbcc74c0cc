"""API keys and auth tokens: created with a secret shown once, stored as a SHA-256 hash, revocable."""

import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import ApiKey, AuthToken, Device, Team, User, hash_secret


@transaction.atomic
def api_key_create(
    *,
    team: Team,
    created_by: User,
    name: str = "",
    scopes: list[str] | None = None,
    allowed_ips: list[str] | None = None,
) -> tuple[ApiKey, str]:
    """Return the key row and its plaintext; the plaintext is never stored and cannot be shown again."""
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
    api_key.refresh_from_db(fields=["revoked_at"])
    return api_key


@transaction.atomic
def auth_token_issue(*, user: User, device: Device | None = None) -> tuple[AuthToken, str]:
    """A 32-character URL-safe token, the form the tada document shows."""
    plaintext = secrets.token_urlsafe(24)
    token = AuthToken.objects.create(
        user=user, device=device, display_prefix=plaintext[:6], key_hash=hash_secret(plaintext)
    )
    return token, plaintext


def auth_token_revoke(*, token: AuthToken) -> AuthToken:
    AuthToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token


def auth_tokens_revoke_for_device(*, device: Device) -> int:
    return AuthToken.objects.filter(device=device, revoked_at__isnull=True).update(revoked_at=timezone.now())


def credential_find(raw: str) -> ApiKey | AuthToken | None:
    """The usable API key or token behind a presented secret, or None. Lookup is by hash of the full secret."""
    if not raw:
        return None
    digest = hash_secret(raw)
    # One indexed lookup joined to the acting user only (scoping needs team_id, never the team row); get() avoids
    # the ORDER BY that first() adds. This runs on every authenticated request, so it stays this lean.
    model, user_field = (ApiKey, "created_by") if raw.startswith(ApiKey.PREFIX) else (AuthToken, "user")
    try:
        return model.objects.select_related(user_field).get(key_hash=digest)
    except model.DoesNotExist:
        return None


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
