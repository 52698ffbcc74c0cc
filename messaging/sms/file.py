import datetime
import json
import os
from dataclasses import asdict
from pathlib import Path

from django.conf import settings

from messaging.sms.base import BaseSmsBackend, SendResult, SmsMessage
from messaging.sms.local import LocalNumbersMixin


def append_line(path: Path, line: str) -> None:
    """One write() on an O_APPEND descriptor: lines from concurrent worker processes do not interleave."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def references_in(path: Path) -> set[str]:
    if not path.exists():
        return set()
    found = set()
    for line in path.read_text(errors="replace").splitlines():
        try:
            found.add(json.loads(line)["reference"])
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short by a crash
    return found


class FileBackend(LocalNumbersMixin, BaseSmsBackend):
    """Appends one JSON line per SMS to SMS_FILE_PATH: lets black-box tests read what a worker process sent."""

    def send(self, message: SmsMessage) -> SendResult:
        append_line(Path(settings.SMS_FILE_PATH), json.dumps(asdict(message), ensure_ascii=False) + "\n")
        return self._result(message)

    def find_sent(self, *, message: SmsMessage, called_at: datetime.datetime) -> SendResult | None:
        if message.reference in references_in(Path(settings.SMS_FILE_PATH)):
            return self._result(message)
        return None

    @staticmethod
    def _result(message: SmsMessage) -> SendResult:
        return SendResult(provider_id=f"file-{message.reference}", from_number=message.from_number)
