"""Tommy contacts: one row per side (accounts.models.Contact), kept in step by these services.

Accounts. Contacts belong to an *account*: a user (`team=None`, the user's personal list) or a team the user acts
for (`team=T`; the list is the team's, `owner` records who added the row). In what follows "mine" is the acting
account's row about the friend and "theirs" is the friend's personal row about the acting user (the side
`contact_connect` keeps). Incoming requests always land on a personal row.

State machine (statuses of mine / theirs; "—" means no row yet):

    call (by me)           mine before                      mine after   theirs after   side effect
    create  POST /contacts —, invited, pending, declined    invited      requested      invitation_send (SMS/email)
    invite  …/invite       —, invited, pending, declined    invited      requested      invitation_send (SMS/email)
    add     …/add          —, invited, pending, declined    pending      requested      none (no event published)
    import  …/import       —                                invited      (untouched)    none (rows only, in bulk)
    import  …/import       any existing row                 (unchanged)  (untouched)    none
    accept  …/accept       requested (theirs pending or     accepted     accepted       every pending/invited row
                           invited)                                                     of theirs about me connects
    decline …/decline      requested (theirs pending or     declined     declined       none
                           invited)

    create / invite / add when theirs is already `accepted` (the friend accepted the acting user, and the acting
    account is one of the user's teams): the two are connected at once (contact_connect), no request is made.

Illegal transitions raise ValidationFailed (422 in the tommy envelope): create/invite/add yourself; create/invite/add
when mine is `accepted` ("already a contact") or when the friend has a request waiting for me (theirs `pending` or
`invited`: accept it instead); accept/decline without an incoming request. A declined pair may be asked again.
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils.text import slugify

from accounts.models import Contact, Membership, Team, User
from accounts.services.discovery import lookups_spend
from accounts.services.users import user_create
from core.exceptions import NotFoundError, ValidationFailed

Status = Contact.Status
INCOMING = (Status.PENDING, Status.INVITED)  # theirs, when the friend is waiting for my answer
UPDATABLE_FIELDS = ("favorite", "mute", "personal", "roles", "locations", "tags")
IMPORT_MAX_ROWS = 1000


@dataclass(frozen=True)
class Account:
    """Whose contacts: `user`'s own (team None) or `team`'s, with `user` acting for it."""

    user: User
    team: Team | None = None

    def rows(self) -> QuerySet[Contact]:
        if self.team is not None:
            return Contact.objects.filter(team=self.team)
        return Contact.objects.filter(owner=self.user, team__isnull=True)


def _side(*, owner: User, friend: User, team: Team | None) -> Contact:
    lookup = {"team": team, "friend": friend} if team else {"owner": owner, "friend": friend, "team": None}
    contact = Contact.objects.select_for_update(of=("self",)).filter(**lookup).first()
    return contact or Contact(owner=owner, friend=friend, team=team)


@transaction.atomic
def contact_connect(*, owner: User, friend: User, team: Team | None = None, via: str = "") -> Contact:
    """Make `owner` (or `team`, acting through `owner`) and `friend` contacts of each other, both sides accepted.

    Returns the owner's side. Used when a contact request or an invitation is accepted.
    """
    mine = _side(owner=owner, friend=friend, team=team)
    theirs = _side(owner=friend, friend=owner, team=None)
    for side in (mine, theirs):
        side.status = Contact.Status.ACCEPTED
        side.via = side.via or via
        side.save()
    return mine


# ---------------------------------------------------------------------------------------------------------- reads


def contacts_list(*, account: Account) -> QuerySet[Contact]:
    """The account's contacts with their friends, one query for any number of rows."""
    return account.rows().select_related("friend").order_by("id")


def contact_get(*, account: Account, friend_id: int) -> Contact:
    """The account's row about `friend_id`; anyone else's contact (or no contact) is 404."""
    contact = account.rows().select_related("friend").filter(friend_id=friend_id).first()
    if contact is None:
        raise NotFoundError("Contact not found.")
    return contact


