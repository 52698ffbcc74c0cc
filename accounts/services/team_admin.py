"""Team administration: the current account, user and team settings, team features, team create/update, members
and member invitations (spec tommy-1 "Account", "User Setting", "WLS chart"; tommy-2 "Team", "TeamMember").

Every permission decision reads accounts.permissions (through accounts.services.memberships); every `server.*`
event goes through publish_event in the same transaction as the change. Nothing here knows about HTTP.
"""

import json

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from accounts.models import RESERVED_SLUGS, Membership, Setting, Team, User
from accounts.permissions import ASSIGNABLE, is_manager
from accounts.selectors import (
    ACCOUNT_TYPES,
    Account,
    account_find,
    team_with_owner,
    teams_with_owner,
)
from accounts.services.discovery import lookups_spend
from accounts.services.events import publish_event
from accounts.services.invitations import membership_invite
from accounts.services.memberships import membership_add, membership_change
from accounts.services.users import user_create
from accounts.visibility import CONTACT_DETAILS_SETTING, CONTACT_DETAILS_VALUES, Viewer, known_people
from core.exceptions import ConflictError, NotFoundError, PermissionDeniedError, ValidationFailed

Status = Membership.Status
SETTING_MAX_BYTES = 64 * 1024


# --- current account ---------------------------------------------------------------------------------------------


@transaction.atomic
def current_account_set(*, user: User, team_ids, account_type: str, account_id: int) -> Account:
    """Make (type, id) the user's current account; it must be theirs (else 403, spec *Suggested*)."""
    if account_type not in ACCOUNT_TYPES:
        raise ValidationFailed.for_field("current_account_type", f"must be one of {', '.join(ACCOUNT_TYPES)}")
    account = account_find(user=user, team_ids=team_ids, account_type=account_type, account_id=account_id)
    if account is None:
        raise PermissionDeniedError("This account does not belong to you.")
    user.current_account_type = account_type
    user.current_account_id = account_id
    user.save(update_fields=["current_account_type", "current_account_id", "updated_at"])
    return account


def wls_chart(*, user: User) -> dict:
    """Work-life score chart. The document does not say how the score is computed and Crewdesk has no worked-hours
    data for it yet, so the chart is honestly empty (docs/decisions.md) rather than made-up numbers."""
    return {"labels": [], "values": [], "team_values": {}, "feedback": []}


def users_search_by_mobile(*, viewer: Viewer, phone: str) -> QuerySet[User]:
    """People the caller may know of (accounts.visibility) whose mobile is `phone` (E.164); a budgeted lookup."""
    lookups_spend(user=viewer.user)
    return known_people(viewer).filter(phone=phone).order_by("id")


# --- settings (user and team) ------------------------------------------------------------------------------------


def _setting_owner(*, user: User | None, team: Team | None) -> Q:
    return Q(user=user, team__isnull=True) if user is not None else Q(team=team, user__isnull=True)


def settings_map(*, user: User | None = None, team: Team | None = None, context: str = "") -> dict:
    """{name: data} of the user's (or team's) settings in `context`."""
    rows = Setting.objects.filter(_setting_owner(user=user, team=team), context=context).order_by("name")
    return {name: data for name, data in rows.values_list("name", "data")}


def setting_get(*, name: str, user: User | None = None, team: Team | None = None, context: str = "") -> Setting:
    setting = Setting.objects.filter(_setting_owner(user=user, team=team), name=name, context=context).first()
    if setting is None:
        raise NotFoundError(f"No setting named {name!r}.")
    return setting


def _require_team_manager(by: Membership, action: str) -> None:
    if not is_manager(by):
        raise PermissionDeniedError(f"Only the team's owners and admins may {action}.")


@transaction.atomic
def setting_put(
    *,
    name: str,
    data,
    user: User | None = None,
    team: Team | None = None,
    by: Membership | None = None,
    context: str = "",
    format: str = "",
) -> Setting:
    """Upsert a setting keyed by (owner, name, context). Team settings are written by owners and admins only."""
    if team is not None:
        _require_team_manager(by, "change team settings")
    longest = Setting._meta.get_field("name").max_length
    if not name or len(name) > longest:
        raise ValidationFailed.for_field("name", f"must be 1 to {longest} characters")
    if team is not None and name == CONTACT_DETAILS_SETTING and data not in CONTACT_DETAILS_VALUES:
        # The team's privacy switch (accounts.visibility): a misspelt value must not silently mean "members".
        raise ValidationFailed.for_field("data", f"must be one of {', '.join(CONTACT_DETAILS_VALUES)}")
    if len(json.dumps(data, separators=(",", ":")).encode()) > SETTING_MAX_BYTES:
        raise ValidationFailed.for_field("data", f"must be at most {SETTING_MAX_BYTES} bytes of JSON")
    setting = (
        Setting.objects.select_for_update(of=("self",))
        .filter(_setting_owner(user=user, team=team), name=name, context=context)
        .first()
    )
    if setting is None:
        setting = Setting(user=user, team=team, name=name, context=context)
    setting.data = data
    setting.format = format
    setting.save()
    return setting


