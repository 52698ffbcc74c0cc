"""Push backends behind the PUSH_BACKEND setting, in the manner of SMS_BACKEND and Django's EMAIL_BACKEND.

PUSH_BACKEND takes a short name — `console`, `locmem` (collects pushes in `messaging.push.outbox`, like
django.core.mail.outbox), `file` (one JSON line per push in PUSH_FILE_PATH), `providers` (the real services: Web
Push with VAPID for `web` devices, FCM HTTP v1 with the team's app-credentials for `fcm` devices) — or a dotted path.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from messaging.push.base import (
    BasePushBackend,
    PermanentPushError,
    PushError,
    PushMessage,
    PushResult,
    TransientPushError,
)

outbox: list[PushMessage] = []

SHORT_NAMES = {
    "console": "messaging.push.local.ConsoleBackend",
    "locmem": "messaging.push.local.LocMemBackend",
    "file": "messaging.push.local.FileBackend",
    "providers": "messaging.push.providers.ProvidersBackend",
    "dummy": "messaging.push.local.DummyBackend",
}


def get_backend(name: str | None = None) -> BasePushBackend:
    path = name or settings.PUSH_BACKEND
    return import_string(SHORT_NAMES.get(path, path))()


__all__ = [
    "BasePushBackend",
    "PermanentPushError",
    "PushError",
    "PushMessage",
    "PushResult",
    "TransientPushError",
    "get_backend",
    "outbox",
]
