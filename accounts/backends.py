from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts.models import User
from accounts.services.login_guard import login_failed, login_locked, login_succeeded
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
        login = username or kwargs.get("email") or ""
        ip = request.META.get("REMOTE_ADDR") if request is not None else kwargs.get("ip")
        if login_locked(login=login, ip=ip):
            raise PermissionDenied("Too many failed logins.")  # Django stops trying backends: the login fails
        user = user_for_login(login)
        if user is None:
            User().set_password(password or "")  # same work as a real check: no timing oracle for unknown logins
        elif user.check_password(password or "") and self.user_can_authenticate(user):
            login_succeeded(login=login)
            return user
        login_failed(login=login, ip=ip)
        return None
