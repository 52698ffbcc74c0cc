"""Tada teams and the per-user documents around them: team create/update/archive/join, the team icon, usage,
ui-settings and the device address book. Every permission check reads accounts.permissions; every `server.*`
event goes through publish_event in the same transaction as the change.
"""

import datetime
import io
import json
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageOps, UnidentifiedImageError

from accounts.models import Device, Invitation, Membership, Team, User
from accounts.permissions import ASSIGNABLE, is_manager
from accounts.services.console_access import console_access_sync
from accounts.services.discovery import lookups_spend
from accounts.services.epochs import user_epochs_bump
from accounts.services.events import publish_event
from accounts.services.invitations import invitation_accept, invitation_is_for, membership_invite
from accounts.services.memberships import membership_accept_invitation, membership_add
from core.exceptions import NotFoundError, PermissionDeniedError, ValidationFailed
from core.json_values import check_json_value
from core.phones import normalize_phone

Status = Membership.Status

UI_SETTINGS_MAX_BYTES = 16000
ADDRESS_BOOK_MAX_CONTACTS = 10000
TEAM_CONTACTS_MAX = 1000
ICON_MAX_BYTES = 5 * 1024 * 1024
ICON_MAX_PIXELS = 40_000_000
ICON_SM_SIZE = (256, 256)
ICON_LG_MAX_WIDTH = 1736
ICON_JPEG_QUALITY = 85
ICON_NAME = re.compile(r"-(?P<width>\d+)x(?P<height>\d+)\.jpg$")


def _json_size(data: object) -> int:
    """Bytes of the compact UTF-8 JSON serialisation (what the 16,000-byte cap measures)."""
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


# --- ui-settings -------------------------------------------------------------------------------------------------


@transaction.atomic
def ui_settings_replace(*, user: User, data: dict) -> dict:
    """Replace the user's whole ui-settings document (a JSON object of at most 16,000 bytes)."""
    if not isinstance(data, dict):
        raise ValidationFailed("ui-settings must be a JSON object.", details={"ui_settings": ["must be an object"]})
    check_json_value(data, field="ui_settings")
    size = _json_size(data)
    if size > UI_SETTINGS_MAX_BYTES:
        message = f"ui-settings may hold at most {UI_SETTINGS_MAX_BYTES} bytes; got {size}."
        raise ValidationFailed(message, details={"ui_settings": [message]})
    user.ui_settings = data
    user.save(update_fields=["ui_settings", "updated_at"])
    publish_event(name="server.uisettings", actor=user, payload=data, recipient_ids=[user.pk])
    return user.ui_settings


# --- address book ------------------------------------------------------------------------------------------------


def _normalised_or_raw(phone: str) -> tuple[str, bool]:
    try:
        return normalize_phone(phone), True
    except ValidationFailed:
        return phone, False


def _clean_contacts(contacts: list) -> list[dict]:
    if not isinstance(contacts, list):
        raise ValidationFailed.for_field("contacts", "must be a list of objects")
    if len(contacts) > ADDRESS_BOOK_MAX_CONTACTS:
        raise ValidationFailed.for_field("contacts", f"at most {ADDRESS_BOOK_MAX_CONTACTS} contacts")
    cleaned = []
    for index, contact in enumerate(contacts):
        if not isinstance(contact, dict):
            raise ValidationFailed.for_field(f"contacts.{index}", "must be an object")
        contact = {key: value for key, value in contact.items() if key != "account"}  # `account` is the server's
        phones = contact.get("phones")
        if phones is not None:
            if not isinstance(phones, list) or not all(isinstance(p, str) for p in phones):
                raise ValidationFailed.for_field(f"contacts.{index}.phones", "must be a list of strings")
            contact["phones"] = [_normalised_or_raw(p)[0] for p in phones]
        cleaned.append(contact)
    return cleaned


def _book_phones(contacts: Iterable) -> set[str]:
    return {
        p
        for c in contacts
        if isinstance(c, dict)
        for p in (c.get("phones") or [])
        if isinstance(p, str) and p.startswith("+")
    }


