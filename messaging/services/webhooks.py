"""The outbound webhook outbox: one row per delivery, sent by Celery on the `webhooks` queue, signed with the team's
Standard Webhooks secret, retried with exponential backoff for WEBHOOK_RETRY_FOR_SECONDS, every attempt logged.

Any app above messaging (inbox webhooks, tada integrations, automation actions) calls `enqueue_webhook`; the body
sent is `{"type": event_type, "timestamp": <created, ISO 8601>, "data": payload}`.
"""

import json
import logging
import random
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from messaging.models import WebhookAttempt, WebhookDelivery, WebhookSecret
from messaging.webhooks import signing, transport
from messaging.webhooks.addresses import AddressRefused, parse_url, validate_webhook_url

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 5
MAX_RETRY_GAP_SECONDS = 3600
# A delivery still `sending` this long after its claim lost its worker; it is tried again (same webhook-id).
STUCK_AFTER_SECONDS = 120
WAIT_FOR_EARLIER_SECONDS = 2
DISPATCH_BATCH = 500


def _team_id(team) -> int:
    return team if isinstance(team, int) else team.pk


def _enqueue_task(delivery_id: int) -> None:
    from messaging.tasks import webhook_deliver_task

    # robust: a broker that is down must not undo the caller's committed write; the dispatcher finds the row.
    transaction.on_commit(lambda: webhook_deliver_task.apply_async(args=[delivery_id], queue="webhooks"), robust=True)


def enqueue_webhook(
    *,
    team,
    url: str,
    event_type: str,
    payload,
    headers: dict | None = None,
    secret: str | None = None,
    ordering_key: str | None = None,
    idempotency_key: str | None = None,
    validate: bool = True,
    raw_body: bool = False,
    retry_for_seconds: int | None = None,
) -> WebhookDelivery:
    """Queue one POST of `payload` to `url` for `team` (a Team or its id); sent after the transaction commits.

    - `secret` signs instead of the team's own secret (an integration with its own);
    - deliveries with the same `ordering_key` are sent one at a time, in the order they were queued;
    - a second call with the same `idempotency_key` (per team) returns the first delivery and queues nothing;
    - `raw_body` sends the payload itself as the body instead of the Standard Webhooks envelope (a family whose
      document fixes the body); `retry_for_seconds` replaces WEBHOOK_RETRY_FOR_SECONDS for this delivery.
    Raises ValidationFailed for a URL callbacks may not reach (unless the caller validated it already).
    """
    if validate:
        validate_webhook_url(url)
    now = timezone.now()
    fields = {
        "url": url,
        "event_type": event_type,
        "payload": payload,
        "headers": headers or {},
        "secret": secret or "",
        "ordering_key": ordering_key or "",
        "raw_body": raw_body,
        "next_attempt_at": now,
        "give_up_at": now + timedelta(seconds=retry_for_seconds or settings.WEBHOOK_RETRY_FOR_SECONDS),
    }
    team_id = _team_id(team)
    if idempotency_key is None:
        delivery = WebhookDelivery.objects.create(team_id=team_id, **fields)
    else:
        try:
            with transaction.atomic():
                delivery, created = WebhookDelivery.objects.get_or_create(
                    team_id=team_id, idempotency_key=idempotency_key, defaults=fields
                )
        except IntegrityError:  # a concurrent caller inserted the same key first
            return WebhookDelivery.objects.get(team_id=team_id, idempotency_key=idempotency_key)
        if not created:
            return delivery
    _enqueue_task(delivery.pk)
    return delivery


# --- signing secrets ---------------------------------------------------------------------------------------------


def webhook_secret_get(*, team) -> WebhookSecret:
    """The team's signing secret, made on first use."""
    row, _ = WebhookSecret.objects.get_or_create(team_id=_team_id(team), defaults={"secret": signing.new_secret()})
    return row


