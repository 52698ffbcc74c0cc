"""Twilio through its official package. Credentials come from TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from messaging.sms.base import BaseSmsBackend, PermanentSmsError, SendResult, SmsMessage, TransientSmsError


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
        from twilio.base.exceptions import TwilioException, TwilioRestException

        kwargs = {"to": message.to, "from_": message.from_number, "body": message.body}
        if message.status_callback:
            kwargs["status_callback"] = message.status_callback
        try:
            sent = self.client().messages.create(**kwargs)
        except TwilioRestException as exc:
            if exc.status == 429 or exc.status >= 500:
                raise TransientSmsError(f"Twilio {exc.status}: {exc.msg}") from exc
            raise PermanentSmsError(f"Twilio {exc.status} ({exc.code}): {exc.msg}") from exc
        except (TwilioException, OSError) as exc:  # connection errors, timeouts
            raise TransientSmsError(str(exc)) from exc
        return SendResult(provider_id=sent.sid, status=sent.status or "queued", from_number=sent.from_ or "")

    def verify_callback(self, *, url: str, params: dict, signature: str) -> bool:
        from twilio.request_validator import RequestValidator

        return bool(signature) and RequestValidator(self.auth_token).validate(url, params, signature)
