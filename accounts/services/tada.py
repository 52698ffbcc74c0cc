"""Reads and small flows behind the tada family (/api/v3/): countries, the `me` object, device look-ups."""

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from django.db.models import Prefetch, prefetch_related_objects

from accounts.models import Device, Membership, User
from core.exceptions import NotFoundError

COUNTRIES_FILE = Path(__file__).resolve().parent.parent / "data" / "countries.json"


@cache
def countries() -> tuple[dict, ...]:
    """The 233 dialing codes of the tada document, in its order, loaded once per process (static reference data)."""
    with COUNTRIES_FILE.open(encoding="utf-8") as handle:
        return tuple(json.load(handle))


def me_get(*, user: User, team_ids: Iterable[int] | None = None) -> User:
    """`user` with its devices and its teams (each carrying `caller_membership`) loaded in two queries.

    `team_ids` limits the teams to what the credential may see (an API key sees its one team); None means every
    active membership (a user token or session).
    """
    memberships = Membership.objects.active().filter(user=user).select_related("team", "user")
    if team_ids is not None:
        memberships = memberships.for_teams(team_ids)
    user._prefetched_objects_cache = {}  # a user object reused across calls must not keep stale devices
    prefetch_related_objects(
        [user],
        Prefetch("devices", queryset=Device.objects.order_by("id")),
        Prefetch("memberships", queryset=memberships, to_attr="tada_memberships"),
    )
    teams = []
    for membership in user.tada_memberships:
        team = membership.team
        team.caller_membership = membership
        teams.append(team)
    user.tada_teams = teams
    return user


def device_get(*, user: User, device_id: str) -> Device:
    """One of `user`'s devices; another user's device_id is simply not there (404)."""
    device = Device.objects.filter(user=user, device_id=device_id).first()
    if device is None:
        raise NotFoundError("No such device.")
    return device


def devices_list(*, user: User):
    return Device.objects.filter(user=user).order_by("id")
