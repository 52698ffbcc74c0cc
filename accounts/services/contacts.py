"""Tommy contacts: one row per side (accounts.models.Contact), kept in step by these services."""

from django.db import transaction

from accounts.models import Contact, Team, User


def _side(*, owner: User, friend: User, team: Team | None) -> Contact:
    lookup = {"team": team, "friend": friend} if team else {"owner": owner, "friend": friend, "team": None}
    contact = Contact.objects.select_for_update().filter(**lookup).first()
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
