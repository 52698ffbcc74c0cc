"""The SMS provider port: send, find a text already handed over, numbers, lookups and inbound webhooks."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field


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


@dataclass(frozen=True)
class ProvisionedNumber:
    """A number bought from the provider, with what it told about it."""

    phone_number: str
    provider_id: str
    capabilities: dict = field(default_factory=lambda: {"sms": True, "mms": False, "voice": False})
    lata: str = ""
    latitude: str = ""
    longitude: str = ""
    postal_code: str = ""
    rate_center: str = ""
    region: str = ""


@dataclass(frozen=True)
class NumberLookup:
    """What the carrier lookup says about a number (all strings, '' when unknown)."""

    carrier_name: str = ""
    type: str = ""
    mobile_country_code: str = ""
    mobile_network_code: str = ""


@dataclass(frozen=True)
class InboundSms:
    """An inbound message webhook, read from the provider's fields (Twilio: MessageSid, From, To, Body)."""

    sid: str
    sender: str
    to: str
    body: str


class SmsError(Exception):
    pass


class TransientSmsError(SmsError):
    """Worth retrying: timeouts, 5xx, rate limits."""


class PermanentSmsError(SmsError):
    """Retrying cannot help: invalid number, unknown sender, rejected content."""


class DeliveryUnknown(SmsError):
    """The backend cannot tell whether it already has a text (no record to look in, or the lookup failed)."""


class InvalidInbound(SmsError):
    """An inbound webhook without the fields a message needs."""


INBOUND_FIELDS = {"sid": "MessageSid", "sender": "From", "to": "To", "body": "Body"}
INBOUND_MAX_BODY = 1600


def parse_twilio_inbound(params: dict) -> InboundSms:
    """Twilio's inbound message fields; every backend takes this format so one client works against all."""
    values = {name: str(params.get(key) or "").strip() for name, key in INBOUND_FIELDS.items()}
    values["body"] = str(params.get("Body") or "")  # the body keeps its spaces
    missing = [INBOUND_FIELDS[name] for name in ("sid", "sender", "to") if not values[name]]
    if missing:
        raise InvalidInbound(f"Missing {', '.join(missing)}.")
    if len(values["sid"]) > 64:
        raise InvalidInbound("MessageSid is longer than 64 characters.")
    if len(values["body"]) > INBOUND_MAX_BODY:
        raise InvalidInbound(f"Body is longer than {INBOUND_MAX_BODY} characters.")
    return InboundSms(**values)


class BaseSmsBackend:
    def send(self, message: SmsMessage) -> SendResult:  # pragma: no cover - interface
        raise NotImplementedError

    def send_many(self, messages: Sequence[SmsMessage]) -> list[SendResult | TransientSmsError | PermanentSmsError]:
        """Each message's outcome, in order: its result, or the transient or permanent error it met (any other
        exception propagates, as from `send`). A backend that can hand a batch over at once overrides this."""
        outcomes: list[SendResult | TransientSmsError | PermanentSmsError] = []
        for message in messages:
            try:
                outcomes.append(self.send(message))
            except (TransientSmsError, PermanentSmsError) as exc:
                outcomes.append(exc)
        return outcomes

    def find_sent(self, *, message: SmsMessage, called_at: datetime.datetime) -> SendResult | None:
        """The text with `message.reference` if this backend already has it, None if it certainly does not.

        Asked for a text found stuck in `sending` after its provider call was recorded (`called_at`): its worker
        died between the call and the status write. Raises DeliveryUnknown when the backend cannot tell.
        """
        raise DeliveryUnknown("This SMS backend keeps no record of the texts it sent.")

    def verify_callback(self, *, url: str, params: dict, signature: str) -> bool:
        """Development and test backends have no provider to sign callbacks, so they accept them."""
        return True

    # --- numbers, lookups, inbound -----------------------------------------------------------------------------

    def provision_number(self, *, area_code: str = "", inbound_url: str = "") -> ProvisionedNumber:
        raise PermanentSmsError("This SMS backend cannot provision numbers.")  # pragma: no cover - interface

    def release_number(self, *, provider_id: str, phone_number: str) -> None:
        """Give the number back to the provider."""

    def lookup(self, *, number: str) -> NumberLookup:
        raise PermanentSmsError("This SMS backend cannot look numbers up.")  # pragma: no cover - interface

    def verify_inbound(self, *, url: str, params: dict, signature: str) -> bool:
        """Development and test backends take inbound webhooks without a signature."""
        return True

    def parse_inbound(self, params: dict) -> InboundSms:
        return parse_twilio_inbound(params)
