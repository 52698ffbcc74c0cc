"""SMS backends behind the SMS_BACKEND setting, in the manner of Django's EMAIL_BACKEND.

SMS_BACKEND takes a short name (console, locmem, file, twilio) or a dotted path to a backend class.
The locmem backend collects messages in `messaging.sms.outbox`, like django.core.mail.outbox.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from messaging.sms.base import (
    BaseSmsBackend,
    DeliveryUnknown,
    InboundSms,
    InvalidInbound,
    NumberLookup,
    PermanentSmsError,
    ProvisionedNumber,
    SendResult,
    SmsError,
    SmsMessage,
    TransientSmsError,
)

outbox: list[SmsMessage] = []

SHORT_NAMES = {
    "console": "messaging.sms.console.ConsoleBackend",
    "locmem": "messaging.sms.locmem.LocMemBackend",
    "file": "messaging.sms.file.FileBackend",
    "twilio": "messaging.sms.twilio.TwilioBackend",
}


def get_backend(name: str | None = None) -> BaseSmsBackend:
    path = name or settings.SMS_BACKEND
    return import_string(SHORT_NAMES.get(path, path))()


__all__ = [
    "BaseSmsBackend",
    "DeliveryUnknown",
    "InboundSms",
    "InvalidInbound",
    "NumberLookup",
    "PermanentSmsError",
    "ProvisionedNumber",
    "SendResult",
    "SmsError",
    "SmsMessage",
    "TransientSmsError",
    "get_backend",
    "outbox",
]
