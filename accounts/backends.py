from django.contrib.auth.backends import ModelBackend

from accounts.models import User
from core.exceptions import ValidationFailed
from core.phones import normalize_phone


def user_for_login(login: str) -> User | None:
    """The user whose email, or else mobile number, is `login` (tommy's UserCredentials.login)."""
    login = (login or "").strip()
    if not login:
        return None
    if "@" in login:
        return User.objects.filter(email__iexact=login).first()
    try:
        return User.objects.filter(phone=normalize_phone(login)).first()
    except ValidationFailed:
        return User.objects.filter(username__iexact=login).first()


class LoginBackend(ModelBackend):
    """Password login by email or phone number; the admin's username field takes either."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = user_for_login(username or kwargs.get("email") or "")
        if user is None:
            User().set_password(password or "")  # same work as a real check: no timing oracle for unknown logins
            return None
        if user.check_password(password or "") and self.user_can_authenticate(user):
            return user
        return None
