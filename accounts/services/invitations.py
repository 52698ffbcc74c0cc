"""Invitations: a team's reusable join link (tada) and personal invitations sent by SMS or email (tommy).

`invitation_send` is the one way an invitation reaches a person: the SMS goes through the messaging Text path
(core.sms → Celery, `sms` queue), the email through Django's mail backend, both only after the commit.
"""

from functools import partial

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Contact, Invitation, Membership, Team, User
from accounts.permissions import team_permissions
from accounts.services.contacts import contact_connect
from accounts.services.discovery import lookups_spend, sends_spend
from accounts.services.memberships import membership_accept_invitation, membership_add, membership_of
from accounts.visibility import Sent, Viewer, known_people
from core import links, sms
from core.exceptions import NotFoundError, PermissionDeniedError, ValidationFailed


def invitation_link(invitation: Invitation) -> str:
    """Where the invitee opens it (core.links: the family that serves invitations builds it)."""
    return links.build("invitation", token=invitation.token)


def _invitation_text(invitation: Invitation) -> str:
    who = invitation.inviter.full_name or "A colleague"
    where = f" to join {invitation.team.name}" if invitation.team_id else ""
    note = f' "{invitation.message}"' if invitation.message else ""
    return f"{who} invited you{where} on Crewdesk.{note} {invitation_link(invitation)}"


@transaction.atomic
def invitation_deliver(*, invitation: Invitation) -> Invitation:
    """(Re)send a personal invitation by SMS when it has a phone, else by email; counts the sending."""
    addressee = invitation.invitee or invitation.invitee_team
    phone = invitation.phone or (addressee.phone if addressee else "") or ""
    email = invitation.email or (addressee.email if addressee else "") or ""
    if not phone and not email:
        raise ValidationFailed(
            "An invitation needs a mobile number or an email address.", details={"mobile": ["or email is required"]}
        )
    sends_spend(user=invitation.inviter)
    body = _invitation_text(invitation)
    if phone:
        sms.send_text(to=phone, body=body, purpose="invitation", team_id=invitation.team_id)
    else:
        transaction.on_commit(partial(send_mail, "You are invited to Crewdesk", body, None, [email]), robust=True)
    Invitation.objects.filter(pk=invitation.pk).update(times_sent=F("times_sent") + 1, sent_at=timezone.now())
    invitation.refresh_from_db()
    return invitation


@transaction.atomic
def invitation_send(
    *,
    inviter: User,
    team: Team | None = None,
    invitee: User | None = None,
    phone: str = "",
    email: str = "",
    message: str = "",
    membership_status: str = "",
    invitee_team: Team | None = None,
    first_name: str = "",
    last_name: str = "",
) -> Invitation:
    """Create a personal invitation (to connect with `inviter`, or to join `team`) and send it.

    `phone` must already be normalised (core.phones). An invitee without phone or email is a validation error.
    `invitee_team` addresses a team (its managers may answer) instead of a person. `phone`, `email` and the names
    are what the inviter wrote: all the team sees of the invitee until they accept (accounts.visibility).
    """
    invitation = Invitation.objects.create(
        kind=Invitation.Kind.PERSONAL,
        inviter=inviter,
        team=team,
        invitee=invitee,
        invitee_team=invitee_team,
        phone=phone,
        email=email,
        first_name=first_name,
        last_name=last_name,
        message=message,
        membership_status=membership_status,
    )
    return invitation_deliver(invitation=invitation)


def _resolve_invitee(
    *, viewer: Viewer, invitee_id: int | None, invitee_type: str, phone: str, email: str
) -> tuple[User | None, Team | None]:
    if invitee_id is not None:
        if invitee_type == "Team":
            invitee_team = Team.objects.filter(pk=invitee_id, is_archived=False).first()
            if invitee_team is None:
                raise ValidationFailed.for_field("invitee_id", "No such team.")
            return None, invitee_team
        # Only someone the inviter may know of (accounts.visibility): a stranger's id answers as an unknown one.
        invitee = known_people(viewer).filter(pk=invitee_id, is_active=True).first()
        if invitee is None:
            raise ValidationFailed.for_field("invitee_id", "No such user.")
        return invitee, None
    if not phone and not email:
        raise ValidationFailed(
            "Say whom to invite: friend_id, invitee_id, mobile or email.",
            details={"invitee_id": ["friend_id, invitee_id, mobile or email is required"]},
        )
    # Someone already on Crewdesk with that number or address is invited as themselves (so they may accept in
    # the app); the answer shows the inviter only what they sent unless they may see that person.
    lookups_spend(user=viewer.user)
    invitee = User.objects.filter(phone=phone).first() if phone else None
    if invitee is None and email:
        invitee = User.objects.filter(email__iexact=email).first()
    return invitee, None


