"""Who may use the managers' console (/admin/): staff status and the "Team manager" permission group follow the
membership. Every owner, admin and workforce manager of an active (unarchived) team gets both; someone who stops
managing every team loses both. Superusers (operators) keep their staff status whatever their memberships.

Called by accounts.services.memberships after every membership write (and by the few services that write
memberships in bulk), in the same transaction, so the flag can never drift from the membership. Nobody sets it by
hand: the console's user page shows it read-only for this reason.

The group grants the permissions of the pages a shift manager uses; operator-only models (Celery beat tables,
one-time codes, auth tokens, chats, server events, raw settings, demo markers, groups) are not in it, so
they are shown to superusers only. Rows stay scoped to the manager's teams (accounts.admin.scoping).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from accounts.models import Membership, User

TEAM_MANAGER_GROUP = "Team manager"
ALL = ("view", "add", "change", "delete")
# app label → model → actions. Adding people is by invitation (consent); users are read-only to managers, since a
# manager who could set a member's password or phone could take over that person's other teams.
TEAM_MANAGER_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "accounts": {
        "user": ("view",),
        "team": ("view", "change"),
        "membership": ("view", "change"),
        "invitation": ("view", "add", "change"),
        "apikey": ("view", "add", "change"),
        "integration": ALL,
        "device": ("view",),  # the team's people's push devices (issue 13), read-only
    },
    "workforce": {
        "workforcesettings": ("view", "add", "change"),
        "employeeprofile": ("view", "add", "change"),
        "availability": ("view", "add", "change"),
        "shiftquestion": ALL,
        "shiftanswer": ("view",),
        "event": ALL,
        "shift": ALL,
        "shiftrequest": ("view", "change"),
        "attendance": ("view",),
        "timesheet": ("view", "change"),
        "timesheetitem": ("view",),
        "shiftnotice": ("view",),
    },
    "messaging": {
        "text": ("view",),
        "webhookdelivery": ("view",),
        # multicasts (issue 13): composed and followed in the console; secrets of app credentials are write-only
        "messagetemplate": ALL,
        "individualgroup": ALL,
        "multicast": ("view", "add"),
        "usernotification": ("view",),
        "badgecount": ("view",),
        "devicelog": ("view",),
        "appcredential": ("view", "add", "change"),
        "useremail": ("view", "change"),
    },
    "automations": {
        "sync": ("view", "add"),
        "developer": ("view",),
        "addon": ("view",),
        "action": ("view",),
        "addoninstall": ("view",),
        "actioninstall": ("view", "change"),
        "actionrun": ("view",),
        "historyentry": ("view",),
    },
    # The conversations inbox (issue 15): its console page, configuration and journals.
    "inbox": {
        "channel": ("view", "add", "change"),
        "conversation": ("view", "change"),
        "contact": ("view", "change"),
        "contactlist": ALL,
        "inboxteam": ALL,
        "assistant": ALL,
        "label": ALL,
        "quickreply": ALL,
        "template": ("view",),
        "inboxwebhook": ALL,
        "scheduledreply": ("view", "change"),
        "inboundevent": ("view",),
    },
}


@dataclass(frozen=True)
class ConsoleRole:
    """A console role an app above accounts grants (DESIGN.md §3: a port, so accounts imports none of them): the
    group's name, which of some users hold the role now, and the group's permissions as (app label, codename)."""

    group: str
    holders: Callable[[set[int]], set[int]]
    permissions: tuple[tuple[str, str], ...]


_roles: list[ConsoleRole] = []


def register_console_role(role: ConsoleRole) -> None:
    """E.g. the inbox's "Inbox agent": members an inbox team lists get the console's inbox page (inbox/apps.py)."""
    if all(r.group != role.group for r in _roles):
        _roles.append(role)


def manager_q(prefix: str = "") -> Q:
    """Memberships that manage their team: owner, admin or workforce manager."""
    return Q(**{f"{prefix}status__in": [Membership.Status.OWNER, Membership.Status.ADMIN]}) | Q(
        **{f"{prefix}is_manager": True}
    )


def team_manager_permissions():
    query = Q(pk__in=[])
    for app_label, models in TEAM_MANAGER_PERMISSIONS.items():
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            query |= Q(content_type__app_label=app_label, content_type__model=model, codename__in=codenames)
    return Permission.objects.filter(query)


def team_manager_group(*, refresh: bool = False) -> Group:
    """The group, made on first use with its permissions (`refresh`: set them again, e.g. after migrate)."""
    group, created = Group.objects.get_or_create(name=TEAM_MANAGER_GROUP)
    if created or refresh:
        group.permissions.set(team_manager_permissions())
    return group


def console_access_sync(*, user_ids: Iterable[int]) -> None:
    """Give or take staff status, the Team manager group and the registered roles' groups for `user_ids` by what
    they manage (or hold) now. Staff status = managing a team or holding a role."""
    user_ids = {uid for uid in user_ids if uid}
    if not user_ids:
        return
    if len(user_ids) > BATCH:  # each user's access depends on their own rows only: batches change nothing else
        for batch in _batches(user_ids):
            console_access_sync(user_ids=batch)
        return
    managing = set(
        Membership.objects.active().filter(user_id__in=user_ids).filter(manager_q()).values_list("user_id", flat=True)
    )
    staff = set(managing)
    _sync_group(team_manager_group(), user_ids, managing)
    for role in _roles:
        holders = role.holders(user_ids) & user_ids
        staff |= holders
        _sync_group(_role_group(role), user_ids, holders)
    User.objects.filter(pk__in=staff, is_staff=False).update(is_staff=True)
    User.objects.filter(pk__in=user_ids - staff, is_staff=True, is_superuser=False).update(is_staff=False)


def _sync_group(group: Group, user_ids: set[int], holders: set[int]) -> None:
    members = group.user_set.through.objects
    have = set(members.filter(group=group, user_id__in=user_ids).values_list("user_id", flat=True))
    members.bulk_create([members.model(group=group, user_id=uid) for uid in holders - have])
    members.filter(group=group, user_id__in=(user_ids - holders) & have).delete()


def _role_group(role: ConsoleRole, *, refresh: bool = False) -> Group:
    group, created = Group.objects.get_or_create(name=role.group)
    if created or refresh:
        query = Q(pk__in=[])
        for app_label, codename in role.permissions:
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(query))
    return group


def console_access_grant_existing() -> None:
    """After migrate: refresh the group's permissions and let in every current manager (memberships written before
    this rule existed). It only grants: access is withdrawn by the membership change that ends it."""
    team_manager_group(refresh=True)
    console_access_sync(user_ids=set(Membership.objects.active().filter(manager_q()).values_list("user_id", flat=True)))
    members = set(Membership.objects.active().values_list("user_id", flat=True))
    for role in _roles:  # grant only, as above
        group = _role_group(role, refresh=True)
        for batch in _batches(members):
            holders = role.holders(batch)
            through = group.user_set.through.objects
            have = set(through.filter(group=group, user_id__in=holders).values_list("user_id", flat=True))
            through.bulk_create([through.model(group=group, user_id=uid) for uid in holders - have])
            User.objects.filter(pk__in=holders, is_staff=False).update(is_staff=True)


# Users per statement: an IN list of every member of a large install (100,000 in bench/bench_multicast.py) is past
# PostgreSQL's 65,535 parameters and SQLite's 32,766 variables, and `migrate` runs console_access_grant_existing.
BATCH = 5_000


def _batches(user_ids: set[int]):
    ordered = sorted(user_ids)
    for start in range(0, len(ordered), BATCH):
        yield set(ordered[start : start + BATCH])
