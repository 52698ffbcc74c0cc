from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts.models import User
from accounts.services.login_guard import login_failed, login_locked, login_succeeded, user_for_login

__all__ = ["LoginBackend", "user_for_login"]


class LoginBackend(ModelBackend):
    """Password login by email or phone number; the admin's username field takes either.

    Failures count against the account the login resolves to (accounts.services.login_guard), so another spelling
    of the same phone, or the email, is locked too."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        login = username or kwargs.get("email") or ""
        ip = request.META.get("REMOTE_ADDR") if request is not None else kwargs.get("ip")
        user = user_for_login(login)
        if login_locked(login=login, ip=ip, user=user):
            raise PermissionDenied("Too many failed logins.")  # Django stops trying backends: the login fails
        if user is None:
            User().set_password(password or "")  # same work as a real check: no timing oracle for unknown logins
        elif user.check_password(password or "") and self.user_can_authenticate(user):
            login_succeeded(login=login, user=user)
            return user
        login_failed(login=login, ip=ip, user=user)
        return None