@transaction.atomic
def invitation_invite(
    *,
    inviter: User,
    team: Team | None = None,
    invitee_id: int | None = None,
    invitee_type: str = "User",
    phone: str = "",
    email: str = "",
    message: str = "",
    viewer: Viewer | None = None,
) -> Invitation:
    """Tommy POST /invitations: invite a user, a team or a not-yet-member (by `phone`/`email`) to connect with
    `inviter`, or to join `team` when the inviter acts for a team they may add people to. A user id must be of
    someone `viewer` (the inviter's credential; default: the inviter in all their teams) may know of.

    A pending invitation from the same inviter to the same addressee is sent again (times_sent + 1), not
    duplicated.
    """
    if team is not None and not team_permissions(membership_of(team=team, user=inviter)).can_add_to_team:
        raise PermissionDeniedError("Only the team's owners and admins may invite people to it.")
    viewer = viewer or _viewer_of(inviter)
    invitee, invitee_team = _resolve_invitee(
        viewer=viewer, invitee_id=invitee_id, invitee_type=invitee_type, phone=phone, email=email
    )
    if invitee is not None and invitee.pk == inviter.pk:
        raise ValidationFailed.for_field("invitee_id", "You cannot invite yourself.")
    if team is not None and invitee_team is not None and invitee_team.pk == team.pk:
        raise ValidationFailed.for_field("invitee_id", "A team cannot invite itself.")
    if (
        team is not None
        and invitee is not None
        and Membership.objects.filter(team=team, user=invitee, is_active=True).exists()
    ):
        raise ValidationFailed.for_field("invitee_id", "This person is already a member of the team.")
    pending = Invitation.objects.select_for_update(of=("self",)).filter(
        kind=Invitation.Kind.PERSONAL, status=Invitation.Status.PENDING, inviter=inviter, team=team
    )
    if invitee is not None or invitee_team is not None:
        pending = pending.filter(invitee=invitee, invitee_team=invitee_team)
    else:
        pending = pending.filter(invitee__isnull=True, invitee_team__isnull=True, phone=phone, email=email)
    existing = pending.first()
    if existing is not None:
        if message and message != existing.message:
            existing.message = message
            existing.save(update_fields=["message", "updated_at"])
        return invitation_deliver(invitation=existing)
    return invitation_send(
        inviter=inviter,
        team=team,
        invitee=invitee,
        invitee_team=invitee_team,
        phone=phone,
        email=email,
        message=message,
    )


def _viewer_of(user: User) -> Viewer:
    team_ids = frozenset(Membership.objects.active().filter(user=user).values_list("team_id", flat=True))
    return Viewer(user=user, team_ids=team_ids)


@transaction.atomic
def membership_invite(
    *,
    team: Team,
    user: User,
    inviter: User,
    status: str = Membership.Status.MEMBER,
    phone: str = "",
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    message: str = "",
    **fields,
) -> Membership:
    """Add `user` to `team` only with their consent: a pending membership (no access: invitation_pending) and a
    personal invitation proposing `status`, delivered by SMS or email. The proposed level is the invitation's and
    applies when they accept it (tommy /invitations/{token}/accept, tada /teams/join with the token); until then
    the pending row is at most a member, so it never counts as an owner or admin. Nothing of them is shown to the
    team beyond what the inviter sent (`phone`, `email`, names). An active member is returned unchanged."""
    membership = Membership.objects.filter(team=team, user=user).first()
    if membership is not None and membership.is_active and not membership.invitation_pending:
        return membership
    if membership is None or not membership.is_active:
        membership = membership_add(
            team=team,
            user=user,
            status=status if status == Membership.Status.GUEST else Membership.Status.MEMBER,
            invited_by=inviter,
            need_confirmation=True,
            invitation_pending=True,
            **fields,
        )
    invitation_send(
        inviter=inviter,
        team=team,
        invitee=user,
        # Only what the inviter wrote is recorded; delivery falls back to the person's own phone or email.
        phone=phone,
        email=email,
        first_name=first_name,
        last_name=last_name,
        message=message,
        membership_status=str(status),
    )
    membership.invitation_sent = Sent(first_name, last_name, phone, email)
    return membership


