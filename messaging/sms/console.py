import datetime
import json
import sys
from pathlib import Path

from django.conf import settings

from core.redaction import mask_secrets
from messaging.sms.base import BaseSmsBackend, SendResult, SmsMessage
from messaging.sms.file import append_line, message_line, references_in
from messaging.sms.local import LocalNumbersMixin


class ConsoleBackend(LocalNumbersMixin, BaseSmsBackend):
    """Prints each SMS to stdout (`make run`) with its codes and tokens masked — stdout is the worker's log — and
    appends the whole text to SMS_FILE_PATH (var/sms.jsonl), the local outbox where a developer reads a login code.

    It also notes each reference (never the body) in SMS_CONSOLE_JOURNAL, so it can answer whether it already
    printed a text whose worker died before recording it.
    """

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, message: SmsMessage) -> SendResult:
        append_line(Path(settings.SMS_FILE_PATH), message_line(message))
        self.stream.write(
            f"\n----- SMS from {message.from_number} to {message.to} -----\n{mask_secrets(message.body)}\n"
            f"----- ({message.reference}; the whole text is in {settings.SMS_FILE_PATH}) -----\n"
        )
        self.stream.flush()
        append_line(Path(settings.SMS_CONSOLE_JOURNAL), json.dumps({"reference": message.reference}) + "\n")
        return self._result(message)

    def find_sent(self, *, message: SmsMessage, called_at: datetime.datetime) -> SendResult | None:
        if message.reference in references_in(Path(settings.SMS_CONSOLE_JOURNAL)):
            return self._result(message)
        return None

    @staticmethod
    def _result(message: SmsMessage) -> SendResult:
        return SendResult(provider_id=f"console-{message.reference}", from_number=message.from_number)