def address_book_with_accounts(contacts: Iterable[dict]) -> list[dict]:
    """The stored contacts, each with `account` when one of its phones belongs to a registered (active) user.

    All phones are matched in ONE query. Phones that never normalised were stored as given and match nobody.
    """
    contacts = list(contacts)
    phones = {p for c in contacts for p in (c.get("phones") or []) if isinstance(p, str) and p.startswith("+")}
    users = {}
    if phones:
        rows = User.objects.filter(phone__in=phones, status=User.Status.ACTIVE, is_active=True).only(
            "phone", "first_name", "last_name"
        )
        users = {user.phone: user for user in rows}
    result = []
    for contact in contacts:
        contact = dict(contact)
        match = next((users[p] for p in (contact.get("phones") or []) if p in users), None)
        if match is not None:
            contact["account"] = {
                "family_name": match.last_name,
                "given_name": match.first_name,
                "phone": match.phone,
            }
        result.append(contact)
    return result


@transaction.atomic
def address_book_replace(*, device: Device, contacts: list) -> list[dict]:
    """Replace the device's stored address book; returns it with `account` added where a phone matches.

    Matching phones against users is a documented discovery (accounts.visibility): each phone the device did not
    already hold spends one lookup of the owner's budget (accounts.services.discovery), so re-saving a book is free.
    `account` carries the public profile only: the names, and the phone the device itself sent."""
    cleaned = _clean_contacts(contacts)
    lookups_spend(user_id=device.user_id, count=len(_book_phones(cleaned) - _book_phones(device.address_book or [])))
    device.address_book = cleaned
    device.save(update_fields=["address_book", "updated_at"])
    return address_book_with_accounts(device.address_book)


# --- teams: reads ------------------------------------------------------------------------------------------------


def _attach(membership: Membership) -> Team:
    team = membership.team
    team.caller_membership = membership
    return team


def teams_for(*, user: User, team_ids: Iterable[int] | None = None) -> list[Team]:
    """The user's active teams (each with `caller_membership`), in one query."""
    memberships = Membership.objects.active().filter(user=user).select_related("team", "user").order_by("id")
    if team_ids is not None:
        memberships = memberships.for_teams(team_ids)
    return [_attach(m) for m in memberships]


def team_for(*, user: User, team_uid, team_ids: Iterable[int] | None = None) -> Team:
    """One of the user's active teams by uid (with `caller_membership`); any other team is 404."""
    memberships = Membership.objects.active().filter(user=user, team__uid=team_uid).select_related("team", "user")
    if team_ids is not None:
        memberships = memberships.for_teams(team_ids)
    membership = memberships.first()
    if membership is None:
        raise NotFoundError("No such team.")
    return _attach(membership)


def team_contacts(*, team: Team) -> list[Membership]:
    return list(Membership.objects.filter(team=team, is_active=True).select_related("user").order_by("id"))


def _require_manager(membership: Membership, action: str) -> None:
    if not is_manager(membership):
        raise PermissionDeniedError(f"Only the team's owners and admins may {action}.")


# --- teams: writes -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactInput:
    phone: str
    given_name: str
    family_name: str
    role: str
    status: str


def _contact_inputs(*, creator: User, contacts: list[dict], assignable: list[str]) -> list[ContactInput]:
    if len(contacts) > TEAM_CONTACTS_MAX:
        raise ValidationFailed.for_field("contacts", f"at most {TEAM_CONTACTS_MAX} contacts")
    seen = {creator.phone} if creator.phone else set()
    result = []
    for index, contact in enumerate(contacts):
        phone = normalize_phone(contact.get("phone") or "", field=f"contacts.{index}.phone")
        status = contact.get("status") or Status.MEMBER
        if status not in assignable:
            message = f"must be one of {', '.join(assignable)}"
            raise ValidationFailed(
                f"contacts.{index}.status {message}.", details={f"contacts.{index}.status": [message]}
            )
        if phone in seen:  # the creator, or a phone listed twice: the first mention wins
            continue
        seen.add(phone)
        result.append(
            ContactInput(
                phone=phone,
                given_name=contact.get("given_name") or "",
                family_name=contact.get("family_name") or "",
                role=contact.get("role") or "",
                status=str(status),
            )
        )
    return result


