"""Budgets for looking people up by phone or email and for messaging people a caller names (accounts.visibility).

Every phone number or email address a caller hands in to be matched against Crewdesk's users (contacts create and
import, invitations, team invites, tada team contacts and address books, searches by mobile) spends one lookup;
every invitation delivered by SMS or email spends one send. Counted per calling user in Django's cache (Redis in
production, shared by every process), like the login budget (accounts.services.login_guard): over the budget the
call is refused whole with RateLimited (429 in the family's envelope, with Retry-After) and nothing is spent.
"""

from django.conf import settings
from django.core.cache import cache

from accounts.models import User
from core.exceptions import RateLimited

LOOKUP_WINDOW_SECONDS = 24 * 3600
SEND_WINDOW_SECONDS = 3600


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))  # settings.py reads them from the environment


def _spend(*, key: str, count: int, limit: int, window: int, message: str) -> None:
    if count <= 0:
        return
    used = cache.get(key) or 0
    if used + count > limit:
        raise RateLimited(message, retry_after=window)
    if not cache.add(key, count, timeout=window):
        try:
            cache.incr(key, count)
        except ValueError:  # expired between add and incr
            cache.add(key, count, timeout=window)


def lookups_spend(*, user: User | None = None, user_id: int | None = None, count: int = 1) -> None:
    """Spend `count` phone/email lookups of the user (default budget: 10,000 a day, one full tada address book)."""
    _spend(
        key=f"people-lookups:{user.pk if user is not None else user_id}",
        count=count,
        limit=_limit("PEOPLE_LOOKUPS_PER_DAY", 10_000),
        window=LOOKUP_WINDOW_SECONDS,
        message="Too many phone numbers or email addresses looked up; try again later.",
    )


def sends_spend(*, user: User, count: int = 1) -> None:
    """Spend `count` invitation deliveries (SMS or email) of `user` (default budget: 100 an hour)."""
    _spend(
        key=f"people-sends:{user.pk}",
        count=count,
        limit=_limit("INVITATIONS_PER_HOUR", 100),
        window=SEND_WINDOW_SECONDS,
        message="Too many invitations sent; try again later.",
    )