def _reachable_friend(*, account: Account, friend_id: int, team_ids: Iterable[int]) -> User:
    """A user the caller may address by id: anyone with a contact row either way, or a member of the caller's
    teams (or the caller). Anyone else is 404, so ids cannot be probed for phone numbers."""
    user = account.user
    known = Q(contacts__friend=user) | Q(contact_of__owner=user, contact_of__team__isnull=True)
    if account.team is not None:
        known |= Q(contact_of__team=account.team)
    members = Membership.objects.active().filter(team_id__in=list(team_ids)).values("user_id")
    friend = User.objects.filter(Q(pk=friend_id) & (known | Q(pk__in=members) | Q(pk=user.pk))).first()
    if friend is None:
        raise NotFoundError("User not found.")
    return friend


def caller_teams(*, requested_ids: Iterable[int], allowed_ids: Iterable[int], field: str) -> list[Team]:
    """The teams named in a body (`team_id`/`team_ids`; 0 is the documented placeholder for none), each of which
    must be one of the caller's (`allowed_ids`, the credential's active teams), else a 422 naming `field`."""
    wanted = sorted({int(pk) for pk in requested_ids if pk})
    allowed = set(allowed_ids)
    if any(pk not in allowed for pk in wanted):
        raise ValidationFailed.for_field(field, "must be teams you belong to")
    return list(Team.objects.filter(pk__in=wanted, is_archived=False)) if wanted else []


# --------------------------------------------------------------------------------------------------------- writes


@transaction.atomic
def contact_update(*, account: Account, friend_id: int, **changes) -> Contact:
    """Change the account's own labels on a contact; only UPDATABLE_FIELDS are written."""
    contact = contact_get(account=account, friend_id=friend_id)
    fields = {name: value for name, value in changes.items() if name in UPDATABLE_FIELDS}
    for name, value in fields.items():
        setattr(contact, name, value)
    if fields:
        contact.save(update_fields=[*fields, "updated_at"])
    return contact


def _request(*, account: Account, friend: User, status: str, via: str) -> Contact:
    """Move the pair (mine, theirs) to `status` / requested, or refuse an illegal transition."""
    user = account.user
    if friend.pk == user.pk:
        raise ValidationFailed.for_field("friend_id", "You cannot add yourself as a contact.")
    mine = _side(owner=user, friend=friend, team=account.team)
    theirs = _side(owner=friend, friend=user, team=None)
    if mine.status == Status.ACCEPTED and mine.pk:
        raise ValidationFailed.for_field("friend_id", "This user is already a contact.")
    if theirs.pk and theirs.status in INCOMING:
        raise ValidationFailed.for_field(
            "friend_id", "This user has already sent you a contact request: accept it instead."
        )
    if theirs.pk and theirs.status == Status.ACCEPTED:
        return contact_connect(owner=user, friend=friend, team=account.team, via=via)
    mine.status = status
    mine.via = mine.via or via
    mine.save()
    theirs.status = Status.REQUESTED
    theirs.via = theirs.via or via
    theirs.save()
    return mine


def _invite(*, account: Account, friend: User, contact: Contact) -> None:
    """The invitation of a contact: to connect with the acting user (`team=None`: accepting never grants a team
    membership; team invitations are /team/members/invite). It records only what the caller wrote on the row;
    delivery falls back to the friend's own phone or email, which the caller never sees."""
    # Imported here: accounts.services.invitations imports contact_connect from this module.
    from accounts.services.invitations import invitation_send

    invitation_send(
        inviter=account.user,
        invitee=friend,
        phone=contact.sent_phone,
        email=contact.sent_email,
        first_name=contact.sent_first_name,
        last_name=contact.sent_last_name,
    )


@transaction.atomic
def contact_add(*, account: Account, friend_id: int, team_ids: Iterable[int]) -> Contact:
    """POST /contacts/{friend_id}/add: an in-app contact request; nothing is sent and no event is published."""
    friend = _reachable_friend(account=account, friend_id=friend_id, team_ids=team_ids)
    return _request(account=account, friend=friend, status=Status.PENDING, via="add")


