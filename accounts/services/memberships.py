"""Changing who is in a team and at what level, always through accounts.permissions.

Every write here ends with console_access_sync: staff status and the "Team manager" group follow the membership.
"""

from django.db import transaction

from accounts.models import Membership, Team, User
from accounts.permissions import ASSIGNABLE, LEVEL, can_manage
from accounts.services.console_access import console_access_sync
from core.exceptions import PermissionDeniedError, ValidationFailed

Status = Membership.Status


def membership_of(*, team: Team, user: User) -> Membership:
    # An invited member who has not accepted is not a member yet (issue 8): no rights in the team.
    membership = Membership.objects.filter(team=team, user=user, is_active=True, invitation_pending=False).first()
    if membership is None:
        raise PermissionDeniedError("You are not a member of this team.")
    return membership


def _other_owners(membership: Membership) -> bool:
    return (
        Membership.objects.select_for_update(of=("self",))
        .filter(team_id=membership.team_id, status=Status.OWNER, is_active=True, invitation_pending=False)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_change(
    *, membership: Membership, by: Membership | None, status: str | None = None, **fields
) -> Membership:
    """Change `membership`'s access level and/or other fields (`role`, `sections`, `roles`, …) as `by`.

    `by=None` is the system (admin superuser, management commands): no permission check, the last-owner rule
    still holds.
    """
    if status is not None and status != membership.status:
        if status not in LEVEL:
            raise ValidationFailed.for_field("status", f"Unknown status {status!r}.")
        if by is not None:
            if by.pk == membership.pk and LEVEL[status] > LEVEL[membership.status]:
                raise PermissionDeniedError("You cannot raise your own access level.")
            if by.pk != membership.pk and not can_manage(by, membership):
                raise PermissionDeniedError("You cannot change this member's access level.")
            if status not in ASSIGNABLE[by.status]:
                raise PermissionDeniedError(f"You cannot make anyone {status}.")
        if membership.status == Status.OWNER and not _other_owners(membership):
            raise ValidationFailed.for_field("status", "The last owner of a team cannot be demoted.")
        membership.status = status
    elif by is not None and fields and by.pk != membership.pk and not can_manage(by, membership):
        raise PermissionDeniedError("You cannot change this member.")
    for name, value in fields.items():
        setattr(membership, name, value)
    membership.save()
    console_access_sync(user_ids=[membership.user_id])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: Membership | None) -> None:
    """Take a member out of the team (the row stays, inactive, so history keeps its author)."""
    if by is not None and by.pk != membership.pk and not can_manage(by, membership):
        raise PermissionDeniedError("You cannot remove this member.")
    if membership.status == Status.OWNER and not _other_owners(membership):
        raise ValidationFailed.for_field("status", "The last owner of a team cannot be removed.")
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    console_access_sync(user_ids=[membership.user_id])


@transaction.atomic
def membership_add(
    *, team: Team, user: User, status: str = Status.MEMBER, invited_by: User | None = None, **fields
) -> Membership:
    """Add `user` to `team` (or reactivate them); an existing active membership is returned unchanged."""
    membership, created = Membership.objects.get_or_create(
        team=team, user=user, defaults={"status": status, "invited_by": invited_by, **fields}
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.status = status
        for name, value in fields.items():
            setattr(membership, name, value)
        membership.save()
    console_access_sync(user_ids=[membership.user_id])
    return membership


@transaction.atomic
def membership_accept_invitation(
    *, team: Team, user: User, status: str | None = None, invited_by: User | None = None
) -> Membership:
    """The invitee accepted: the pending membership (or a new one) now grants access."""
    membership = membership_add(team=team, user=user, status=status or Status.MEMBER, invited_by=invited_by)
    membership.invitation_pending = False
    membership.need_confirmation = False
    if status:
        membership.status = status
    membership.save(update_fields=["invitation_pending", "need_confirmation", "status", "updated_at"])
    console_access_sync(user_ids=[membership.user_id])
    return membership
