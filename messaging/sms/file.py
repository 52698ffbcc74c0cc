import datetime
import json
import os
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings

from messaging.sms.base import BaseSmsBackend, SendResult, SmsMessage
from messaging.sms.local import LocalNumbersMixin


def append_line(path: Path, line: str) -> None:
    """One write() on an O_APPEND descriptor: lines from concurrent worker processes do not interleave (`line` may
    be several lines: a batch lands whole)."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
    try:
        fd = os.open(path, flags, 0o644)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, flags, 0o644)
    try:
        data = line.encode()
        while data:  # a regular file takes it in one write; a short write still loses nothing
            data = data[os.write(fd, data) :]
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


def message_line(message: SmsMessage) -> str:
    """The message as one JSON line (its fields; `vars` rather than `asdict`, which deep-copies every value)."""
    return json.dumps(vars(message), ensure_ascii=False) + "\n"


class FileBackend(LocalNumbersMixin, BaseSmsBackend):
    """Appends one JSON line per SMS to SMS_FILE_PATH: lets black-box tests read what a worker process sent."""

    def send(self, message: SmsMessage) -> SendResult:
        return self.send_many([message])[0]

    def send_many(self, messages: Sequence[SmsMessage]) -> list[SendResult]:
        """The whole batch in one append (a multicast chunk's 500 texts: one open and one write, not 500)."""
        if messages:
            append_line(Path(settings.SMS_FILE_PATH), "".join(message_line(message) for message in messages))
        return [self._result(message) for message in messages]

    def find_sent(self, *, message: SmsMessage, called_at: datetime.datetime) -> SendResult | None:
        if message.reference in references_in(Path(settings.SMS_FILE_PATH)):
            return self._result(message)
        return None

    @staticmethod
    def _result(message: SmsMessage) -> SendResult:
        return SendResult(provider_id=f"file-{message.reference}", from_number=message.from_number)