def _new_users(inputs: list[ContactInput], known: dict[str, User]) -> dict[str, User]:
    """New pending users (bulk) for the listed phones nobody has yet."""
    new_users = []
    for contact in inputs:
        if contact.phone in known:
            continue
        user = User(
            phone=contact.phone,
            first_name=contact.given_name,
            last_name=contact.family_name,
            status=User.Status.PENDING,
        )
        base = slugify(f"{contact.given_name} {contact.family_name}".strip())[:40] or "user"
        user.slug = f"{base}-{secrets.token_hex(6)}"
        user.set_unusable_password()
        new_users.append(user)
    User.objects.bulk_create(new_users)
    if new_users and any(user.pk is None for user in new_users):  # backends without RETURNING ids
        return {u.phone: u for u in User.objects.filter(phone__in=[u.phone for u in new_users])}
    return {u.phone: u for u in new_users}


# Levels a brand-new person may be given without accepting anything: nobody is made owner or admin by someone
# else's call (issue 8); they are promoted once they are a member.
UNASKED_LEVELS = (Status.GUEST, Status.MEMBER)


@transaction.atomic
def team_create_with_contacts(*, creator: User, name: str, contacts: list[dict] | None = None) -> Team:
    """Create a team owned by `creator` with the listed contacts (issue 8, "adding someone needs their consent"):

    - a phone nobody has yet becomes a new pending user and a member (guest or member; a higher level asked for
      is made member) who finds the team when they first log in by SMS;
    - a phone that belongs to someone already on Crewdesk becomes an invited, pending member: no access and
      nothing of them shown beyond what the creator sent, until they accept the invitation (SMS) proposing the
      level asked for.

    Returns the team with `caller_membership` and `tada_contacts` (every listed contact, pending ones included).
    """
    name = (name or "").strip()
    if not name:
        raise ValidationFailed.for_field("name", "A team name is required.")
    inputs = _contact_inputs(creator=creator, contacts=contacts or [], assignable=ASSIGNABLE[Status.OWNER])
    lookups_spend(user=creator, count=len(inputs))
    team = Team.objects.create(name=name, created_by=creator)
    existing = {user.phone: user for user in User.objects.filter(phone__in=[c.phone for c in inputs])}
    new_users = _new_users(inputs, existing)
    rows = [Membership(team=team, user=creator, status=Status.OWNER)]
    rows += [
        Membership(
            team=team,
            user=new_users[c.phone],
            status=c.status if c.status in UNASKED_LEVELS else Status.MEMBER,
            role=c.role,
            invited_by=creator,
        )
        for c in inputs
        if c.phone in new_users
    ]
    Membership.objects.bulk_create(rows)
    user_epochs_bump(row.user_id for row in rows)  # bulk_create sends no post_save
    invited = {}
    for contact in inputs:
        if contact.phone in existing:
            invited[contact.phone] = membership_invite(
                team=team,
                user=existing[contact.phone],
                inviter=creator,
                status=contact.status,
                phone=contact.phone,
                first_name=contact.given_name,
                last_name=contact.family_name,
                role=contact.role,
            )
    console_access_sync(user_ids=[row.user_id for row in rows])
    members = [m for m in team_contacts(team=team) if not m.invitation_pending]
    member_ids = [m.user_id for m in members]
    publish_event(
        name="server.contact.updated",
        team=team,
        actor=creator,
        payload={"team": str(team.uid), "jids": [f"d-{m.user.uid}" for m in members]},
        recipient_ids=member_ids,
    )
    publish_event(
        name="server.team.updated", team=team, actor=creator, payload={"uid": str(team.uid)}, recipient_ids=member_ids
    )
    publish_event(
        name="server.section.updated",
        team=team,
        actor=creator,
        payload={"team": str(team.uid), "sections": []},
        recipient_ids=member_ids,
    )
    team.caller_membership = next(m for m in members if m.user_id == creator.pk)
    by_user = {m.user_id: m for m in team_contacts(team=team)}
    listed = []
    for contact in inputs:  # the listed contacts in the order given, the creator last (the document's example)
        user = new_users.get(contact.phone) or existing[contact.phone]
        membership = by_user[user.pk]
        if contact.phone in invited:
            membership.invitation_sent = invited[contact.phone].invitation_sent
        else:
            membership.invitation_sent = None
        listed.append(membership)
    team.tada_contacts = [*listed, team.caller_membership]
    return team


