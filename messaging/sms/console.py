import sys

from django.conf import settings

from core.redaction import mask_secrets
from messaging.sms.base import SendResult, SmsMessage
from messaging.sms.file import FileBackend


class ConsoleBackend(FileBackend):
    """Prints each SMS to stdout (`make run`) with its codes and tokens masked — stdout is the worker's log — and
    appends the whole text to SMS_FILE_PATH (var/sms.jsonl), where a developer reads a login code."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, message: SmsMessage) -> SendResult:
        super().send(message)
        self.stream.write(
            f"\n----- SMS from {message.from_number} to {message.to} -----\n{mask_secrets(message.body)}\n"
            f"----- ({message.reference}; the whole text is in {settings.SMS_FILE_PATH}) -----\n"
        )
        self.stream.flush()
        return SendResult(provider_id=f"console-{message.reference}", from_number=message.from_number)
