"""The SMS port: lower layers (accounts) send texts through it without importing messaging.

messaging installs the implementation in its AppConfig.ready() (DESIGN.md §3), so imports only run upwards.
"""

from collections.abc import Callable
from typing import Protocol


class SendText(Protocol):
    def __call__(self, *, to: str, body: str, purpose: str, team_id: int | None = None) -> object: ...


_sender: SendText | None = None


def install_sender(sender: Callable[..., object]) -> None:
    global _sender
    _sender = sender


def send_text(*, to: str, body: str, purpose: str, team_id: int | None = None) -> object:
    """Queue one SMS; it is sent by a Celery worker after the current transaction commits."""
    if _sender is None:
        raise RuntimeError("No SMS sender installed: is the messaging app in INSTALLED_APPS?")
    return _sender(to=to, body=body, purpose=purpose, team_id=team_id)