@transaction.atomic
def webhook_secret_rotate(*, team) -> WebhookSecret:
    """A new secret; the old one keeps signing (beside the new) for WEBHOOK_SECRET_ROTATION_GRACE_SECONDS."""
    row = webhook_secret_get(team=team)
    row = WebhookSecret.objects.select_for_update().get(pk=row.pk)
    now = timezone.now()
    row.previous_secret = row.secret
    row.previous_valid_until = now + timedelta(seconds=settings.WEBHOOK_SECRET_ROTATION_GRACE_SECONDS)
    row.secret = signing.new_secret()
    row.rotated_at = now
    row.save(update_fields=["previous_secret", "previous_valid_until", "secret", "rotated_at"])
    return row


def _signing_secrets(delivery: WebhookDelivery) -> list[str]:
    if delivery.secret:
        return [delivery.secret]
    row = webhook_secret_get(team=delivery.team_id)
    secrets_ = [row.secret]
    if row.previous_secret and row.previous_valid_until and row.previous_valid_until > timezone.now():
        secrets_.append(row.previous_secret)
    return secrets_


def webhook_body(delivery: WebhookDelivery) -> str:
    """The same bytes on every attempt of a delivery (only the signature headers change)."""
    if delivery.raw_body:
        body = delivery.payload
    else:
        body = {"type": delivery.event_type, "timestamp": delivery.created_at.isoformat(), "data": delivery.payload}
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


# --- delivery ----------------------------------------------------------------------------------------------------


def retry_delay(attempts: int) -> float:
    """Seconds before the next try after `attempts` failed ones: 5 s, 10 s, 20 s … doubling, at most 1 h apart,
    less up to 20% jitter so a receiver that came back is not hit by every delivery at once."""
    base = min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_GAP_SECONDS)
    return base * random.uniform(0.8, 1.0)


