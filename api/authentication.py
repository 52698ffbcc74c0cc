"""DRF authentication classes the API families pick from (settings.CREWDESK_AUTHENTICATION).

Every credential object exposes `team_ids` (the teams the caller may see) and `user`, so family base views scope
querysets without knowing which kind of credential came in (core/api/base.py CallerScopeMixin).
"""

from dataclasses import dataclass

from django.utils.functional import cached_property
from rest_framework import authentication, exceptions

from accounts.models import ApiKey, Membership, User
from accounts.services import credential_cache
from accounts.services.credentials import credential_touch
from accounts.services.login_guard import login_guard
from core.api.requests import client_ip


@dataclass
class UserCredential:
    """A caller authenticated as a user (password or session cookie), in all the user's teams."""

    user: User

    @cached_property
    def team_ids(self) -> frozenset[int]:
        return frozenset(Membership.objects.active().filter(user=self.user).values_list("team_id", flat=True))


class _SecretAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def read_secret(self, request) -> str | None:  # pragma: no cover - overridden
        raise NotImplementedError

    def authenticate(self, request):
        secret = self.read_secret(request)
        if secret is None:
            return None
        credential = credential_cache.credential_lookup(secret.strip())
        if credential is None or not credential.acts:
            # Also an API key whose maker no longer manages its team: the same answer in every family.
            raise exceptions.AuthenticationFailed("Invalid or revoked credentials.")
        user = credential.user
        if not user.is_active or user.status == User.Status.SUSPENDED:
            raise exceptions.AuthenticationFailed("This account is suspended.")
        if (
            isinstance(credential, ApiKey)
            and credential.allowed_ips
            and (client_ip(request) or "") not in credential.allowed_ips
        ):
            raise exceptions.PermissionDenied("This API key may not be used from this address.")
        credential_touch(credential)
        credential_cache.note_touch(credential)
        return user, credential

    def authenticate_header(self, request):
        return f'{self.keyword} realm="crewdesk"'


class BearerAuthentication(_SecretAuthentication):
    """`Authorization: Bearer <api key or token>` (inbox, courier, tada)."""

    def read_secret(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        if not value.strip():
            raise exceptions.AuthenticationFailed("Empty bearer token.")
        return value


class ApiKeyHeaderAuthentication(_SecretAuthentication):
    """Tommy's `api_key` header. WSGI servers drop header names with underscores, so `Api-Key` is read too."""

    keyword = "api_key"

    def read_secret(self, request):
        return request.META.get("HTTP_API_KEY") or None


class TokenHeaderAuthentication(_SecretAuthentication):
    """The `token` header (tada; tommy accepts it too)."""

    keyword = "token"

    def read_secret(self, request):
        return request.META.get("HTTP_TOKEN") or None


class BasicLoginAuthentication(authentication.BasicAuthentication):
    """HTTP Basic with an email or phone number as the user name (tommy)."""

    rate_limited = True  # failed logins lock the login and the address for a while: 429 (core.api.openapi)

    def authenticate_credentials(self, userid, password, request=None):
        login_guard(login=userid, ip=client_ip(request) if request is not None else None)
        user, _ = super().authenticate_credentials(userid, password, request)
        return user, UserCredential(user)


class SessionCookieAuthentication(authentication.SessionAuthentication):
    """The login cookie (tommy POST /sessions, tada sms-cookieauth). Unsafe methods need the CSRF token."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        return result[0], UserCredential(result[0])


class CredentialMixin:
    """For every family's context: the API key behind the request, if that is what authenticated it."""

    def api_key(self) -> ApiKey | None:
        auth = getattr(self.request, "auth", None)
        return auth if isinstance(auth, ApiKey) else None
