import datetime
import json
import sys
from pathlib import Path

from django.conf import settings

from messaging.sms.base import BaseSmsBackend, SendResult, SmsMessage
from messaging.sms.file import append_line, references_in
from messaging.sms.local import LocalNumbersMixin


class ConsoleBackend(LocalNumbersMixin, BaseSmsBackend):
    """Prints each SMS to stdout (`make run`), so a login code can be read from the worker's output.

    It also notes each reference (never the body) in SMS_CONSOLE_JOURNAL, so it can answer whether it already
    printed a text whose worker died before recording it.
    """

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, message: SmsMessage) -> SendResult:
        self.stream.write(
            f"\n----- SMS from {message.from_number} to {message.to} -----\n{message.body}\n"
            f"----- ({message.reference}) -----\n"
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