def webhook_deliver(*, delivery_id: int) -> str:
    """Try one due delivery once. The claim is a conditional UPDATE (pending and due → sending), so a duplicate
    task does nothing. Returns what happened: delivered, retry, failed, waiting (an earlier delivery with the same
    ordering key is not finished), or not-due."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).update(status=WebhookDelivery.Status.SENDING, claimed_at=now, updated_at=now)
    if not claimed:
        return "not-due"
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    if delivery.ordering_key and _earlier_unfinished(delivery):
        WebhookDelivery.objects.filter(pk=delivery_id, status=WebhookDelivery.Status.SENDING).update(
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at=now + timedelta(seconds=WAIT_FOR_EARLIER_SECONDS),
            updated_at=now,
        )
        return "waiting"
    number = delivery.attempts + 1
    WebhookDelivery.objects.filter(pk=delivery_id).update(attempts=F("attempts") + 1)
    outcome, attempt = _attempt(delivery, number=number)
    WebhookAttempt.objects.create(**attempt)
    return _settle(delivery, number=number, outcome=outcome, error=attempt["error"] or _status_error(attempt))


def _earlier_unfinished(delivery: WebhookDelivery) -> bool:
    return (
        WebhookDelivery.objects.filter(team_id=delivery.team_id, ordering_key=delivery.ordering_key, pk__lt=delivery.pk)
        .exclude(status__in=WebhookDelivery.FINAL)
        .exists()
    )


def _status_error(attempt: dict) -> str:
    code = attempt["status_code"]
    return "" if code is None or 200 <= code < 300 else f"HTTP {code}: {attempt['response_excerpt'][:200]}"


def _attempt(delivery: WebhookDelivery, *, number: int) -> tuple[str, dict]:
    """(delivered | retry | refused, the attempt's log row)."""
    started = timezone.now()
    log = {
        "delivery": delivery,
        "number": number,
        "started_at": started,
        "duration_ms": 0,
        "status_code": None,
        "response_excerpt": "",
        "error": "",
    }
    body = webhook_body(delivery)
    headers = {
        **{str(k): str(v) for k, v in (delivery.headers or {}).items()},
        "Content-Type": "application/json",
        "User-Agent": "Crewdesk-Webhooks/1",
        **signing.signature_headers(
            message_id=delivery.message_id, body=body, secrets_=_signing_secrets(delivery), now=started
        ),
    }
    try:
        answer = transport.post(
            parse_url(delivery.url),
            body=body.encode(),
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        )
    except AddressRefused as exc:
        log["error"] = f"Refused: {exc}"[:500]
        return "refused", log
    except Exception as exc:  # no answer: DNS, connection, TLS, timeout, malformed response
        log["error"] = f"{type(exc).__name__}: {exc}"[:500]
        log["duration_ms"] = int((timezone.now() - started).total_seconds() * 1000)
        return "retry", log
    log.update(status_code=answer.status, response_excerpt=answer.body[:500], duration_ms=answer.duration_ms)
    return ("delivered" if 200 <= answer.status < 300 else "retry"), log


def _settle(delivery: WebhookDelivery, *, number: int, outcome: str, error: str) -> str:
    now = timezone.now()
    mine = WebhookDelivery.objects.filter(pk=delivery.pk, status=WebhookDelivery.Status.SENDING)
    if outcome == "delivered":
        mine.update(status=WebhookDelivery.Status.DELIVERED, delivered_at=now, last_error="", updated_at=now)
    else:
        next_at = now + timedelta(seconds=retry_delay(number))
        if outcome == "refused" or next_at > delivery.give_up_at:
            mine.update(status=WebhookDelivery.Status.FAILED, last_error=error[:500], updated_at=now)
            outcome = "failed"
            logger.warning("webhook %s to %s failed for good: %s", delivery.uid, delivery.url, error)
        else:
            mine.update(
                status=WebhookDelivery.Status.PENDING, next_attempt_at=next_at, last_error=error[:500], updated_at=now
            )
            return "retry"
    if delivery.ordering_key:
        _wake_next_in_order(delivery)
    return outcome


def _wake_next_in_order(delivery: WebhookDelivery) -> None:
    """A finished delivery lets the next one with its ordering key go now rather than at the dispatcher's tick."""
    following = (
        WebhookDelivery.objects.filter(
            team_id=delivery.team_id,
            ordering_key=delivery.ordering_key,
            pk__gt=delivery.pk,
            status=WebhookDelivery.Status.PENDING,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if following is not None:
        WebhookDelivery.objects.filter(pk=following).update(next_attempt_at=timezone.now())
        _enqueue_task(following)


def webhooks_dispatch_due() -> int:
    """Beat, every few seconds: hand back deliveries whose worker died mid-attempt, and enqueue every due one
    (retries are rows with a later `next_attempt_at`, never far-future Celery countdowns: DESIGN.md §4)."""
    now = timezone.now()
    WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.SENDING, claimed_at__lt=now - timedelta(seconds=STUCK_AFTER_SECONDS)
    ).update(status=WebhookDelivery.Status.PENDING, next_attempt_at=now, updated_at=now)
    due = list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:DISPATCH_BATCH]
    )
    from messaging.tasks import webhook_deliver_task

    for delivery_id in due:
        webhook_deliver_task.apply_async(args=[delivery_id], queue="webhooks")
    return len(due)


@transaction.atomic
def webhook_replay(*, delivery: WebhookDelivery) -> bool:
    """Send a finished delivery again (the admin's replay): same body and webhook-id, a fresh retry window.
    False when it is still pending or being sent (it is going anyway)."""
    now = timezone.now()
    replayed = WebhookDelivery.objects.filter(pk=delivery.pk, status__in=WebhookDelivery.FINAL).update(
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at=now,
        give_up_at=now + timedelta(seconds=settings.WEBHOOK_RETRY_FOR_SECONDS),
        delivered_at=None,
        last_error="",
        updated_at=now,
    )
    if replayed:
        _enqueue_task(delivery.pk)
    return bool(replayed)
