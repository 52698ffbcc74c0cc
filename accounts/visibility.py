"""Who may see whom: the ONE rule for a person's contact details, read by every family, the admin and services.

A person's *contact details* are their email, their phone and when they were last seen (`last_seen_at`; also
date of birth and locale, which nobody needs to reach them). A viewer sees them at one of three levels:

    DETAILS  the person themselves; a teammate — both active members of a team of the viewer's credential — as
             that team's `contact_details` setting allows ("members", the default: every member; "managers": only
             the team's owners, admins and workforce managers); someone who accepted the viewer as a contact (their
             personal contact row about the viewer is `accepted`), or accepted a team the viewer manages (that
             team's row about them is `accepted`).
    PUBLIC   the public profile only (id, names, slug, avatar, whether they signed up): a teammate the team's
             setting hides details from, or someone who reached out to the viewer (a contact request, or a
             personal invitation from them to the viewer).
    NONE     anyone else, including unknown ids: they do not exist for the viewer. Whatever the viewer knows of
             them is only what the viewer itself sent (the names, phone and email written on the viewer's contact
             row or invitation), so no answer tells a stranger apart from a person who is not on Crewdesk.

An API key acts for its team, not for its maker's private life: it counts the key's team only, and the maker's
personal contacts and requests do not count for it. Pending members (invited, not accepted) are not teammates.

Discovery by phone or email is allowed only where a documented feature says so (tada address book: PUBLIC names
for the phone the caller sent) and is budgeted per caller (accounts.services.discovery).
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from accounts.models import ApiKey, Contact, Invitation, Membership, Setting, User

CONTACT_DETAILS_SETTING = "contact_details"  # a team setting (tommy /team/settings/contact_details)
MEMBERS = "members"
MANAGERS = "managers"
CONTACT_DETAILS_VALUES = (MEMBERS, MANAGERS)


class Level(enum.IntEnum):
    NONE = 0
    PUBLIC = 1
    DETAILS = 2


@dataclass(frozen=True)
class Sent:
    """What the viewer itself wrote about a person (a contact row, an invitation): always safe to show back."""

    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Person:
    """A user as one viewer may see them; every family renders people from this, never from the User row."""

    id: int
    uid: object
    level: Level
    first_name: str
    last_name: str
    slug: str | None
    status: str
    email: str | None
    phone: str | None
    last_seen_at: object
    avatar: object
    dob: object
    locale: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def signed_up(self) -> bool:
        return self.status == User.Status.ACTIVE


def sent_on_contact(contact: Contact) -> Sent:
    return Sent(contact.sent_first_name, contact.sent_last_name, contact.sent_phone, contact.sent_email)


def sent_on_invitation(invitation: Invitation) -> Sent:
    return Sent(invitation.first_name, invitation.last_name, invitation.phone, invitation.email)


def attach_invitation_sent(memberships: Iterable[Membership]) -> None:
    """Set `invitation_sent` on each membership: for a pending invitee, what their team invitation carries (what
    the inviter wrote), else None. One query for any number of pending memberships; none when already set."""
    pending = [m for m in memberships if not hasattr(m, "invitation_sent")]
    for membership in pending:
        membership.invitation_sent = None
    pending = [m for m in pending if m.invitation_pending]
    if not pending:
        return
    rows = Invitation.objects.filter(
        team_id__in={m.team_id for m in pending},
        invitee_id__in={m.user_id for m in pending},
        kind=Invitation.Kind.PERSONAL,
        status=Invitation.Status.PENDING,
    )
    found = {}
    for invitation in rows.order_by("created_at", "id"):  # the latest wins
        found[(invitation.team_id, invitation.invitee_id)] = sent_on_invitation(invitation)
    for membership in pending:
        membership.invitation_sent = found.get((membership.team_id, membership.user_id), Sent())


def person_as_seen(user: User, level: Level, sent: Sent | None = None) -> Person:
    """`user` at `level`, completed with what the viewer sent (`sent`) where the level shows less."""
    sent = sent or Sent()
    if level == Level.DETAILS:
        return Person(
            id=user.pk,
            uid=user.uid,
            level=level,
            first_name=user.first_name,
            last_name=user.last_name,
            slug=user.slug,
            status=user.status,
            email=user.email or None,
            phone=user.phone or None,
            last_seen_at=user.last_seen_at,
            avatar=user.avatar or None,
            dob=user.dob,
            locale=user.locale,
        )
    public = level == Level.PUBLIC
    return Person(
        id=user.pk,
        uid=user.uid,
        level=level,
        first_name=user.first_name if public else sent.first_name,
        last_name=user.last_name if public else sent.last_name,
        slug=user.slug if public else None,
        # A stranger is never said to have signed up: that alone would tell them the phone is on Crewdesk.
        status=user.status if public else User.Status.PENDING,
        email=sent.email or None,
        phone=sent.phone or None,
        last_seen_at=None,
        avatar=(user.avatar or None) if public else None,
        dob=None,
        locale="",
    )


@dataclass
class Viewer:
    """Who is looking: a user through a credential limited to `team_ids`; `acting_team_id` for an API key."""

    user: User
    team_ids: frozenset[int]
    acting_team_id: int | None = None
    _memberships: dict | None = field(default=None, repr=False)
    _policies: dict | None = field(default=None, repr=False)

    @property
    def personal(self) -> bool:
        """Do the user's own relations (personal contacts, requests to them) count? Not for an API key."""
        return self.acting_team_id is None

    def memberships(self) -> dict[int, Membership]:
        """The viewer's active memberships in the credential's teams, by team id (one query, memoised)."""
        if self._memberships is None and (self.user.pk is None or not self.team_ids):
            self._memberships = {}
        if self._memberships is None:
            rows = Membership.objects.active().filter(user=self.user, team_id__in=list(self.team_ids))
            self._memberships = {m.team_id: m for m in rows}
        return self._memberships

    def managed_team_ids(self) -> set[int]:
        return {team_id for team_id, m in self.memberships().items() if m.can_manage}

    def policies(self) -> dict[int, str]:
        """Each team's `contact_details` setting (default "members"), one query, memoised."""
        if self._policies is None:
            team_ids = list(self.memberships())
            rows = Setting.objects.filter(
                team_id__in=team_ids, user__isnull=True, name=CONTACT_DETAILS_SETTING, context=""
            ).values_list("team_id", "data")
            stored = dict(rows)
            self._policies = {tid: MANAGERS if stored.get(tid) == MANAGERS else MEMBERS for tid in team_ids}
        return self._policies

    def sees_teammates_details(self, team_id: int) -> bool:
        membership = self.memberships().get(team_id)
        if membership is None:
            return False
        return self.policies().get(team_id) == MEMBERS or membership.can_manage


