from messaging.sms.base import BaseSmsBackend, SendResult, SmsMessage


class LocMemBackend(BaseSmsBackend):
    """Keeps messages in `messaging.sms.outbox` for tests (like Django's locmem email backend)."""

    def send(self, message: SmsMessage) -> SendResult:
        from messaging import sms

        sms.outbox.append(message)
        return SendResult(provider_id=f"locmem-{message.reference}", from_number=message.from_number)
