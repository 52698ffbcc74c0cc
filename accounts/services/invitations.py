"""Invitations: a team's reusable join link (tada) and personal invitations sent by SMS or email (tommy).

`invitation_send` is the one way an invitation reaches a person: the SMS goes through the messaging Text path
(core.sms → Celery, `sms` queue), the email through Django's mail backend, both only after the commit.
"""

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Team, User
from core import sms
from core.exceptions import ValidationFailed


def invitation_link(invitation: Invitation) -> str:
    """Where the invitee opens it: the tommy invitation URL (absolute when PUBLIC_BASE_URL is set)."""
    path = reverse("tommy:invitation-detail", kwargs={"token": invitation.token})
    return settings.PUBLIC_BASE_URL.rstrip("/") + path if settings.PUBLIC_BASE_URL else path


def _invitation_text(invitation: Invitation) -> str:
    who = invitation.inviter.full_name or "A colleague"
    where = f" to join {invitation.team.name}" if invitation.team_id else ""
    note = f' "{invitation.message}"' if invitation.message else ""
    return f"{who} invited you{where} on Crewdesk.{note} {invitation_link(invitation)}"


@transaction.atomic
def invitation_deliver(*, invitation: Invitation) -> Invitation:
    """(Re)send a personal invitation by SMS when it has a phone, else by email; counts the sending."""
    phone = invitation.phone or (invitation.invitee.phone if invitation.invitee_id else "")
    email = invitation.email or (invitation.invitee.email if invitation.invitee_id else "")
    if not phone and not email:
        raise ValidationFailed(
            "An invitation needs a mobile number or an email address.", details={"mobile": ["or email is required"]}
        )
    body = _invitation_text(invitation)
    if phone:
        sms.send_text(to=phone, body=body, purpose="invitation", team_id=invitation.team_id)
    else:
        transaction.on_commit(partial(send_mail, "You are invited to Crewdesk", body, None, [email]))
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
) -> Invitation:
    """Create a personal invitation (to connect with `inviter`, or to join `team`) and send it.

    `phone` must already be normalised (core.phones). An invitee without phone or email is a validation error.
    """
    invitation = Invitation.objects.create(
        kind=Invitation.Kind.PERSONAL,
        inviter=inviter,
        team=team,
        invitee=invitee,
        phone=phone,
        email=email,
        message=message,
        membership_status=membership_status,
    )
    return invitation_deliver(invitation=invitation)
