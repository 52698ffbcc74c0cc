"""Shift requests: requested → shortlisted → approved | rejected, canceled from requested/shortlisted (spec tommy-1
"Resource: WorkforceShiftRequest", suggested transitions).

Approving one request assigns the shift to its employee and rejects the other live requests for that shift, in one
transaction that locks the shift row (select_for_update). The database constraint
shift_request_one_approved_per_shift keeps exactly one approved request per shift even where row locks do not exist
(SQLite) or are bypassed; its IntegrityError is answered as a 409 Conflict.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership, Team, User
from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from workforce.models import Shift, ShiftRequest
from workforce.services import shifts as shift_services
from workforce.services.shift_cache import shifts_changed

S = ShiftRequest.Status
OPEN_STATES = (S.REQUESTED, S.SHORTLISTED)
# Manager transitions: from → allowed targets (a repeat of the current status is a no-op).
MANAGER_TRANSITIONS = {
    S.REQUESTED: {S.SHORTLISTED, S.APPROVED, S.REJECTED, S.CANCELED},
    S.SHORTLISTED: {S.APPROVED, S.REJECTED, S.CANCELED},
    S.APPROVED: set(),
    S.REJECTED: set(),
    S.CANCELED: set(),
}
MANAGER_CREATE_STATES = (S.REQUESTED, S.SHORTLISTED)


def _save_guarded(request: ShiftRequest, **kwargs) -> None:
    """Save in a savepoint; a unique-constraint race becomes a 409 instead of a broken transaction."""
    shifts_changed(team_id=request.team_id)
    try:
        with transaction.atomic():
            request.save(**kwargs)
    except IntegrityError as exc:
        if "one_approved" in str(exc) or request.status == S.APPROVED:
            raise ConflictError("Another request for this shift was approved at the same time.") from exc
        raise ValidationFailed.for_field("shift_id", "There is already a live request for this shift.") from exc


def _check_no_live_duplicate(*, shift: Shift, user: User) -> None:
    if ShiftRequest.objects.filter(shift=shift, user=user, status__in=ShiftRequest.LIVE).exists():
        raise ValidationFailed.for_field("shift_id", "There is already a live request for this shift.")


@transaction.atomic
def shift_request_create(*, team: Team, shift: Shift, by: User) -> ShiftRequest:
    """An employee asks for a published shift that is open to them (no assignee, or already theirs is refused)."""
    if shift.team_id != team.pk or shift.status != Shift.Status.PUBLISHED:
        raise ValidationFailed.for_field("shift_id", "This shift is not open to requests.")
    if shift.assignee_id is not None:
        message = "This shift is already yours." if shift.assignee_id == by.pk else "This shift is already assigned."
        raise ValidationFailed.for_field("shift_id", message)
    _check_no_live_duplicate(shift=shift, user=by)
    request = ShiftRequest(team=team, shift=shift, user=by, requestor=by, status=S.REQUESTED)
    _save_guarded(request)
    return request


@transaction.atomic
def shift_request_create_for(
    *, team: Team, shift: Shift, user: User, by: User, status: str = S.REQUESTED
) -> ShiftRequest:
    """A manager puts an employee forward for a shift (requested or shortlisted); requestor = the manager."""
    if status not in MANAGER_CREATE_STATES:
        raise ValidationFailed.for_field("status", "A new request is requested or shortlisted; approve it afterwards.")
    if shift.team_id != team.pk:
        raise ValidationFailed.for_field("shift_id", "No such shift in this team.")
    if not Membership.objects.active().filter(team=team, user=user).exists():
        raise ValidationFailed.for_field("user_id", "No such employee in this team.")  # as an unknown id
    if shift.assignee_id is not None and shift.assignee_id != user.pk:
        raise ValidationFailed.for_field("shift_id", "This shift is already assigned.")
    _check_no_live_duplicate(shift=shift, user=user)
    request = ShiftRequest(team=team, shift=shift, user=user, requestor=by, status=status)
    _save_guarded(request)
    return request


@transaction.atomic
def shift_request_cancel_own(*, request: ShiftRequest, by: User, status: str | None) -> ShiftRequest:
    """The employee's PUT: the only change allowed is status=canceled, on their own request, from requested or
    shortlisted."""
    if request.user_id != by.pk:
        raise PermissionDeniedError("This is not your shift request.")
    if status != S.CANCELED:
        raise PermissionDeniedError("You may only cancel your shift request (status: canceled).")
    request = ShiftRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    if request.status == S.CANCELED:
        return request
    if request.status not in OPEN_STATES:
        raise ValidationFailed.for_field("status", f"A {request.status} request can no longer be canceled.")
    request.status = S.CANCELED
    request.save(update_fields=["status", "updated_at"])
    shifts_changed(team_id=request.team_id)
    return request


@transaction.atomic
def shift_request_delete_own(*, request: ShiftRequest, by: User) -> ShiftRequest:
    """The employee deletes their own request (not an approved one: the shift is theirs then, a manager undoes it).
    Returns the deleted request with its former id."""
    if request.user_id != by.pk:
        raise PermissionDeniedError("This is not your shift request.")
    request = ShiftRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    if request.status == S.APPROVED:
        raise ValidationFailed.for_field("status", "An approved request cannot be deleted; ask a manager.")
    request_id = request.pk
    shifts_changed(team_id=request.team_id)
    request.delete()
    request.pk = request.id = request_id
    return request


@transaction.atomic
def shift_request_transition(*, request: ShiftRequest, by: User, status: str) -> ShiftRequest:
    """A manager moves a request: requested → shortlisted → approved | rejected; canceled from requested or
    shortlisted. Approval assigns the shift and rejects the other live requests, atomically."""
    if status not in MANAGER_TRANSITIONS:
        raise ValidationFailed.for_field("status", f"Unknown status {status!r}.")
    if request.shift_id is not None:
        # Lock the shift first: concurrent decisions on one shift run one after the other (PostgreSQL).
        Shift.objects.select_for_update(of=("self",)).filter(pk=request.shift_id).first()
    request = ShiftRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    if request.status == status:
        return request
    if status == S.APPROVED and _other_approved(request):
        raise ConflictError("Another request for this shift is already approved.")
    if status not in MANAGER_TRANSITIONS[request.status]:
        raise ValidationFailed.for_field("status", f"A {request.status} request cannot become {status}.")
    if status == S.APPROVED:
        return _approve(request=request, by=by)
    request.status = status
    if status in (S.REJECTED, S.APPROVED):
        request.decided_by, request.decided_at = by, timezone.now()
    request.save()
    shifts_changed(team_id=request.team_id)
    return request


def _other_approved(request: ShiftRequest) -> bool:
    return (
        request.shift_id is not None
        and ShiftRequest.objects.filter(shift_id=request.shift_id, status=S.APPROVED).exclude(pk=request.pk).exists()
    )


def _approve(*, request: ShiftRequest, by: User) -> ShiftRequest:
    if request.shift_id is None:
        raise ValidationFailed.for_field("shift_id", "The shift of this request was deleted.")
    shift = Shift.objects.select_related("team").get(pk=request.shift_id)
    if shift.assignee_id is not None and shift.assignee_id != request.user_id:
        raise ConflictError("The shift is already assigned to another employee.")
    now = timezone.now()
    request.status, request.decided_by, request.decided_at = S.APPROVED, by, now
    _save_guarded(request)
    ShiftRequest.objects.filter(shift=shift, status__in=OPEN_STATES).exclude(pk=request.pk).update(
        status=S.REJECTED, decided_by=by, decided_at=now, updated_at=now
    )
    if shift.assignee_id != request.user_id:
        # The employee asked for it (or was put forward): their request stands for their availability.
        shift_services.shift_assign(shift=shift, assignee=request.user, by=by, force=True)
    return request


def shift_requests_decide(*, requests, by: User, status: str) -> list[tuple[ShiftRequest, Exception | None]]:
    """Apply one manager decision to several requests, each in its own transaction (the admin's actions): returns
    (request, error or None) per row so that a refused row is reported, not hidden."""
    results = []
    for request in requests:
        try:
            results.append((shift_request_transition(request=request, by=by, status=status), None))
        except (ValidationFailed, ConflictError, PermissionDeniedError) as exc:
            results.append((request, exc))
    return results
