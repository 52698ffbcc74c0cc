"""Read queries of the accounts app reused by the API families, the admin and tasks (DESIGN.md §3).

Tommy's "current account" lives here: `current_team_for(request)` is the ONE answer to "which team do /team,
/team/*, /contacts (team contacts), workforce … act on for this caller".

An `Account` is tommy's polymorphic account (spec tommy-1 "Resource: Account"): the user themselves (`User`), a team
they act for as owner/admin (`Team`), or their membership in a team (`TeamMember`).
"""

from dataclasses import dataclass

from django.db.models import BigIntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import ApiKey, Membership, Team, User
from accounts.permissions import is_manager
from accounts.services.tommy import users_visible_to

USER, TEAM, TEAM_MEMBER = "User", "Team", "TeamMember"
ACCOUNT_TYPES = (USER, TEAM, TEAM_MEMBER)

_CACHE_ATTR = "_crewdesk_current_team"


# --- teams -------------------------------------------------------------------------------------------------------


def teams_with_owner(queryset: QuerySet[Team] | None = None) -> QuerySet[Team]:
    """Teams annotated with `owner_id` (first active owner, else the creator) and the owner's names: one query."""
    owners = Membership.objects.filter(team=OuterRef("pk"), status=Membership.Status.OWNER, is_active=True).order_by(
        "id"
    )
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


def current_membership_for(request) -> Membership | None:
    """The caller's membership in their current team (None when they have none).

    For an API key this costs no query: its team and its maker's membership came with the credential
    (`ApiKey.maker_membership`). Every workforce request starts here, so it stays lean.
    """
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiKey):
        setattr(request, _CACHE_ATTR, auth.team)
        return auth.maker_membership
    team = current_team_for(request)
    if team is None:
        return None
    return Membership.objects.active().filter(team=team, user=request.user).select_related("user", "team").first()


def current_team_for(request) -> Team | None:
    """Which team the caller works in now (memoised on the request).

    An API key → its team. Otherwise the user's current account when it is a Team or TeamMember they still belong
    to; otherwise their first active team (confirmed memberships first). None when the user is in no team.
    """
    if hasattr(request, _CACHE_ATTR):
        return getattr(request, _CACHE_ATTR)
    auth = getattr(request, "auth", None)
    team = None
    if isinstance(auth, ApiKey):
        team = auth.team
    else:
        user = request.user
        allowed = getattr(auth, "team_ids", None)
        membership = _membership_for_account(user, user.current_account_type, user.current_account_id)
        if membership is None or (allowed is not None and membership.team_id not in allowed):
            fallback = Membership.objects.active().filter(user=user).select_related("team")
            if allowed is not None:
                fallback = fallback.filter(team_id__in=list(allowed))
            membership = fallback.order_by("need_confirmation", "id").first()
        team = membership.team if membership else None
    setattr(request, _CACHE_ATTR, team)
    return team


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


def accounts_search(*, user: User, team_ids, phone: str | None, handle: str) -> list[Account]:
    """Teams, then users, visible to the caller whose mobile is `phone` or whose slug/username starts with
    `handle`. Visible: the caller's teams (of this credential) and the people in them. Two queries."""
    team_match = Q(slug__istartswith=handle)
    user_match = Q(slug__istartswith=handle) | Q(username__istartswith=handle)
    if phone:
        team_match |= Q(phone=phone)
        user_match |= Q(phone=phone)
    teams = teams_with_owner(Team.objects.filter(pk__in=list(team_ids), is_archived=False).filter(team_match))
    users = users_visible_to(user=user, team_ids=team_ids).filter(user_match).order_by("id")
    return [team_account(t) for t in teams.order_by("id")] + [user_account(u) for u in users]


def active_member_get(*, team_id: int, user_uid) -> User | None:
    """The user `user_uid` when they are an active member of the team (courier user ids are user uids)."""
    return User.objects.filter(
        uid=user_uid, memberships__in=Membership.objects.active().filter(team_id=team_id)
    ).first()


def active_member_by_phone(*, team_id: int, phone: str) -> User | None:
    """The active member of the team whose mobile is `phone` (E.164), if any."""
    return User.objects.filter(phone=phone, memberships__in=Membership.objects.active().filter(team_id=team_id)).first()
