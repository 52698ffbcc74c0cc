"""Every write of the messaging domain, one module per area:

texts (outbound SMS, exactly once), optouts, webhooks (the outbox of HTTP callbacks), preferences (org-preferences),
numbers (numbers, logs, user maps, lookups), consents, inbound (webhook ingestion) and replies (what a reply does).
The outbound-text functions are importable from `messaging.services` itself, as before the split.
"""

from messaging.services.texts import (
    DELIVERY_UNKNOWN_ERROR,
    MAX_ATTEMPTS,
    OPTED_OUT_ERROR,
    REDACTED_OTP_BODY,
    sender_for,
    system_text_queue,
    text_account_create,
    text_account_update,
    text_apply_status,
    text_deliver,
    text_queue,
    text_recover_stuck,
    text_resend,
    texts_requeue_stuck,
)

__all__ = [
    "DELIVERY_UNKNOWN_ERROR",
    "MAX_ATTEMPTS",
    "OPTED_OUT_ERROR",
    "REDACTED_OTP_BODY",
    "sender_for",
    "system_text_queue",
    "text_account_create",
    "text_account_update",
    "text_apply_status",
    "text_deliver",
    "text_queue",
    "text_recover_stuck",
    "text_resend",
    "texts_requeue_stuck",
]
