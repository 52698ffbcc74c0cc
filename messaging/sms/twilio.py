"""Twilio through its official package. Credentials come from TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN."""

import datetime
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from messaging.sms.base import (
    BaseSmsBackend,
    DeliveryUnknown,
    NumberLookup,
    PermanentSmsError,
    ProvisionedNumber,
    SendResult,
    SmsMessage,
    TransientSmsError,
)

# How far before the recorded provider call a message found in Twilio's log may have been created (clock skew).
CLOCK_SKEW = datetime.timedelta(minutes=2)


@contextmanager
def _provider_errors(what: str):
    """Twilio's errors as the port's: 429 and 5xx are worth retrying, other HTTP errors are not."""
    from twilio.base.exceptions import TwilioException, TwilioRestException

    try:
        yield
    except TwilioRestException as exc:
        if exc.status == 429 or exc.status >= 500:
            raise TransientSmsError(f"Twilio {exc.status}: {exc.msg}") from exc
        raise PermanentSmsError(f"Twilio {exc.status} ({exc.code}): {exc.msg}") from exc
    except (TwilioException, OSError) as exc:  # connection errors, timeouts
        raise TransientSmsError(f"{what}: {exc}") from exc


class TwilioBackend(BaseSmsBackend):
    def __init__(self):
        if not settings.TWILIO_ACCOUNT_SID or not settings.TWILIO_AUTH_TOKEN:
            raise ImproperlyConfigured("SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.")
        self.account_sid = settings.TWILIO_ACCOUNT_SID
        self.auth_token = settings.TWILIO_AUTH_TOKEN

    def client(self):
        from twilio.rest import Client

        return Client(self.account_sid, self.auth_token)

    def send(self, message: SmsMessage) -> SendResult:
        kwargs = {"to": message.to, "from_": message.from_number, "body": message.body}
        if message.status_callback:
            kwargs["status_callback"] = message.status_callback
        with _provider_errors("send"):
            sent = self.client().messages.create(**kwargs)
        return SendResult(provider_id=sent.sid, status=sent.status or "queued", from_number=sent.from_ or "")

    def find_sent(self, *, message: SmsMessage, called_at: datetime.datetime) -> SendResult | None:
        """Twilio's Messages.create takes no idempotency key, so the recorded call is looked up in the message log:
        same recipient, sender and body, created no earlier than the call (less clock skew). The log is filtered by
        date sent, so a message Twilio still holds unsent is not listed; by the time the sweeper asks (minutes after
        the call) it has been sent or has failed."""
        from twilio.base.exceptions import TwilioException

        since = called_at - CLOCK_SKEW
        try:
            found = self.client().messages.list(
                to=message.to, from_=message.from_number, date_sent_after=since, limit=50
            )
        except (TwilioException, OSError) as exc:
            raise DeliveryUnknown(f"Twilio message log unavailable: {exc}") from exc
        for sent in found:
            created = getattr(sent, "date_created", None)
            if sent.body == message.body and (created is None or created >= since):
                return SendResult(provider_id=sent.sid, status=sent.status or "sent", from_number=sent.from_ or "")
        return None

    def verify_callback(self, *, url: str, params: dict, signature: str) -> bool:
        from twilio.request_validator import RequestValidator

        return bool(signature) and RequestValidator(self.auth_token).validate(url, params, signature)

    def verify_inbound(self, *, url: str, params: dict, signature: str) -> bool:
        return self.verify_callback(url=url, params=params, signature=signature)

    def provision_number(self, *, area_code: str = "", inbound_url: str = "") -> ProvisionedNumber:
        client = self.client()
        search = {"sms_enabled": True, "limit": 1}
        if area_code:
            search["area_code"] = int(area_code)
        with _provider_errors("available numbers"):
            available = client.available_phone_numbers("US").local.list(**search)
        if not available:
            raise PermanentSmsError(f"No numbers available in area code {area_code or '(any)'}.")
        candidate = available[0]
        create = {"phone_number": candidate.phone_number}
        if inbound_url:
            create.update(sms_url=inbound_url, sms_method="POST")
        with _provider_errors("buy number"):
            bought = client.incoming_phone_numbers.create(**create)
        capabilities = {key.lower(): bool(value) for key, value in (bought.capabilities or {}).items()}
        return ProvisionedNumber(
            phone_number=bought.phone_number,
            provider_id=bought.sid,
            capabilities=capabilities,
            lata=candidate.lata or "",
            latitude=str(candidate.latitude or ""),
            longitude=str(candidate.longitude or ""),
            postal_code=candidate.postal_code or "",
            rate_center=candidate.rate_center or "",
            region=candidate.region or "",
        )

    def release_number(self, *, provider_id: str, phone_number: str) -> None:
        with _provider_errors("release number"):
            self.client().incoming_phone_numbers(provider_id).delete()

    def lookup(self, *, number: str) -> NumberLookup:
        with _provider_errors("lookup"):
            found = self.client().lookups.v2.phone_numbers(number).fetch(fields="line_type_intelligence")
        if found.valid is False:
            raise PermanentSmsError(f"Lookup: {number} is not a valid number.")
        info = found.line_type_intelligence or {}
        if info.get("error_code"):
            raise PermanentSmsError(f"Lookup error {info['error_code']}.")
        return NumberLookup(
            carrier_name=info.get("carrier_name") or "",
            type=info.get("type") or "",
            mobile_country_code=info.get("mobile_country_code") or "",
            mobile_network_code=info.get("mobile_network_code") or "",
        )
