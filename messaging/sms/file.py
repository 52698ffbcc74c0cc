import json
import os
from dataclasses import asdict
from pathlib import Path

from django.conf import settings

from messaging.sms.base import BaseSmsBackend, SendResult, SmsMessage


class FileBackend(BaseSmsBackend):
    """Appends one JSON line per SMS to SMS_FILE_PATH: lets black-box tests read what a worker process sent."""

    def send(self, message: SmsMessage) -> SendResult:
        path = Path(settings.SMS_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(asdict(message), ensure_ascii=False) + "\n"
        # One write() on an O_APPEND descriptor: lines from concurrent worker processes do not interleave.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)
        return SendResult(provider_id=f"file-{message.reference}", from_number=message.from_number)
