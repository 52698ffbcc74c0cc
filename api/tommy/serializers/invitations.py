"""Tommy invitation shapes (spec/tommy-3 "Resource: Invitation"): `InvitationInput` and the `Invitation` output.

Beyond the documented input, `mobile` and `email` address someone who is not on Crewdesk yet (docs/decisions).
"""

from django.contrib.auth.base_user import BaseUserManager
from rest_framework import serializers

from accounts.models import Contact, Invitation, Team, User
from accounts.selectors import member_account, team_account, teams_with_owner, user_account
from accounts.services.invitations import invitation_link, invitations_with_relations
from accounts.visibility import Level
from api import people
from api.tommy.serializers.accounts import AccountSerializer
from api.tommy.serializers.contacts import ContactSerializer
from core.phones import normalize_phone

INVITEE_TYPES = ("User", "Team")


class InvitationInputSerializer(serializers.Serializer):
    """`friend_id` (a user), or `invitee_id` + `invitee_type` (User, the default, or Team), or `mobile`/`email`
    for a non-member; `message` is the personal note. 0 and null mean "not given" (the documented sample is 0)."""

    friend_id = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    invitee_id = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    invitee_type = serializers.ChoiceField(choices=INVITEE_TYPES, required=False, allow_blank=True, allow_null=True)
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    mobile = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=40)
    email = serializers.EmailField(required=False, allow_blank=True, allow_null=True)

    def validate_mobile(self, value):
        return normalize_phone(value, field="mobile") if value else ""

    def validate_email(self, value):
        return BaseUserManager.normalize_email(value) if value else ""

    def validate(self, attrs):
        friend_id = attrs.get("friend_id") or None
        invitee_id = attrs.get("invitee_id") or None
        invitee_type = attrs.get("invitee_type") or "User"
        if friend_id and invitee_type == "Team" and invitee_id:
            raise serializers.ValidationError({"friend_id": ["cannot be given with a Team invitee"]})
        if friend_id and invitee_id and friend_id != invitee_id:
            raise serializers.ValidationError({"friend_id": ["must be the same user as invitee_id"]})
        if invitee_type == "Team" and not invitee_id:
            raise serializers.ValidationError({"invitee_id": ["is required when invitee_type is Team"]})
        return {
            "invitee_id": invitee_id or friend_id,
            "invitee_type": invitee_type,
            "message": attrs.get("message", ""),
            "phone": attrs.get("mobile") or "",
            "email": attrs.get("email") or "",
        }


def _contact_for(invitation: Invitation) -> Contact:
    """The inviter's (or inviting team's) contact row for the invitee; for an invitation without one, an unsaved
    row describing whom it was sent to (id null), so `contact` always has the documented shape."""
    if invitation.contact_row is not None:
        return invitation.contact_row
    friend = invitation.invitee or User(phone=invitation.phone or None, email=invitation.email or None)
    status = Contact.Status.ACCEPTED if invitation.status == Invitation.Status.ACCEPTED else Contact.Status.INVITED
    return Contact(
        owner=invitation.inviter,
        team=invitation.team,
        friend=friend,
        status=status,
        sent_first_name=invitation.first_name,
        sent_last_name=invitation.last_name,
        sent_phone=invitation.phone,
        sent_email=invitation.email,
    )


def _invitee_account(invitation: Invitation, teams: dict):
    if invitation.invitee_team_id:
        return team_account(teams[invitation.invitee_team_id])
    if invitation.invitee_id is None:
        return None
    membership = invitation.invitee_membership
    if membership is not None:
        membership.user, membership.team = invitation.invitee, invitation.team
        return member_account(membership)
    return user_account(invitation.invitee)


def invitations_data(invitations: list[Invitation], *, request) -> list[dict]:
    """The documented `Invitation` for each, in a constant number of queries (contacts, memberships, teams)."""
    invitations_with_relations(invitations)
    team_ids = {i.team_id for i in invitations if i.team_id} | {i.invitee_team_id for i in invitations}
    team_ids.discard(None)
    teams = {t.pk: t for t in teams_with_owner(Team.objects.filter(pk__in=team_ids))} if team_ids else {}
    context = {"request": request}
    lens = people.lens(context)
    lens.prime({i.inviter_id for i in invitations} | {i.invitee_id for i in invitations if i.invitee_id})
    out = []
    for invitation in invitations:
        inviter = team_account(teams[invitation.team_id]) if invitation.team_id else user_account(invitation.inviter)
        if invitation.invitee_id and lens.level(invitation.invitee_id) == Level.NONE:
            # Sent to a phone or email that turned out to be a stranger's: answer as for someone not on Crewdesk.
            invitee_id, invitee = None, None
        else:
            invitee_id, invitee = invitation.invitee_id, _invitee_account(invitation, teams)
        link = invitation_link(invitation)
        out.append(
            {
                "friend_id": invitee_id,
                "invitee_id": invitee_id or invitation.invitee_team_id,
                "invitee_type": "Team" if invitation.invitee_team_id else ("User" if invitee_id else None),
                "message": invitation.message,
                "user_id": invitation.inviter_id,
                "team_id": invitation.team_id,
                "inviter": AccountSerializer(inviter, context=context).data,
                "invitee": AccountSerializer(invitee, context=context).data if invitee else None,
                "contact": _contact_data(invitation, hide_invitee=invitee_id is None, context=context),
                "token": invitation.token,
                "status": invitation.status,
                "link": request.build_absolute_uri(link) if link.startswith("/") else link,
                "times_sent": invitation.times_sent,
                "sent_at": _datetime(invitation.sent_at),
                "accepted_at": _datetime(invitation.accepted_at),
            }
        )
    return out


def _contact_data(invitation: Invitation, *, hide_invitee: bool, context: dict) -> dict:
    contact = _contact_for(invitation)
    if hide_invitee and contact.friend.pk is not None:
        # A contact row the inviter holds about a stranger: the row as the inviter knows it, not the person.
        contact.friend = User(phone=contact.sent_phone or None, email=contact.sent_email or None)
        if not contact.sent_phone and not contact.sent_email:
            contact.sent_phone, contact.sent_email = invitation.phone, invitation.email
    return ContactSerializer(contact, context=context).data


def _datetime(value):
    return serializers.DateTimeField().to_representation(value) if value else None


class InvitationSerializer(serializers.Serializer):
    """OpenAPI description of `invitations_data` (the views build the dicts in a constant number of queries)."""

    friend_id = serializers.IntegerField(allow_null=True)
    invitee_id = serializers.IntegerField(allow_null=True)
    invitee_type = serializers.ChoiceField(choices=INVITEE_TYPES, allow_null=True)
    message = serializers.CharField()
    user_id = serializers.IntegerField()
    team_id = serializers.IntegerField(allow_null=True)
    inviter = AccountSerializer()
    invitee = AccountSerializer(allow_null=True)
    contact = ContactSerializer()
    token = serializers.CharField()
    status = serializers.CharField(help_text="pending, accepted, declined or revoked")
    link = serializers.URLField()
    times_sent = serializers.IntegerField()
    sent_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
