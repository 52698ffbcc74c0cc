"""The push port: one message to one device token."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PushMessage:
    service: str  # apn | fcm | web (the device's push service)
    token: str  # the device token; for web, the browser's PushSubscription JSON
    title: str
    body: str
    category: str = ""
    data: dict = field(default_factory=dict)
    badge: int = 0
    reference: str = ""  # our device-log uid
    topic: str = ""
    sandbox: bool = False
    credential: dict | None = None  # the team's app-credential payload for this service (FCM), decrypted


@dataclass(frozen=True)
class PushResult:
    provider_id: str = ""


class PushError(Exception):
    pass


class TransientPushError(PushError):
    """Worth retrying later: timeouts, 5xx, rate limits."""


class PermanentPushError(PushError):
    """Retrying cannot help: the token is gone, the credential is missing or refused, the payload is invalid."""


class BasePushBackend:
    def send(self, message: PushMessage) -> PushResult:  # pragma: no cover - interface
        raise NotImplementedError

    def payload(self, message: PushMessage) -> dict:
        return {
            "title": message.title,
            "body": message.body,
            "category": message.category,
            "data": message.data,
            "badge": message.badge,
        }
