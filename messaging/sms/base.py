from dataclasses import dataclass


@dataclass(frozen=True)
class SmsMessage:
    to: str
    from_number: str
    body: str
    reference: str  # our Text uid: the idempotency key where a provider takes one
    status_callback: str = ""


@dataclass(frozen=True)
class SendResult:
    provider_id: str
    status: str = "sent"  # the provider's status right after accepting (Twilio answers "queued")
    from_number: str = ""


class SmsError(Exception):
    pass


class TransientSmsError(SmsError):
    """Worth retrying: timeouts, 5xx, rate limits."""


class PermanentSmsError(SmsError):
    """Retrying cannot help: invalid number, unknown sender, rejected content."""


class BaseSmsBackend:
    def send(self, message: SmsMessage) -> SendResult:  # pragma: no cover - interface
        raise NotImplementedError

    def verify_callback(self, *, url: str, params: dict, signature: str) -> bool:
        """Development and test backends have no provider to sign callbacks, so they accept them."""
        return True
