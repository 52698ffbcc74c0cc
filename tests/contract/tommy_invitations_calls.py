"""Calls for the tommy invitations samples, merged into CALLS of test_tommy_contract.py (kept apart so that each
helper edits only its own block).

A call may return `(response, unset)`: `unset` names the documented fields that the documented behaviour leaves
null for that call (a just-created or declined invitation has no `accepted_at`, and its invitee is not in the team
yet, so the invitee's User account has no `team_id`). Every other field must match the sample's type.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import Contact, Membership
from accounts.services.invitations import invitation_send
from tests.factories import UserFactory
from tests.tommy.conftest import basic_client

NOT_YET = ("$.accepted_at", "$.invitee.team_id")


def _png(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _setup(ctx):
    """The owner's team (with picture and phone), a person it knows as a contact, and an invitation to join."""
    owner = ctx["owner"]
    team = Membership.objects.filter(user=owner).first().team
    team.phone = "+15550001111"
    team.icon_sm = _png("team.png")
    team.save()
    friend = UserFactory(avatar=_png("f.png"), last_seen_at=timezone.now())
    labels = {"roles": ["r"], "locations": ["l"], "tags": ["t"]}
    Contact.objects.create(team=team, owner=owner, friend=friend, status=Contact.Status.ACCEPTED, **labels)
    return team, friend


def _invitation(ctx):
    team, friend = _setup(ctx)
    with ctx["captured"](execute=True):
        invitation = invitation_send(inviter=ctx["owner"], team=team, invitee=friend, message="Join us")
    return invitation, friend


def _accepted(ctx):
    invitation, friend = _invitation(ctx)
    response = basic_client(friend).get(f"/api/v1/invitations/{invitation.token}/accept")
    return invitation, friend, response


def call_list(ctx):
    _accepted(ctx)
    return ctx["tommy_client"].get("/api/v1/invitations")


def call_create(ctx):
    _team, friend = _setup(ctx)
    with ctx["captured"](execute=True):
        response = ctx["tommy_client"].post(
            "/api/v1/invitations", {"invitee_id": friend.pk, "invitee_type": "User", "message": "Hi"}, format="json"
        )
    return response, NOT_YET


def call_get(ctx):
    invitation, _friend, _response = _accepted(ctx)
    return ctx["tommy_client"].get(f"/api/v1/invitations/{invitation.token}")


def call_accept(ctx):
    return _accepted(ctx)[2]


def call_decline(ctx):
    invitation, friend = _invitation(ctx)
    return basic_client(friend).get(f"/api/v1/invitations/{invitation.token}/decline"), NOT_YET


INVITATION_CALLS = {
    ("GET", "/invitations"): (call_list, 200),
    ("POST", "/invitations"): (call_create, 201),
    ("GET", "/invitations/{token}"): (call_get, 200),
    ("GET", "/invitations/{token}/accept"): (call_accept, 200),
    ("GET", "/invitations/{token}/decline"): (call_decline, 200),
}