def viewer_of(*, user: User, credential) -> Viewer:
    """The viewer behind an authenticated request: every credential exposes `team_ids` (api/authentication.py)."""
    team_ids = frozenset(getattr(credential, "team_ids", ()) or ())
    acting = credential.team_id if isinstance(credential, ApiKey) else None
    return Viewer(user=user, team_ids=team_ids, acting_team_id=acting)


def self_viewer(user: User) -> Viewer:
    """The user looking at themselves only (sign-up, login and verification answers)."""
    return Viewer(user=user, team_ids=frozenset())


# --- levels, in a constant number of queries whatever the count ---------------------------------------------------


def levels_for(viewer: Viewer, user_ids: Iterable[int]) -> dict[int, Level]:
    """The level at which `viewer` sees each of `user_ids` (at most five queries for any number of people)."""
    ids = {int(pk) for pk in user_ids if pk is not None}
    levels = dict.fromkeys(ids, Level.NONE)
    me = viewer.user.pk
    if me is None:
        return levels
    if me in levels:
        levels[me] = Level.DETAILS
    others = ids - {me}
    if not others:
        return levels

    def raise_to(pk: int, level: Level) -> None:
        if level > levels[pk]:
            levels[pk] = level

    team_ids = list(viewer.memberships())
    if team_ids:
        shared = Membership.objects.active().filter(user_id__in=others, team_id__in=team_ids)
        for user_id, team_id in shared.values_list("user_id", "team_id"):
            raise_to(user_id, Level.DETAILS if viewer.sees_teammates_details(team_id) else Level.PUBLIC)
    relations = Q(pk__in=[])
    managed = viewer.managed_team_ids()
    if managed:
        relations |= Q(team_id__in=managed, friend_id__in=others, status=Contact.Status.ACCEPTED)
    if viewer.personal:
        relations |= Q(owner_id__in=others, friend_id=me, team__isnull=True)
        # Only contact_connect writes `accepted`, to both sides at once: my accepted row means they accepted too.
        relations |= Q(owner_id=me, friend_id__in=others, team__isnull=True, status=Contact.Status.ACCEPTED)
    for owner_id, friend_id, team_id, status in Contact.objects.filter(relations).values_list(
        "owner_id", "friend_id", "team_id", "status"
    ):
        if team_id is not None or owner_id == me:
            raise_to(friend_id, Level.DETAILS)
        elif status == Contact.Status.ACCEPTED:
            raise_to(owner_id, Level.DETAILS)
        elif status in (Contact.Status.PENDING, Contact.Status.INVITED):
            raise_to(owner_id, Level.PUBLIC)  # they are asking me to connect: I may see who asks
    if viewer.personal:
        asking = Invitation.objects.filter(kind=Invitation.Kind.PERSONAL, invitee_id=me, inviter_id__in=others)
        for inviter_id in asking.values_list("inviter_id", flat=True):
            raise_to(inviter_id, Level.PUBLIC)
    return levels


