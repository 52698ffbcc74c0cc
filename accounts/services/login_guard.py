"""Brute-force protection for password logins (tommy POST /sessions, HTTP Basic, the admin).

Failed attempts are counted per account and per client IP in Django's cache (Redis in production, shared by every
process). The account is the one the login resolves to, whatever identifier or spelling names it: `+79165550404`,
`89165550404`, `+7 916 555-04-04` and the user's email are one counter (issue 8, item 5). A login that names no
account is counted under its canonical form (E.164 phone, case-folded email), so spellings of an unknown login share
a counter too and a lock reveals nothing about which logins exist. Over the limit, API logins answer 429 with
Retry-After; the admin's login form simply fails. A success clears the account's counter.
"""

import hashlib

from django.core.cache import cache

from accounts.models import User
from core.exceptions import RateLimited, ValidationFailed
from core.phones import normalize_phone

WINDOW_SECONDS = 15 * 60
FAILURES_PER_LOGIN = 10
FAILURES_PER_IP = 50


def _phone(login: str) -> str | None:
    try:
        return normalize_phone(login)
    except ValidationFailed:
        return None


def user_for_login(login: str) -> User | None:
    """The user whose email, or else mobile number (any spelling), or else username is `login`."""
    login = (login or "").strip()
    if not login:
        return None
    if "@" in login:
        return User.objects.filter(email__iexact=login).first()
    phone = _phone(login)
    if phone is not None:
        return User.objects.filter(phone=phone).first()
    return User.objects.filter(username__iexact=login).first()


def login_identity(login: str, user: User | None = None) -> str:
    """What failures are counted against: the resolved account, else the login's canonical spelling."""
    user = user or user_for_login(login)
    if user is not None:
        return f"user:{user.pk}"
    login = (login or "").strip()
    phone = None if "@" in login else _phone(login)
    return f"login:{phone or login.casefold()}"


def _keys(identity: str, ip: str | None) -> list[tuple[str, int]]:
    # Hashed: a cache key must be short and plain, and should not carry an email address or phone number.
    digest = hashlib.sha256(identity.encode()).hexdigest()
    keys = [(f"login-failures:account:{digest}", FAILURES_PER_LOGIN)]
    if ip:
        keys.append((f"login-failures:ip:{ip}", FAILURES_PER_IP))
    return keys


def login_locked(*, login: str, ip: str | None, user: User | None = None) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(login_identity(login, user), ip))


def login_guard(*, login: str, ip: str | None) -> None:
    """Raise RateLimited (429) when this account (or login) or address has failed too often lately."""
    if login_locked(login=login, ip=ip):
        raise RateLimited("Too many failed logins; try again later.", retry_after=WINDOW_SECONDS)


def login_failed(*, login: str, ip: str | None, user: User | None = None) -> None:
    for key, _limit in _keys(login_identity(login, user), ip):
        if not cache.add(key, 1, timeout=WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=WINDOW_SECONDS)


def login_succeeded(*, login: str, user: User | None = None) -> None:
    cache.delete(_keys(login_identity(login, user), None)[0][0])
