"""Calls for the tommy contacts samples, merged into CALLS of test_tommy_contract.py (owned by the contacts
endpoints, kept apart so that each helper edits only its own block)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import Contact, Membership
from tests.factories import MembershipFactory, UserFactory


def _friend(ctx):
    """A teammate of the owner with every documented field filled (avatar, presence)."""
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="PNG")
    avatar = SimpleUploadedFile("f.png", buffer.getvalue(), content_type="image/png")
    friend = UserFactory(avatar=avatar, last_seen_at=timezone.now())
    MembershipFactory(team=_team(ctx), user=friend)
    return friend


def _team(ctx):
    return Membership.objects.filter(user=ctx["owner"]).first().team


def _pair(ctx, mine: str | None, theirs: str | None = None):
    """A friend and the owner's labelled row about them (so no documented array is empty)."""
    friend = _friend(ctx)
    if theirs:
        Contact.objects.create(owner=friend, friend=ctx["owner"], status=theirs)
    if mine:
        labels = {"roles": ["r"], "locations": ["l"], "tags": ["t"]}
        Contact.objects.create(owner=ctx["owner"], friend=friend, status=mine, **labels)
    return friend


def _connected(ctx):
    return _pair(ctx, Contact.Status.ACCEPTED, Contact.Status.ACCEPTED)


def _asked_by(ctx):
    return _pair(ctx, Contact.Status.REQUESTED, Contact.Status.PENDING)


def call_list_contacts(ctx):
    _connected(ctx)
    return ctx["tommy_client"].get("/api/v1/contacts")


def call_create_contact(ctx):
    friend = _pair(ctx, Contact.Status.DECLINED)
    body = {"first_name": "Alex", "mobile": friend.phone, "team_ids": [_team(ctx).pk], "via": "app"}
    return ctx["tommy_client"].post("/api/v1/contacts", body, format="json")


def call_get_contact(ctx):
    return ctx["tommy_client"].get(f"/api/v1/contacts/{_connected(ctx).pk}")


def call_put_contact(ctx):
    friend = _connected(ctx)
    body = {"friend_id": friend.pk, "favorite": True, "tags": ["string"]}
    return ctx["tommy_client"].put(f"/api/v1/contacts/{friend.pk}", body, format="json")


def call_import_contacts(ctx):
    friend = _pair(ctx, Contact.Status.INVITED)
    return ctx["tommy_client"].post(
        "/api/v1/contacts/import", [{"first_name": "A", "mobile": friend.phone}], format="json"
    )


def call_add_contact(ctx):
    return ctx["tommy_client"].post(
        f"/api/v1/contacts/{_pair(ctx, Contact.Status.INVITED).pk}/add", {"team_id": 0}, format="json"
    )


def call_invite_contact(ctx):
    return ctx["tommy_client"].post(f"/api/v1/contacts/{_pair(ctx, Contact.Status.DECLINED).pk}/invite")


def call_accept_contact(ctx):
    friend = _asked_by(ctx)
    body = {"team_ids": [_team(ctx).pk]}
    return ctx["tommy_client"].post(f"/api/v1/contacts/{friend.pk}/accept", body, format="json")


def call_decline_contact(ctx):
    return ctx["tommy_client"].post(f"/api/v1/contacts/{_asked_by(ctx).pk}/decline")


CONTACT_CALLS = {
    ("GET", "/contacts"): (call_list_contacts, 200),
    ("POST", "/contacts"): (call_create_contact, 201),
    ("GET", "/contacts/{friend_id}"): (call_get_contact, 200),
    ("PUT", "/contacts/{friend_id}"): (call_put_contact, 200),
    ("POST", "/contacts/import"): (call_import_contacts, 200),
    ("POST", "/contacts/{friend_id}/add"): (call_add_contact, 200),
    ("POST", "/contacts/{friend_id}/invite"): (call_invite_contact, 200),
    ("POST", "/contacts/{friend_id}/accept"): (call_accept_contact, 200),
    ("POST", "/contacts/{friend_id}/decline"): (call_decline_contact, 200),
}