def level_of(viewer: Viewer, user_id: int) -> Level:
    return levels_for(viewer, [user_id])[int(user_id)]


def known_people(viewer: Viewer) -> QuerySet[User]:
    """Everyone `viewer` sees at PUBLIC or above, as a queryset: who may be looked up by id (404 otherwise — an
    unknown id and a stranger's id answer alike) or found by a search."""
    me = viewer.user.pk
    known = Q(pk=me)
    team_ids = list(viewer.memberships())
    if team_ids:
        known |= Q(pk__in=Membership.objects.active().filter(team_id__in=team_ids).values("user_id"))
    managed = viewer.managed_team_ids()
    if managed:
        accepted = Contact.objects.filter(team_id__in=managed, status=Contact.Status.ACCEPTED)
        known |= Q(pk__in=accepted.values("friend_id"))
    if viewer.personal:
        statuses = (Contact.Status.ACCEPTED, Contact.Status.PENDING, Contact.Status.INVITED)
        theirs = Contact.objects.filter(friend_id=me, team__isnull=True, status__in=statuses)
        known |= Q(pk__in=theirs.values("owner_id"))
        mine = Contact.objects.filter(owner_id=me, team__isnull=True, status=Contact.Status.ACCEPTED)
        known |= Q(pk__in=mine.values("friend_id"))
        asking = Invitation.objects.filter(kind=Invitation.Kind.PERSONAL, invitee_id=me)
        known |= Q(pk__in=asking.values("inviter_id"))
    return User.objects.filter(known)


class PeopleLens:
    """Levels for one viewer, memoised: `prime(ids)` loads many at once (lists), `person(user)` renders one."""

    def __init__(self, viewer: Viewer):
        self.viewer = viewer
        self._levels: dict[int, Level] = {}

    def prime(self, user_ids: Iterable[int]) -> None:
        missing = {int(pk) for pk in user_ids if pk is not None} - set(self._levels)
        if missing:
            self._levels.update(levels_for(self.viewer, missing))

    def level(self, user_id: int) -> Level:
        self.prime([user_id])
        return self._levels[int(user_id)]

    def person(self, user: User, sent: Sent | None = None) -> Person:
        return person_as_seen(user, self.level(user.pk), sent)