@transaction.atomic
def contact_invite(*, account: Account, friend_id: int, team_ids: Iterable[int]) -> Contact:
    """POST /contacts/{friend_id}/invite: a request plus an invitation by SMS (or email when there is no mobile)."""
    friend = _reachable_friend(account=account, friend_id=friend_id, team_ids=team_ids)
    contact = _request(account=account, friend=friend, status=Status.INVITED, via="invite")
    if contact.status == Status.INVITED:
        _invite(account=account, friend=friend, contact=contact)
    return contact


def _find_user(*, phone: str | None, email: str | None) -> User | None:
    """Match by mobile first (the stronger identity in tommy), then by email (case-insensitive)."""
    if phone:
        found = User.objects.filter(phone=phone).first()
        if found is not None:
            return found
    if email:
        return User.objects.filter(email__iexact=email).first()
    return None


def _write_sent(contact: Contact, sent: dict) -> None:
    """Remember what the owner wrote about the friend (shown back while the friend's own profile is not theirs
    to see, accounts.visibility)."""
    for name, value in sent.items():
        setattr(contact, name, value)
    contact.save(update_fields=[*sent, "updated_at"])


@transaction.atomic
def contact_create(
    *,
    account: Account,
    phone: str | None = None,
    email: str | None = None,
    first_name: str = "",
    last_name: str = "",
    dob=None,
    locale: str = "",
    via: str = "",
    teams: Iterable[Team] = (),
) -> Contact:
    """POST /contacts: find the person by mobile or email, else create them as a `pending` user; make them the
    account's contact (`invited`) and send one invitation. `teams` (already checked to be the caller's) get the
    same contact as well; the current account's row is the one returned."""
    if not phone and not email:
        raise ValidationFailed(
            "A contact needs a mobile number or an email address.",
            details={"mobile": ["or email is required"], "email": ["or mobile is required"]},
        )
    lookups_spend(user=account.user)
    friend = _find_user(phone=phone, email=email)
    if friend is None:
        friend = user_create(
            phone=phone, email=email, first_name=first_name, last_name=last_name, dob=dob, locale=locale
        )
    via = via or "contact"
    sent = {
        "sent_first_name": first_name,
        "sent_last_name": last_name,
        "sent_phone": phone or "",
        "sent_email": email or "",
    }
    contact = _request(account=account, friend=friend, status=Status.INVITED, via=via)
    _write_sent(contact, sent)
    for team in teams:
        if account.team is not None and team.pk == account.team.pk:
            continue
        row = _side(owner=account.user, friend=friend, team=team)
        if row.status != Status.ACCEPTED or not row.pk:
            row.status = Status.INVITED
            row.via = row.via or via
            for name, value in sent.items():
                setattr(row, name, value)
            row.save()
    if contact.status == Status.INVITED:
        _invite(account=account, friend=friend, contact=contact)
    return contact


@transaction.atomic
def contact_accept(*, account: Account, friend_id: int, team_ids: Iterable[int], teams: Iterable[Team] = ()) -> Contact:
    """POST /contacts/{friend_id}/accept: every pending/invited row of the friend's about me (personal or a team's)
    and my personal row become accepted; each of `teams` (the caller's) gets the friend as an accepted contact too.
    Returns my personal row."""
    user = account.user
    friend = _reachable_friend(account=account, friend_id=friend_id, team_ids=team_ids)
    incoming = list(
        Contact.objects.select_for_update(of=("self",)).filter(owner=friend, friend=user, status__in=INCOMING)
    )
    if not incoming:
        raise ValidationFailed.for_field("friend_id", "There is no contact request from this user to accept.")
    for row in incoming:
        contact_connect(owner=friend, friend=user, team=row.team, via=row.via)
    for team in teams:
        contact_connect(owner=user, friend=friend, team=team, via="accept")
    return Contact.objects.select_related("friend").get(owner=user, friend=friend, team__isnull=True)


