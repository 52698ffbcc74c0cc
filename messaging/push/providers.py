"""The real push services: Web Push (VAPID, pywebpush) for `web` devices, FCM HTTP v1 (service-account OAuth via
google-auth) for `fcm` devices. APNs is not spoken directly: iOS apps receive through FCM (register them as `fcm`).

Every call goes to an address checked just before (the webhooks' SSRF guard: a browser-given push endpoint must
not reach private addresses) over a connection pinned to that address.
"""

import json
import logging
import time
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from messaging.push.base import BasePushBackend, PermanentPushError, PushMessage, PushResult, TransientPushError
from messaging.webhooks.addresses import AddressRefused, parse_url
from messaging.webhooks.transport import post

logger = logging.getLogger(__name__)
FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging"


def _classify(status: int, text: str, what: str) -> PushResult | None:
    if 200 <= status < 300:
        return None
    message = f"{what} answered {status}: {text[:300]}"
    if status in (408, 429) or status >= 500:
        raise TransientPushError(message)
    raise PermanentPushError(message)


class _PinnedSession:
    """What pywebpush needs of a requests session (`post`), over the address-checked, pinned transport."""

    class Response:
        def __init__(self, status: int, text: str):
            self.status_code, self.text, self.reason, self.headers = status, text, "", {}

    def post(self, url, data=None, headers=None, timeout=None, **_):
        answer = post(parse_url(url), body=data or b"", headers=dict(headers or {}), timeout=timeout or 10)
        return self.Response(answer.status, answer.body)


@lru_cache(maxsize=4)
def _vapid(private_key: str) -> Vapid:
    return Vapid.from_string(private_key=private_key)


def send_web(message: PushMessage, payload: dict) -> PushResult:
    if not settings.WEBPUSH_VAPID_PRIVATE_KEY:
        raise PermanentPushError("Web Push is not configured (WEBPUSH_VAPID_PRIVATE_KEY).")
    try:
        subscription = json.loads(message.token)
        endpoint = subscription["endpoint"]
        subscription["keys"]["p256dh"], subscription["keys"]["auth"]
    except (ValueError, KeyError, TypeError):
        raise PermanentPushError("The web device's token is not a PushSubscription JSON.") from None
    origin = urlsplit(endpoint)
    claims = {"sub": settings.WEBPUSH_VAPID_SUBJECT, "aud": f"{origin.scheme}://{origin.netloc}"}
    claims["exp"] = int(time.time()) + 12 * 3600
    try:
        webpush(
            subscription,
            data=json.dumps(payload, ensure_ascii=False),
            vapid_private_key=_vapid(settings.WEBPUSH_VAPID_PRIVATE_KEY),
            vapid_claims=claims,
            ttl=settings.PUSH_TTL_SECONDS,
            timeout=settings.PUSH_TIMEOUT_SECONDS,
            requests_session=_PinnedSession(),
        )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else 0
        _classify(status or 500, getattr(exc.response, "text", str(exc)), "The push service")
    except AddressRefused as exc:
        raise PermanentPushError(f"The push endpoint is not allowed: {exc}") from None
    except OSError as exc:
        raise TransientPushError(f"The push service did not answer: {exc}") from None
    return PushResult(provider_id=message.reference)


@lru_cache(maxsize=64)
def _fcm_credentials(info_json: str):
    from google.oauth2 import service_account

    info = json.loads(info_json)
    info["token_uri"] = settings.FCM_TOKEN_URI  # never the URL a credential names: no request goes elsewhere
    return service_account.Credentials.from_service_account_info(info, scopes=[FCM_SCOPE])


def _fcm_access_token(credential: dict) -> str:
    import google.auth.exceptions
    from google.auth.transport.requests import Request

    try:
        creds = _fcm_credentials(json.dumps(credential, sort_keys=True))
    except (ValueError, KeyError) as exc:
        raise PermanentPushError(f"The FCM credential is not a service-account JSON: {exc}") from None
    if not creds.valid:
        try:
            creds.refresh(Request())
        except google.auth.exceptions.TransportError as exc:
            raise TransientPushError(f"FCM token endpoint did not answer: {exc}") from None
        except google.auth.exceptions.RefreshError as exc:
            raise PermanentPushError(f"FCM refused the credential: {exc}") from None
    return creds.token


def fcm_body(message: PushMessage) -> dict:
    data = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in message.data.items()}
    if message.category:
        data.setdefault("category", message.category)
    return {
        "message": {
            "token": message.token,
            "notification": {"title": message.title, "body": message.body},
            "data": data,
            "apns": {"payload": {"aps": {"badge": message.badge, "category": message.category or None}}},
            "android": {"notification": {"notification_count": message.badge}},
        }
    }


def send_fcm(message: PushMessage) -> PushResult:
    credential = message.credential
    if not credential or not credential.get("project_id"):
        raise PermanentPushError("No FCM app-credential for this team (or it has no project_id).")
    token = _fcm_access_token(credential)
    url = f"{settings.FCM_API_URL.rstrip('/')}/v1/projects/{credential['project_id']}/messages:send"
    body = json.dumps(fcm_body(message)).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    try:
        answer = post(parse_url(url), body=body, headers=headers, timeout=settings.PUSH_TIMEOUT_SECONDS)
    except AddressRefused as exc:
        raise PermanentPushError(f"FCM_API_URL is not allowed: {exc}") from None
    except OSError as exc:
        raise TransientPushError(f"FCM did not answer: {exc}") from None
    _classify(answer.status, answer.body, "FCM")
    try:
        return PushResult(provider_id=str(json.loads(answer.body).get("name", ""))[:255])
    except ValueError:
        return PushResult()


class ProvidersBackend(BasePushBackend):
    def send(self, message: PushMessage) -> PushResult:
        if message.service == "web":
            return send_web(message, self.payload(message))
        if message.service == "fcm":
            return send_fcm(message)
        raise PermanentPushError(f"No push provider for {message.service!r} devices (register iOS apps as fcm).")
