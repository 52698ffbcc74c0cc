import datetime

from messaging.sms.base import BaseSmsBackend, SendResult, SmsMessage
from messaging.sms.local import LocalNumbersMixin


class LocMemBackend(LocalNumbersMixin, BaseSmsBackend):
    """Keeps messages in `messaging.sms.outbox` for tests (like Django's locmem email backend)."""

    def send(self, message: SmsMessage) -> SendResult:
        from messaging import sms

        sms.outbox.append(message)
        return self._result(message)

    def find_sent(self, *, message: SmsMessage, called_at: datetime.datetime) -> SendResult | None:
        from messaging import sms

        return next((self._result(m) for m in sms.outbox if m.reference == message.reference), None)

    @staticmethod
    def _result(message: SmsMessage) -> SendResult:
        return SendResult(provider_id=f"locmem-{message.reference}", from_number=message.from_number)
