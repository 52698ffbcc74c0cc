"""Development and test push backends: console (`make run`), locmem (tests), file (black-box tests, benchmarks)."""

import json
import sys
from dataclasses import asdict
from pathlib import Path

from django.conf import settings

from messaging.push.base import BasePushBackend, PermanentPushError, PushMessage, PushResult
from messaging.sms.file import append_line


class ConsoleBackend(BasePushBackend):
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, message: PushMessage) -> PushResult:
        self.stream.write(
            f"\n----- push ({message.service}) to {message.token[:24]}… -----\n{message.title}\n{message.body}\n"
            f"data {json.dumps(message.data, ensure_ascii=False)} badge {message.badge}\n"
            f"----- ({message.reference}) -----\n"
        )
        self.stream.flush()
        return PushResult(provider_id=f"console-{message.reference}")


class LocMemBackend(BasePushBackend):
    def send(self, message: PushMessage) -> PushResult:
        from messaging import push

        push.outbox.append(message)
        return PushResult(provider_id=f"locmem-{message.reference}")


class FileBackend(BasePushBackend):
    def send(self, message: PushMessage) -> PushResult:
        line = {k: v for k, v in asdict(message).items() if k != "credential"}
        append_line(Path(settings.PUSH_FILE_PATH), json.dumps(line, ensure_ascii=False) + "\n")
        return PushResult(provider_id=f"file-{message.reference}")


class DummyBackend(BasePushBackend):
    """Push switched off (the default with DEBUG off until PUSH_BACKEND names a provider): nothing pretends to be
    sent; each push delivery fails with this reason, which the multicast's report shows."""

    def send(self, message: PushMessage) -> PushResult:
        raise PermanentPushError("Push is not configured on this server (PUSH_BACKEND=dummy).")