@transaction.atomic
def setting_delete(
    *, name: str, user: User | None = None, team: Team | None = None, by: Membership | None = None, context: str = ""
) -> None:
    if team is not None:
        _require_team_manager(by, "change team settings")
    setting_get(name=name, user=user, team=team, context=context).delete()


# --- teams -------------------------------------------------------------------------------------------------------


def team_features(team: Team) -> dict[str, bool]:
    """All 13 documented flags as booleans (a flag never set is off)."""
    stored = team.features or {}
    return {flag: bool(stored.get(flag, False)) for flag in Team.FEATURES}


def _merge_features(team: Team, features: dict | None) -> bool:
    """Merge the known flags of `features` into the team (unknown keys ignored, spec tommy-2). Changed?"""
    if not features:
        return False
    merged = team_features(team)
    for flag in Team.FEATURES:
        if flag in features:
            merged[flag] = bool(features[flag])
    changed = merged != (team.features or {})
    team.features = merged
    return changed


def _check_slug(slug: str, team: Team | None) -> None:
    if slug.replace("-", "_") in RESERVED_SLUGS:
        raise ValidationFailed.for_field("slug", "is reserved")
    if Team.objects.exclude(pk=getattr(team, "pk", None)).filter(slug__iexact=slug).exists():
        raise ValidationFailed.for_field("slug", "is already taken")


def _set_photo(team: Team, by: Membership, photo) -> Team:
    from accounts.services.teams import team_icon_set  # the team picture service shared with tada

    try:
        return team_icon_set(team=team, by=by, upload=photo)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, details={"photo": [exc.message]}) from None


def _team_changed(team: Team, by: User) -> None:
    publish_event(name="server.team.updated", team=team, actor=by, payload={"uid": str(team.uid)})


@transaction.atomic
def team_create(
    *,
    creator: User,
    name: str,
    email: str = "",
    phone: str = "",
    slug: str | None = None,
    features: dict | None = None,
    photo=None,
) -> Team:
    """A new team: the creator is its owner and a manager (spec tommy-2 POST /teams *Suggested*)."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed.for_field("name", "A team name is required.")
    if slug:
        _check_slug(slug, None)
    team = Team(name=name, email=email or "", phone=phone or "", slug=slug or "", created_by=creator)
    _merge_features(team, features or {})
    team.features = team_features(team)
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise ConflictError("A team with this slug already exists.") from None
    membership = membership_add(team=team, user=creator, status=Status.OWNER, is_manager=True)
    if photo is not None:
        _set_photo(team, membership, photo)
    _team_changed(team, creator)
    return team_with_owner(team)


@transaction.atomic
def team_update(*, team: Team, by: Membership, photo=None, features: dict | None = None, **fields) -> Team:
    """Change the current team (owners and admins). Only the given fields change; `features` is merged."""
    _require_team_manager(by, "change the team")
    changed = []
    if "name" in fields:
        name = (fields["name"] or "").strip()
        if not name:
            raise ValidationFailed.for_field("name", "A team name is required.")
        team.name = name
        changed.append("name")
    if fields.get("slug") and fields["slug"] != team.slug:
        _check_slug(fields["slug"], team)
        team.slug = fields["slug"]
        changed.append("slug")
    for field in ("email", "phone"):
        if field in fields:
            setattr(team, field, fields[field] or "")
            changed.append(field)
    if _merge_features(team, features):
        changed.append("features")
    if changed:
        team.save(update_fields=[*changed, "updated_at"])
    if photo is not None:
        _set_photo(team, by, photo)
    _team_changed(team, by.user)
    return team_with_owner(team)


@transaction.atomic
def team_features_update(*, team: Team, by: Membership, features: dict) -> dict[str, bool]:
    """PATCH /team/features: the known flags given overwrite, missing ones stay, unknown keys are ignored."""
    _require_team_manager(by, "change the team features")
    if _merge_features(team, features):
        team.save(update_fields=["features", "updated_at"])
        _team_changed(team, by.user)
    return team_features(team)


def team_by_slug(*, slug: str, team_ids) -> Team:
    """One of the caller's teams by slug; any other team does not exist for them (404)."""
    team = teams_with_owner_qs(team_ids).filter(slug=slug).first()
    if team is None:
        raise NotFoundError("No such team.")
    return team