@transaction.atomic
def contact_decline(*, account: Account, friend_id: int, team_ids: Iterable[int]) -> Contact:
    """POST /contacts/{friend_id}/decline: the incoming request (both sides) becomes declined."""
    user = account.user
    friend = _reachable_friend(account=account, friend_id=friend_id, team_ids=team_ids)
    incoming = Contact.objects.select_for_update(of=("self",)).filter(owner=friend, friend=user, status__in=INCOMING)
    if not incoming.update(status=Status.DECLINED):
        raise ValidationFailed.for_field("friend_id", "There is no contact request from this user to decline.")
    mine = _side(owner=user, friend=friend, team=None)
    mine.status = Status.DECLINED
    mine.save()
    return mine


# --------------------------------------------------------------------------------------------------------- import


def _new_user_slug(row: dict) -> str:
    """Unique without a query per row: the name plus 8 random hex digits (2^32 per name)."""
    base = slugify(f"{row.get('first_name', '')} {row.get('last_name', '')}")[:40] or "user"
    return f"{base}-{secrets.token_hex(4)}"


@transaction.atomic
def contacts_import(*, account: Account, rows: list[dict]) -> list[Contact]:
    """POST /contacts/import: rows already validated (first_name, normalised `phone` and/or `email`).

    Users are matched by phone or email in one query; the unknown ones are created `pending` with one bulk
    insert, and the account's missing contact rows (`invited`, via "import") with another. Existing contact rows
    keep their state. The caller's own card is skipped. Nobody is texted (see docs/decisions.md). Returns the
    account's rows for the imported people, in input order, each once.
    """
    user = account.user
    phones = {row["phone"] for row in rows if row.get("phone")}
    emails = {row["email"].lower() for row in rows if row.get("email")}
    lookups_spend(user=user, count=len(phones) + len(emails))
    by_phone: dict[str, User] = {}
    by_email: dict[str, User] = {}
    if phones or emails:
        matches = User.objects.annotate(email_lower=Lower("email")).filter(
            Q(phone__in=phones) | Q(email_lower__in=emails)
        )
        for found in matches:
            if found.phone:
                by_phone[found.phone] = found
            if found.email:
                by_email[found.email.lower()] = found

    unusable = make_password(None)
    people: list[User] = []
    seen: set[int] = set()
    sent: dict[int, Contact] = {}  # id(person) → what this import wrote about them (the first row wins)
    new_users: list[User] = []
    for row in rows:
        phone, email = row.get("phone"), (row.get("email") or "").lower() or None
        person = (by_phone.get(phone) if phone else None) or (by_email.get(email) if email else None)
        if person is None:
            person = User(
                phone=phone,
                email=row.get("email") or None,
                first_name=row.get("first_name", ""),
                last_name=row.get("last_name", ""),
                dob=row.get("dob"),
                locale=row.get("locale", ""),
                status=User.Status.PENDING,
                slug=_new_user_slug(row),
                password=unusable,
            )
            new_users.append(person)
        if phone:
            by_phone.setdefault(phone, person)
        if email:
            by_email.setdefault(email, person)
        if person.pk != user.pk and id(person) not in seen:
            seen.add(id(person))
            people.append(person)
            sent[id(person)] = Contact(
                sent_first_name=row.get("first_name", ""),
                sent_last_name=row.get("last_name", ""),
                sent_phone=phone or "",
                sent_email=row.get("email") or "",
            )
    User.objects.bulk_create(new_users)

    existing = {row.friend_id: row for row in account.rows().filter(friend__in=[p for p in people if p.pk])}
    missing = [
        Contact(
            owner=user,
            team=account.team,
            friend=person,
            status=Status.INVITED,
            via="import",
            sent_first_name=sent[id(person)].sent_first_name,
            sent_last_name=sent[id(person)].sent_last_name,
            sent_phone=sent[id(person)].sent_phone,
            sent_email=sent[id(person)].sent_email,
        )
        for person in people
        if person.pk not in existing
    ]
    Contact.objects.bulk_create(missing)
    created = {row.friend_id: row for row in missing}
    result = []
    for person in people:
        contact = existing.get(person.pk) or created[person.pk]
        contact.friend = person
        result.append(contact)
    return result
