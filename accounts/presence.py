"""Presence: whether a user is ONLINE, AWAY or OFFLINE, derived from `User.last_seen_at`.

`last_seen_at` is written at most once a minute, whenever one of the user's tokens or API keys authenticates
(accounts.services.credentials.credential_touch). The thresholds below are the one place the rule lives; they are
deliberately not settings (a client reading the status must get the same answer from every deployment).
"""

import datetime
import enum

from django.utils import timezone

# Seen within this long → ONLINE; within AWAY_WITHIN → AWAY; otherwise (or never) → OFFLINE.
ONLINE_WITHIN = datetime.timedelta(minutes=5)
AWAY_WITHIN = datetime.timedelta(minutes=30)


class Presence(enum.StrEnum):
    ONLINE = "ONLINE"
    AWAY = "AWAY"
    OFFLINE = "OFFLINE"


def presence_of(last_seen_at: datetime.datetime | None, *, now: datetime.datetime | None = None) -> Presence:
    if last_seen_at is None:
        return Presence.OFFLINE
    idle = (now or timezone.now()) - last_seen_at
    if idle <= ONLINE_WITHIN:
        return Presence.ONLINE
    if idle <= AWAY_WITHIN:
        return Presence.AWAY
    return Presence.OFFLINE