@transaction.atomic
def team_update(*, team: Team, by: Membership, name: str | None = None) -> Team:
    """Rename the team (owners and admins); the icon stub follows the name."""
    _require_manager(by, "change the team")
    if name is not None:
        name = name.strip()
        if not name:
            raise ValidationFailed.for_field("name", "A team name is required.")
        team.name = name
        team.save(update_fields=["name", "updated_at"])
    publish_event(name="server.team.updated", team=team, actor=by.user, payload={"uid": str(team.uid)})
    return team


@transaction.atomic
def team_archive(*, team: Team, by: Membership) -> Team:
    """Soft-delete (archive) the team: only an owner may. Members stop seeing it."""
    if by.status != Status.OWNER:
        raise PermissionDeniedError("Only the team's owners may delete it.")
    publish_event(name="server.team.deleted", team=team, actor=by.user, payload={"uid": str(team.uid)})
    team.is_archived = True
    team.save(update_fields=["is_archived", "updated_at"])
    console_access_sync(user_ids=Membership.objects.filter(team=team).values_list("user_id", flat=True))
    return team


def _accept_personal(*, user: User, token: str) -> Team:
    """Accept a pending personal team invitation addressed to `user` (how an invited, pending member consents
    from tada); anyone else's — or none — is the same 404, so a token reveals nothing to whoever holds it."""
    invitation = (
        Invitation.objects.select_related("team")
        .filter(
            token=token,
            kind=Invitation.Kind.PERSONAL,
            status=Invitation.Status.PENDING,
            team__isnull=False,
            team__is_archived=False,
        )
        .first()
    )
    if invitation is None or not invitation_is_for(invitation, user):
        raise NotFoundError("No such invitation.")
    invitation_accept(invitation=invitation, user=user)
    team = invitation.team
    team.caller_membership = Membership.objects.select_related("user").get(team=team, user=user)
    return team


@transaction.atomic
def team_join(*, user: User, token: str) -> Team:
    """Join the team of a pending link invitation (reusable; it stays pending), or accept a personal team
    invitation addressed to the caller. An active member just gets the team.

    Returns the team with `caller_membership`.
    """
    invitation = (
        Invitation.objects.select_related("team")
        .filter(
            token=token,
            kind=Invitation.Kind.LINK,
            status=Invitation.Status.PENDING,
            team__isnull=False,
            team__is_archived=False,
        )
        .first()
    )
    if invitation is None:
        return _accept_personal(user=user, token=token)
    team = invitation.team
    existing = Membership.objects.filter(team=team, user=user, is_active=True).select_related("user").first()
    if existing is not None and not existing.invitation_pending:
        team.caller_membership = existing
        return team
    status = invitation.membership_status if invitation.membership_status in (Status.GUEST, Status.MEMBER) else None
    if existing is not None:  # invited and pending: joining by the team's link is consenting too
        membership = membership_accept_invitation(
            team=team, user=user, status=status or Status.MEMBER, invited_by=invitation.inviter
        )
        membership.user = user
        team.caller_membership = membership
        return team
    membership = membership_add(
        team=team,
        user=user,
        status=status or Status.MEMBER,
        invited_by=invitation.inviter,
        need_confirmation=True,
    )
    membership.user = user
    team.caller_membership = membership
    return team


# --- team icon ---------------------------------------------------------------------------------------------------


def icon_dimensions(name: str) -> tuple[int, int] | None:
    """Width and height of a stored icon, read from its file name (no file I/O when listing teams)."""
    match = ICON_NAME.search(name or "")
    return (int(match["width"]), int(match["height"])) if match else None


