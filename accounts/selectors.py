"""Read queries of the accounts app reused by the API families, the admin and tasks (DESIGN.md §3).

`current_membership()` is the ONE answer to "which team does this caller act in now, as whom" (tommy's current
account, inbox's company); `acting_membership()` answers it for one given team (tada's team uid, courier's
organization). Each family's api/<family>/context.py applies its document's rule on top of these.

An `Account` is tommy's polymorphic account (spec tommy-1 "Resource: Account"): the user themselves (`User`), a team
they act for as owner/admin (`Team`), or their membership in a team (`TeamMember`).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BigIntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce

from accounts.models import ApiKey, Device, Membership, Team, User
from accounts.permissions import is_manager
from accounts.services.discovery import lookups_spend
from accounts.visibility import Viewer, known_people
from core.exceptions import NotFoundError

USER, TEAM, TEAM_MEMBER = "User", "Team", "TeamMember"
ACCOUNT_TYPES = (USER, TEAM, TEAM_MEMBER)


# --- teams -------------------------------------------------------------------------------------------------------


def teams_with_owner(queryset: QuerySet[Team] | None = None) -> QuerySet[Team]:
    """Teams annotated with `owner_id` (first active owner, else the creator) and the owner's names: one query."""
    owners = Membership.objects.filter(
        team=OuterRef("pk"), status=Membership.Status.OWNER, is_active=True, invitation_pending=False
    ).order_by("id")
    queryset = Team.objects.all() if queryset is None else queryset
    return queryset.annotate(
        owner_id=Coalesce(Subquery(owners.values("user_id")[:1]), "created_by_id", output_field=BigIntegerField()),
        owner_first_name=Subquery(owners.values("user__first_name")[:1]),
        owner_last_name=Subquery(owners.values("user__last_name")[:1]),
    )


def team_with_owner(team: Team) -> Team:
    return teams_with_owner(Team.objects.filter(pk=team.pk)).get()


def _membership_for_account(user: User, account_type: str, account_id: int | None) -> Membership | None:
    """The active membership a Team/TeamMember current account stands for, if it still belongs to `user`."""
    if account_id is None or account_type not in (TEAM, TEAM_MEMBER):
        return None
    memberships = Membership.objects.active().filter(user=user).select_related("team")
    if account_type == TEAM:
        return memberships.filter(team_id=account_id).first()
    return memberships.filter(pk=account_id).first()


def current_membership(*, user: User, api_key: ApiKey | None = None, team_ids=None) -> Membership | None:
    """Which team a caller works in now, and as whom: the one answer every family's context builds on.

    An API key acts in its own team as the manager who made it (loaded with the key: no query). A user acts in the
    team of their current account (a Team or TeamMember) while they still belong to it and `team_ids` (the
    credential's teams) allows it, else in their first active team, confirmed memberships first. None when the
    user is in no team. The membership comes with `user` and `team`.
    """
    if api_key is not None:
        return api_key.maker_membership if api_key.acts else None
    memberships = Membership.objects.active().filter(user=user).select_related("user", "team")
    if team_ids is not None:
        memberships = memberships.filter(team_id__in=list(team_ids))
    account_type, account_id = user.current_account_type, user.current_account_id
    membership = None
    if account_id is not None and account_type == TEAM:
        membership = memberships.filter(team_id=account_id).first()
    elif account_id is not None and account_type == TEAM_MEMBER:
        membership = memberships.filter(pk=account_id).first()
    return membership or memberships.order_by("need_confirmation", "id").first()


def acting_membership(*, user: User, team_id: int, api_key: ApiKey | None = None) -> Membership | None:
    """As whom a caller acts in one given team: an API key only in its own team (as its maker); a user through their
    active membership there. None when the credential may not act in that team."""
    if api_key is not None:
        return api_key.maker_membership if api_key.acts and api_key.team_id == team_id else None
    return Membership.objects.active().filter(user=user, team_id=team_id).select_related("user", "team").first()


# --- accounts ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    """One tommy account. `icon` is a FieldFile (or None); the serializer makes it a URL."""

    id: int
    type: str
    user_id: int | None
    team_id: int | None
    name: str
    contact_name: str | None
    kind: str
    icon: object
    mobile: str | None
    notification_count: int = 0

    @property
    def key(self) -> tuple[str, int]:
        return self.type, self.id


def _full_name(first: str | None, last: str | None) -> str:
    return f"{first or ''} {last or ''}".strip()


def user_account(user: User) -> Account:
    name = user.full_name or user.email or user.phone or user.slug
    return Account(
        id=user.pk,
        type=USER,
        user_id=user.pk,
        team_id=None,
        name=name,
        contact_name=user.full_name or None,
        kind="user",
        icon=user.avatar or None,
        mobile=user.phone or None,
    )