# --- Team join links (tada) ---------------------------------------------------------------------------------------


@transaction.atomic
def invitation_create_link(*, team: Team, inviter: User, membership_status: str = "") -> Invitation:
    """A reusable join link / QR for `team` (tada invitations): whoever holds the token may join until revoked."""
    return Invitation.objects.create(
        kind=Invitation.Kind.LINK, inviter=inviter, team=team, membership_status=membership_status
    )


def invitation_links_of(*, team: Team):
    """The team's live join links, newest first (revoked ones are gone for the API)."""
    return Invitation.objects.for_team(team).filter(kind=Invitation.Kind.LINK, status=Invitation.Status.PENDING)


def invitation_link_get(*, team: Team | None = None, team_uid=None, uid=None, token: str | None = None) -> Invitation:
    """One live join link of `team` (or of the team with `team_uid`) by `uid` or `token`, else 404."""
    links = Invitation.objects.filter(kind=Invitation.Kind.LINK, status=Invitation.Status.PENDING)
    links = links.filter(team=team) if team is not None else links.filter(team__uid=team_uid, team__is_archived=False)
    invitation = links.filter(uid=uid).first() if uid is not None else links.filter(token=token).first()
    if invitation is None:
        raise NotFoundError("No such invitation.")
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Stop an invitation from working (tada DELETE). The row stays, `revoked`, so its history keeps its author."""
    if invitation.status != Invitation.Status.REVOKED:
        invitation.status = Invitation.Status.REVOKED
        invitation.save(update_fields=["status", "updated_at"])
    return invitation


# --- Who an invitation is for ---------------------------------------------------------------------------------------


def _managed_team_ids(user: User) -> set[int]:
    """Teams whose invitations `user` manages (accounts.permissions: `can_add_to_team`)."""
    return {m.team_id for m in Membership.objects.active().filter(user=user) if team_permissions(m).can_add_to_team}


def _addressed_by_contact(user: User) -> Q:
    """Invitations sent to a phone or email, without a known invitee, that this user verifiably owns."""
    q = Q(pk__in=[])
    if user.phone and user.is_phone_verified:
        q |= Q(invitee__isnull=True, phone=user.phone)
    if user.email and user.is_email_verified:
        q |= Q(invitee__isnull=True, email__iexact=user.email)
    return q


def invitation_is_for(invitation: Invitation, user: User) -> bool:
    return _is_addressed_to(invitation, user)


def _is_addressed_to(invitation: Invitation, user: User) -> bool:
    """May `user` accept or decline `invitation`? Its invitee, the verified owner of the phone/email it was sent
    to (when no invitee was known), or a manager of the team it invites."""
    if invitation.invitee_id is not None:
        return invitation.invitee_id == user.pk
    if invitation.invitee_team_id is not None:
        return invitation.invitee_team_id in _managed_team_ids(user)
    return Invitation.objects.filter(_addressed_by_contact(user), pk=invitation.pk).exists()


def invitations_visible_to(*, user: User, team_ids=None):
    """Personal invitations `user` sent or received, plus those of the teams they manage (within `team_ids`, the
    credential's teams, when given). Link invitations are the tada join flow's and are not listed here."""
    managed = _managed_team_ids(user)
    if team_ids is not None:
        managed &= set(team_ids)
    visible = (
        Q(inviter=user)
        | Q(invitee=user)
        | _addressed_by_contact(user)
        | Q(invitee_team_id__in=managed)
        | Q(team_id__in=managed)
    )
    return (
        Invitation.objects.filter(visible, kind=Invitation.Kind.PERSONAL)
        .select_related("inviter", "team", "invitee", "invitee_team")
        .order_by("-created_at", "-id")
    )


def invitation_get_visible(*, user: User, token: str, team_ids=None) -> Invitation:
    invitation = invitations_visible_to(user=user, team_ids=team_ids).filter(token=token).first()
    if invitation is None:
        raise NotFoundError("No such invitation.")
    return invitation


def invitations_with_relations(invitations: list[Invitation]) -> list[Invitation]:
    """Attach, in two queries whatever the count, what the tommy shape shows: `contact_row` (the inviter's — or the
    inviting team's — contact row for the invitee) and `invitee_membership` (the invitee's membership in the team)."""
    invitee_ids = {i.invitee_id for i in invitations if i.invitee_id}
    team_ids = {i.team_id for i in invitations if i.team_id}
    contacts: dict = {}
    memberships: dict = {}
    if invitee_ids:
        inviter_ids = {i.inviter_id for i in invitations}
        rows = Contact.objects.filter(friend_id__in=invitee_ids).filter(
            Q(team__isnull=True, owner_id__in=inviter_ids) | Q(team_id__in=team_ids)
        )
        for row in rows.select_related("friend"):
            contacts[(row.team_id, row.owner_id if row.team_id is None else None, row.friend_id)] = row
        if team_ids:
            for membership in Membership.objects.filter(team_id__in=team_ids, user_id__in=invitee_ids, is_active=True):
                memberships[(membership.team_id, membership.user_id)] = membership
    for invitation in invitations:
        if invitation.team_id:
            key = (invitation.team_id, None, invitation.invitee_id)
        else:
            key = (None, invitation.inviter_id, invitation.invitee_id)
        invitation.contact_row = contacts.get(key)
        invitation.invitee_membership = memberships.get((invitation.team_id, invitation.invitee_id))
    return invitations


# --- Accepting and declining ----------------------------------------------------------------------------------------


def _locked(invitation: Invitation) -> Invitation:
    return (
        # of=("self",): PostgreSQL cannot lock the nullable side of the outer joins select_related makes.
        Invitation.objects.select_for_update(of=("self",))
        .select_related("inviter", "team", "invitee", "invitee_team")
        .get(pk=invitation.pk)
    )


def _refuse_final(invitation: Invitation, action: str) -> None:
    raise ValidationFailed.for_field(
        "status", f"This invitation is already {invitation.status}; it cannot be {action} now."
    )


def _join_status(invitation: Invitation) -> str:
    status = invitation.membership_status
    return status if status in Membership.Status.values else Membership.Status.MEMBER


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Invitation:
    """Accept as `user`: join the invitation's team if it has one, else become contacts with the inviter.

    A link (tada join) may be used by anyone holding its token while it is not revoked, and stays usable; it
    adds the member with `need_confirmation`. A personal invitation moves pending → accepted once; accepting it
    again returns it unchanged, accepting a declined or revoked one is a validation error.
    """
    invitation = _locked(invitation)
    if invitation.status == Invitation.Status.REVOKED:
        raise ValidationFailed.for_field("token", "This invitation has been revoked.")
    if invitation.kind == Invitation.Kind.LINK:
        if invitation.team_id is None:  # pragma: no cover - links are always made for a team
            raise ValidationFailed.for_field("token", "This invitation link has no team.")
        membership_add(
            team=invitation.team,
            user=user,
            status=_join_status(invitation),
            invited_by=invitation.inviter,
            need_confirmation=True,
        )
        return invitation
    if not _is_addressed_to(invitation, user):
        raise PermissionDeniedError("This invitation is addressed to someone else.")
    if invitation.status == Invitation.Status.ACCEPTED:
        return invitation
    if invitation.status != Invitation.Status.PENDING:
        _refuse_final(invitation, "accepted")
    if invitation.team_id:
        membership_accept_invitation(
            team=invitation.team, user=user, status=_join_status(invitation), invited_by=invitation.inviter
        )
    elif invitation.inviter_id != user.pk:
        contact_connect(owner=invitation.inviter, friend=user, via="invitation")
    if invitation.invitee_id is None and invitation.invitee_team_id is None:
        invitation.invitee = user  # addressed by phone/email: record who it turned out to be
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["invitee", "status", "accepted_at", "updated_at"])
    return invitation


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user: User) -> Invitation:
    """Decline as `user`: pending → declined; declining again returns it unchanged; a final one is refused."""
    invitation = _locked(invitation)
    if invitation.kind == Invitation.Kind.LINK:
        raise ValidationFailed.for_field("token", "A team join link cannot be declined.")
    if not _is_addressed_to(invitation, user):
        raise PermissionDeniedError("This invitation is addressed to someone else.")
    if invitation.status == Invitation.Status.DECLINED:
        return invitation
    if invitation.status != Invitation.Status.PENDING:
        _refuse_final(invitation, "declined")
    invitation.status = Invitation.Status.DECLINED
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["status", "declined_at", "updated_at"])
    return invitation