def _open_image(upload) -> Image.Image:
    size = getattr(upload, "size", None)
    if size is None or size > ICON_MAX_BYTES:
        raise ValidationFailed.for_field("file", f"The picture must be at most {ICON_MAX_BYTES // (1024 * 1024)} MB.")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
            if probe.width * probe.height > ICON_MAX_PIXELS:
                raise ValidationFailed.for_field("file", "The picture has too many pixels.")
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationFailed.for_field("file", "The file is not a picture.") from None
    image = ImageOps.exif_transpose(image)
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=ICON_JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


def _stored_size(field) -> int:
    if not field:
        return 0
    try:
        return field.storage.size(field.name)
    except OSError:
        return 0


def _forget_files_on_commit(names: list[str]) -> None:
    """Old files go only once the change is committed (a rolled-back change keeps its picture)."""
    names = [n for n in names if n]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(n) for n in names], robust=True)


def _add_uploads_size(team: Team, delta: int) -> None:
    Team.objects.filter(pk=team.pk).update(uploads_size=Greatest(F("uploads_size") + delta, 0))
    user_epochs_bump(Membership.objects.filter(team=team).values_list("user_id", flat=True))  # shown in `/me`
    team.refresh_from_db(fields=["uploads_size"])


@transaction.atomic
def team_icon_set(*, team: Team, by: Membership, upload) -> Team:
    """Store the uploaded picture as `sm` (256×256, centre crop) and `lg` (at most 1736 wide, aspect kept), JPEG."""
    _require_manager(by, "change the team picture")
    image = _open_image(upload)
    small = _jpeg(ImageOps.fit(image, ICON_SM_SIZE, method=Image.Resampling.LANCZOS))
    large_image = image.copy()
    if large_image.width > ICON_LG_MAX_WIDTH:
        height = max(1, round(large_image.height * ICON_LG_MAX_WIDTH / large_image.width))
        large_image = large_image.resize((ICON_LG_MAX_WIDTH, height), Image.Resampling.LANCZOS)
    large = _jpeg(large_image)
    old_names = [team.icon_sm.name, team.icon_lg.name]
    old_size = _stored_size(team.icon_sm) + _stored_size(team.icon_lg)
    delta = len(small) + len(large) - old_size
    if delta > 0 and team.uploads_size + delta > team.uploads_size_limit:
        raise ValidationFailed.for_field("file", "The team has no storage left for this picture.")
    stem = f"{team.uid.hex}/{secrets.token_hex(8)}"
    team.icon_sm.save(f"{stem}-sm-{ICON_SM_SIZE[0]}x{ICON_SM_SIZE[1]}.jpg", ContentFile(small), save=False)
    team.icon_lg.save(f"{stem}-lg-{large_image.width}x{large_image.height}.jpg", ContentFile(large), save=False)
    team.save(update_fields=["icon_sm", "icon_lg", "updated_at"])
    _add_uploads_size(team, delta)
    _forget_files_on_commit(old_names)
    return team


@transaction.atomic
def team_icon_clear(*, team: Team, by: Membership) -> Team:
    """Remove the team picture, if any (files deleted after commit, their bytes leave uploads_size)."""
    _require_manager(by, "change the team picture")
    if team.icon_sm or team.icon_lg:
        old_names = [team.icon_sm.name, team.icon_lg.name]
        size = _stored_size(team.icon_sm) + _stored_size(team.icon_lg)
        team.icon_sm = ""
        team.icon_lg = ""
        team.save(update_fields=["icon_sm", "icon_lg", "updated_at"])
        _add_uploads_size(team, -size)
        _forget_files_on_commit(old_names)
    return team


# --- usage -------------------------------------------------------------------------------------------------------


def team_usage(*, team: Team, today: datetime.date | None = None) -> dict:
    """Storage used: consecutive months from the team's creation month to now (zeros where nothing is recorded)."""
    today = today or timezone.now().date()
    created = timezone.localtime(team.created_at).date() if team.created_at else today
    year, month = created.year, created.month
    by_months = []
    while (year, month) <= (today.year, today.month):
        by_months.append({"month": month, "uploads_size": 0, "year": year})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return {"by_months": by_months, "uploads_size": team.uploads_size, "uploads_size_limit": team.uploads_size_limit}