def team_account(team: Team) -> Account:
    """`team` must come from teams_with_owner() (or carry the same annotations)."""
    return Account(
        id=team.pk,
        type=TEAM,
        user_id=getattr(team, "owner_id", None) or team.created_by_id,
        team_id=team.pk,
        name=team.name,
        contact_name=_full_name(getattr(team, "owner_first_name", ""), getattr(team, "owner_last_name", "")) or None,
        kind="team",
        icon=team.icon_lg or team.icon_sm or None,
        mobile=team.phone or None,
    )


def member_account(membership: Membership) -> Account:
    """`membership` with `user` and `team` loaded."""
    user = membership.user
    return Account(
        id=membership.pk,
        type=TEAM_MEMBER,
        user_id=membership.user_id,
        team_id=membership.team_id,
        name=membership.team.name,
        contact_name=user.full_name or None,
        kind=str(membership.status),
        icon=user.avatar or None,
        mobile=user.phone or None,
    )


def accounts_of(*, user: User, team_ids) -> list[Account]:
    """The user's own account, a Team account for each team they own or administer, and a TeamMember account for
    each active membership — limited to `team_ids` (the credential's teams). Two queries whatever the count."""
    memberships = list(
        Membership.objects.active()
        .filter(user=user, team_id__in=list(team_ids))
        .select_related("user", "team")
        .order_by("id")
    )
    managed_ids = [m.team_id for m in memberships if is_manager(m)]
    teams = {t.pk: t for t in teams_with_owner(Team.objects.filter(pk__in=managed_ids))} if managed_ids else {}
    accounts = [user_account(user)]
    accounts += [team_account(teams[m.team_id]) for m in memberships if m.team_id in teams]
    accounts += [member_account(m) for m in memberships]
    return accounts


def account_find(*, user: User, team_ids, account_type: str, account_id: int) -> Account | None:
    """The account (type, id) if it belongs to `user` within `team_ids`, else None."""
    if account_type == USER:
        return user_account(user) if account_id == user.pk else None
    membership = _membership_for_account(user, account_type, account_id)
    if membership is None or membership.team_id not in team_ids:
        return None
    if account_type == TEAM_MEMBER:
        return member_account(membership)
    if not is_manager(membership):
        return None
    return team_account(team_with_owner(membership.team))


def current_account_of(*, user: User, team_ids) -> Account:
    """The stored current account while it still belongs to the user; their own User account otherwise."""
    if user.current_account_type and user.current_account_id is not None:
        found = account_find(
            user=user, team_ids=team_ids, account_type=user.current_account_type, account_id=user.current_account_id
        )
        if found is not None:
            return found
    return user_account(user)


def accounts_search(*, viewer: Viewer, phone: str | None, handle: str) -> list[Account]:
    """Teams, then users, visible to the caller whose mobile is `phone` or whose slug/username starts with
    `handle`. Visible: the caller's teams (of this credential) and the people the caller may know of
    (accounts.visibility). A search by phone is a budgeted lookup. Two queries."""
    team_ids = viewer.team_ids
    team_match = Q(slug__istartswith=handle)
    user_match = Q(slug__istartswith=handle) | Q(username__istartswith=handle)
    if phone:
        lookups_spend(user=viewer.user)
        team_match |= Q(phone=phone)
        user_match |= Q(phone=phone)
    teams = teams_with_owner(Team.objects.filter(pk__in=list(team_ids), is_archived=False).filter(team_match))
    users = known_people(viewer).filter(user_match).order_by("id")
    return [team_account(t) for t in teams.order_by("id")] + [user_account(u) for u in users]


# --- me and devices ----------------------------------------------------------------------------------------------


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
        Prefetch("memberships", queryset=memberships, to_attr="active_memberships"),
    )
    teams = []
    for membership in user.active_memberships:
        team = membership.team
        team.caller_membership = membership
        teams.append(team)
    user.active_teams = teams
    return user


def device_get(*, user: User, device_id: str) -> Device:
    """One of `user`'s devices; another user's device_id is simply not there (404)."""
    device = Device.objects.filter(user=user, device_id=device_id).first()
    if device is None:
        raise NotFoundError("No such device.")
    return device


def devices_list(*, user: User):
    return Device.objects.filter(user=user).order_by("id")


# --- members of a team (courier user ids are user uids) ----------------------------------------------------------


def active_member_get(*, team_id: int, user_uid) -> User | None:
    """The user `user_uid` when they are an active member of the team (courier user ids are user uids)."""
    return User.objects.filter(
        uid=user_uid, memberships__in=Membership.objects.active().filter(team_id=team_id)
    ).first()


def active_member_by_phone(*, team_id: int, phone: str) -> User | None:
    """The active member of the team whose mobile is `phone` (E.164), if any."""
    return User.objects.filter(phone=phone, memberships__in=Membership.objects.active().filter(team_id=team_id)).first()
