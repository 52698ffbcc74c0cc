"""The automation-events port: lower layers say "this happened" without importing automations (DESIGN.md §3).

workforce (shift published, timesheet submitted) and messaging (SMS received) call `emit(...)` inside the service
that made the change; automations registers its handler in AppConfig.ready(). The handler runs in the caller's
transaction (so a rolled-back change starts nothing) inside a savepoint: an automation that cannot start is logged
and never breaks the service that emitted the event.
"""

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)

Handler = Callable[..., object]
_handlers: list[Handler] = []

# Events emitted today, with the keys of their `data`:
SHIFT_PUBLISHED = "shift.published"  # shift_id, title, start_at, end_at, assignee_id, location_name, role
TIMESHEET_SUBMITTED = "timesheet.submitted"  # timesheet_id, user_id, start_date, end_date
SMS_RECEIVED = "sms.received"  # inbound_id, from, to, body, user_id


def register(handler: Handler) -> None:
    """`handler(*, event, team_id, key, data)`; registering the same handler twice keeps one."""
    if handler not in _handlers:
        _handlers.append(handler)


def emit(event: str, *, team_id: int, key: str, data: dict) -> None:
    """Tell every handler that `event` happened in team `team_id`. `key` identifies this occurrence: a handler
    given the same key twice (a retried request, a re-delivered task) must act once."""
    for handler in _handlers:
        try:
            with transaction.atomic():
                handler(event=event, team_id=team_id, key=key, data=data)
        except Exception:  # the event's own change must not fail because an automation could not start
            logger.exception("automation hook %r failed for %s (%s)", handler, event, key)
