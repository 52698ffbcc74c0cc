"""Use cases behind the tommy family's user, verification and device endpoints (thin wrappers over users.py).

Nothing here knows about HTTP; the views in accounts/api/tommy/ validate input and call these functions.
"""

from django.db import transaction
from django.db.models import Q, QuerySet

from accounts.models import Device, Membership, OneTimeCode, User
from accounts.services.codes import code_send
from accounts.services.users import device_delete, device_upsert, phone_verify, user_create, user_update
from core.exceptions import NotFoundError, ValidationFailed

BAD_PIN = "The code is wrong or has expired; ask for a new one."


def _set_slug(user: User, slug: str | None) -> None:
    if not slug or slug == user.slug:
        return
    if User.objects.exclude(pk=user.pk).filter(slug__iexact=slug).exists():
        raise ValidationFailed("An account with these details already exists.", details={"slug": ["is already taken"]})
    user.slug = slug


@transaction.atomic
def user_register(*, password: str | None = None, avatar=None, slug: str | None = None, **profile) -> User:
    """Sign-up: a pending user who can log in with `password` once created. Needs an email or a mobile number."""
    if not profile.get("email") and not profile.get("phone"):
        raise ValidationFailed(
            "An email address or a mobile number is required.",
            details={"email": ["email or mobile is required"], "mobile": ["email or mobile is required"]},
        )
    user = user_create(password=password, **profile)
    if slug or avatar is not None:
        _set_slug(user, slug)
        if avatar is not None:
            user.avatar = avatar
        user.save()
    return user


@transaction.atomic
def user_profile_update(*, user: User, slug: str | None = None, **changes) -> User:
    """Partial update of the caller's profile: only the given fields change (password and avatar included)."""
    _set_slug(user, slug)
    return user_update(user=user, **changes)


def users_visible_to(*, user: User, team_ids) -> QuerySet[User]:
    """The caller and the active members of the caller's teams; anyone else does not exist for them."""
    member_ids = Membership.objects.active().filter(team_id__in=list(team_ids)).values("user_id")
    return User.objects.filter(Q(pk=user.pk) | Q(pk__in=member_ids))


def user_get_visible(*, user: User, team_ids, id_or_slug: str) -> User:
    visible = users_visible_to(user=user, team_ids=team_ids)
    found = None
    if id_or_slug.isdigit():
        found = visible.filter(pk=int(id_or_slug)).first()
    if found is None:
        found = visible.filter(slug=id_or_slug).first()
    if found is None:
        raise NotFoundError("User not found.")
    return found


def verification_sms_send(*, user_id: int, ip: str | None = None) -> None:
    """Text a verification code to the user's mobile number.

    Unknown ids, users without a mobile number and already verified numbers are a silent no-op, so the answer
    does not tell an anonymous caller which ids exist. Send budgets (cooldown, hourly limits) raise RateLimited.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.phone or user.is_phone_verified:
        return
    code_send(phone=user.phone, purpose=OneTimeCode.Purpose.VERIFY, ip=ip, user=user)


def user_verify(*, code: str, user_id: int | None = None, email: str | None = None, phone: str | None = None) -> User:
    """Check the verification code sent by SMS; marks the phone verified and a pending account active.

    An unknown account fails exactly like a wrong code (no enumeration).
    """
    if user_id is None and not email and not phone:
        raise ValidationFailed(
            "Give user_id, email or mobile to say whose code this is.",
            details={"user_id": ["one of user_id, email or mobile is required"]},
        )
    users = User.objects.filter(is_active=True)
    if user_id is not None:
        users = users.filter(pk=user_id)
    if email:
        users = users.filter(email__iexact=email)
    if phone:
        users = users.filter(phone=phone)
    user = users.first()
    if user is None or not user.phone:
        raise ValidationFailed.for_field("pin", BAD_PIN)
    try:
        return phone_verify(user=user, code=code)
    except ValidationFailed as exc:
        raise ValidationFailed.for_field("pin", exc.message) from None


@transaction.atomic
def device_register(*, user: User, device_id: str, **fields) -> tuple[Device, bool]:
    """Upsert the user's device by its client-chosen id; returns (device, created)."""
    created = not Device.objects.filter(user=user, device_id=device_id).exists()
    return device_upsert(user=user, device_id=device_id, **fields), created


def device_get_own(*, user: User, pk: int) -> Device:
    device = Device.objects.filter(user=user, pk=pk).first()
    if device is None:
        raise NotFoundError("Device not found.")
    return device


def device_remove(*, user: User, pk: int) -> None:
    """Delete one of the caller's devices and revoke the tokens issued to it. Another user's device is a 404."""
    device_delete(device=device_get_own(user=user, pk=pk))
