import sys

from messaging.sms.base import BaseSmsBackend, SendResult, SmsMessage


class ConsoleBackend(BaseSmsBackend):
    """Prints each SMS to stdout (`make run`), so a login code can be read from the worker's output."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, message: SmsMessage) -> SendResult:
        self.stream.write(
            f"\n----- SMS from {message.from_number} to {message.to} -----\n{message.body}\n"
            f"----- ({message.reference}) -----\n"
        )
        self.stream.flush()
        return SendResult(provider_id=f"console-{message.reference}", from_number=message.from_number)
