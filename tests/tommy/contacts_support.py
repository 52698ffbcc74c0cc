"""Helpers shared by the contacts tests (API and service)."""

import pytest
from django.urls import NoReverseMatch, reverse

from accounts.models import Contact


def contact_row(owner, friend, team=None) -> Contact | None:
    return Contact.objects.filter(owner=owner, friend=friend, team=team).first()


def statuses(a, b) -> tuple[str | None, str | None]:
    """(a's personal row about b, b's personal row about a) statuses; None where there is no row."""
    mine, theirs = contact_row(a, b), contact_row(b, a)
    return (mine.status if mine else None, theirs.status if theirs else None)


@pytest.fixture
def invitation_route(monkeypatch):
    """invitation_send links to `tommy:invitation-detail`, a route of the invitations endpoints; until that route
    exists, stand in for the link so that the contacts tests run on their own."""
    try:
        reverse("tommy:invitation-detail", kwargs={"token": "x" * 27})
    except NoReverseMatch:
        monkeypatch.setattr(
            "accounts.services.invitations.invitation_link",
            lambda invitation: f"/api/v1/invitations/{invitation.token}",
        )
