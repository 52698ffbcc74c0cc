"""Brute-force protection for password logins (tommy POST /sessions, HTTP Basic, the admin).

Failed attempts are counted per login (email/phone, case-folded) and per client IP in Django's cache (Redis in
production, shared by every process). Over the limit, API logins answer 429 with Retry-After; the admin's login
form simply fails. A success clears the login's counter. Counting unknown logins too means a 429 reveals nothing.
"""

import hashlib

from django.core.cache import cache

from core.exceptions import RateLimited

WINDOW_SECONDS = 15 * 60
FAILURES_PER_LOGIN = 10
FAILURES_PER_IP = 50


def _keys(login: str, ip: str | None) -> list[tuple[str, int]]:
    # Hashed: a cache key must be short and plain, and should not carry an email address or phone number.
    digest = hashlib.sha256((login or "").strip().casefold().encode()).hexdigest()
    keys = [(f"login-failures:login:{digest}", FAILURES_PER_LOGIN)]
    if ip:
        keys.append((f"login-failures:ip:{ip}", FAILURES_PER_IP))
    return keys


def login_locked(*, login: str, ip: str | None) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(login, ip))


def login_guard(*, login: str, ip: str | None) -> None:
    """Raise RateLimited (429) when this login or address has failed too often lately."""
    if login_locked(login=login, ip=ip):
        raise RateLimited("Too many failed logins; try again later.", retry_after=WINDOW_SECONDS)


def login_failed(*, login: str, ip: str | None) -> None:
    for key, _limit in _keys(login, ip):
        if not cache.add(key, 1, timeout=WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=WINDOW_SECONDS)


def login_succeeded(*, login: str) -> None:
    cache.delete(_keys(login, None)[0][0])
