"""Ports through which apps above messaging (the inbox) hear about SMS traffic without messaging importing them.

DESIGN.md §3: a lower layer never imports a higher one. The inbox binds SMS numbers to its SMS channels, so it must
learn about inbound texts to those numbers and about status changes of the texts it sent; it registers a handler
here in its AppConfig.ready(), and messaging calls every handler at the right moment, inside its own transaction
(so a handler's writes commit or roll back with the change that caused them).
"""

from collections.abc import Callable

_inbound_handlers: list[Callable] = []
_status_handlers: list[Callable] = []


def on_inbound_text(handler: Callable) -> None:
    """`handler(inbound)` runs once per processed InboundText, after messaging's own reply handling."""
    if handler not in _inbound_handlers:
        _inbound_handlers.append(handler)


def on_text_status(handler: Callable) -> None:
    """`handler(text)` runs each time a Text's status moves (queued, sent, delivered, failed …)."""
    if handler not in _status_handlers:
        _status_handlers.append(handler)


def inbound_text_processed(inbound) -> None:
    for handler in _inbound_handlers:
        handler(inbound)


def text_status_moved(text) -> None:
    for handler in _status_handlers:
        handler(text)