def teams_with_owner_qs(team_ids) -> QuerySet[Team]:
    return teams_with_owner(Team.objects.filter(pk__in=list(team_ids), is_archived=False))


# --- team members ------------------------------------------------------------------------------------------------

SELF_FIELDS = ("favorite", "mute")  # what a plain member may change on their own membership
MANAGER_ONLY_FIELDS = ("roles", "locations", "tags", "is_manager")


def team_members(*, team: Team) -> QuerySet[Membership]:
    return Membership.objects.filter(team=team, is_active=True).select_related("user").order_by("id")


def team_member_get(*, team: Team, user_id: int) -> Membership:
    membership = team_members(team=team).filter(user_id=user_id).first()
    if membership is None:
        raise NotFoundError("No such team member.")
    return membership


def _members_changed(team: Team, actor: User, memberships: list[Membership]) -> None:
    publish_event(
        name="server.contact.updated",
        team=team,
        actor=actor,
        payload={"team": str(team.uid), "jids": [f"d-{m.user.uid}" for m in memberships]},
    )


@transaction.atomic
def team_member_update(*, team: Team, by: Membership, user_id: int, status: str | None = None, **fields) -> Membership:
    """Change a member's labels, flags, `manager` and access level. Owners and admins manage members as the
    permission table says; a plain member may only change `favorite` and `mute` on their own membership."""
    membership = team_member_get(team=team, user_id=user_id)
    if membership.pk == by.pk and not is_manager(by):
        forbidden = sorted(set(fields) - set(SELF_FIELDS))
        if forbidden:
            raise PermissionDeniedError(f"Only the team's owners and admins may change {', '.join(forbidden)}.")
    membership = membership_change(membership=membership, by=by, status=status, **fields)
    _members_changed(team, by.user, [membership])
    return membership


def _invitee(*, viewer: Viewer, user_id: int | None, email: str, phone: str, profile: dict) -> User:
    """The person to invite: someone the caller may know of (by id: a teammate, a contact — anyone else is the
    same 404 as an unknown id), or whoever has the mobile (else the email) — created as a pending user when
    nobody has it yet. Two identifiers of two different people are not reported (that would tell the caller
    both are on Crewdesk): the mobile wins, as in contacts."""
    if user_id is not None:
        user = known_people(viewer).filter(pk=user_id).first()
        if user is None:
            raise NotFoundError("No such user.")
        return user
    if not email and not phone:
        raise ValidationFailed(
            "Give a user_id, an email or a mobile number.",
            details={"user_id": ["user_id, email or mobile is required"]},
        )
    lookups_spend(user=viewer.user)
    found = User.objects.filter(phone=phone).first() if phone else None
    if found is None and email:
        found = User.objects.filter(email__iexact=email).first()
    if found is not None:
        return found
    return user_create(email=email or None, phone=phone or None, **profile)


@transaction.atomic
def team_member_invite(
    *,
    team: Team,
    by: Membership,
    viewer: Viewer | None = None,
    user_id: int | None = None,
    email: str = "",
    phone: str = "",
    first_name: str = "",
    last_name: str = "",
    status: str = Status.MEMBER,
    message: str = "",
    **fields,
) -> tuple[Membership, bool]:
    """Invite someone to the team (owners and admins): a pending membership and an invitation proposing `status`
    by SMS (when the invitee has a mobile) or email (invitations.membership_invite: no access, and nothing of them
    shown but what the caller sent, until they accept). Returns (membership, created); inviting a pending member
    again re-sends the invitation; an existing member is a 409. `viewer` is the caller's credential (default: the
    inviter in this team)."""
    _require_team_manager(by, "invite members")
    if status not in ASSIGNABLE[by.status]:
        raise PermissionDeniedError(f"You cannot make anyone {status}.")
    viewer = viewer or Viewer(user=by.user, team_ids=frozenset({team.pk}))
    user = _invitee(
        viewer=viewer,
        user_id=user_id,
        email=email,
        phone=phone,
        profile={"first_name": first_name, "last_name": last_name},
    )
    existing = Membership.objects.filter(team=team, user=user, is_active=True).first()
    if existing is not None and not existing.invitation_pending:
        raise ConflictError("This person is already a member of the team.")
    membership = membership_invite(
        team=team,
        user=user,
        inviter=by.user,
        status=status,
        phone=phone,
        email=email,
        first_name=first_name,
        last_name=last_name,
        message=message,
        **fields,
    )
    _members_changed(team, by.user, [membership])
    return membership, existing is None
