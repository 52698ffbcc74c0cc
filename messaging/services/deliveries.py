"""Sending a chunk's deliveries of one channel, exactly once (DESIGN.md §4).

A send task claims every `queued` delivery of its chunk and channel in ONE conditional UPDATE … RETURNING (a
redelivered or duplicate task claims nothing), hands each to the backend (the SMS port, the push port, Django's
email backend) with the delivery as the provider's reference, then records every outcome and the multicast's
counter in one statement (PostgreSQL) or a bulk update and one counter statement. Between the provider calls and
that write is the one crash window: `deliveries_recover` (the sweeper) asks the SMS backend which of a dead
worker's claimed deliveries it already has, so none is texted twice and none is lost.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Device
from messaging import push, sms
from messaging.crypto import UnreadableSecret, decrypt_json
from messaging.models import (
    AppCredential,
    BadgeCount,
    Delivery,
    DeviceLog,
    UserNotification,
)
from messaging.services.fanout import counters_move, finish_if_done, plan_of, rows_json
from messaging.services.texts import OPTED_OUT_ERROR

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Claimed:
    id: int
    individual_id: int
    user_id: int
    address: str
    body: str
    attempts: int
    opted_out: bool


_CLAIM_SQL = """
UPDATE messaging_delivery SET status = 'sending', claimed_at = %s, attempts = attempts + 1
WHERE chunk_id = %s AND channel = %s AND status = 'queued'
  AND NOT EXISTS (SELECT 1 FROM messaging_multicast m WHERE m.id = messaging_delivery.multicast_id
                  AND m.status = 'cancelled')
RETURNING id, individual_id, user_id, address, body, attempts,
  EXISTS (SELECT 1 FROM messaging_smsoptout o WHERE o.team_id = %s AND o.phone = messaging_delivery.address
          AND o.opted_out)
"""


def claim(*, chunk_id: int, channel: str, team_id: int) -> list[Claimed]:
    """Claim the chunk's queued deliveries of `channel` (not of a cancelled multicast). One statement."""
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM_SQL, [timezone.now(), chunk_id, channel, team_id])
        rows = cursor.fetchall()
    return sorted((Claimed(*row[:6], opted_out=bool(row[6])) for row in rows), key=lambda c: c.id)


@dataclass(frozen=True)
class Outcome:
    id: int
    status: str  # sent | failed | queued (a transient failure: tried again)
    error: str = ""
    provider_id: str = ""


_FINISH_SQL = """
WITH s AS (
    SELECT set_config('synchronous_commit', 'off', true) AS v  -- fanout.ASYNC_COMMIT_NOTE
), v AS (
    SELECT * FROM json_to_recordset(%(outcomes)s::json) AS v(id bigint, status text, error text, provider_id text)
), d AS (
    UPDATE messaging_delivery d SET status = v.status, error = v.error, provider_id = v.provider_id,
        sent_at = CASE WHEN v.status = 'sent' THEN %(now)s ELSE NULL END
    FROM v WHERE d.id = v.id AND d.status = 'sending'
    RETURNING d.status
)
UPDATE messaging_multicast SET outstanding = outstanding - (SELECT count(*) FROM d WHERE status <> 'queued')
WHERE id = %(multicast)s AND (SELECT v FROM s) IS NOT NULL RETURNING outstanding, chunks_pending
"""


def record(*, multicast_id: int, outcomes: list[Outcome]) -> tuple[int, int]:
    """Write every outcome (only over rows still `sending`: a sweeper's decision is never overwritten) and lower the
    multicast's outstanding count by the final ones. Returns the counters."""
    if not outcomes:
        return counters_move(multicast_id=multicast_id)
    now = timezone.now()
    if connection.vendor == "postgresql":
        rows = [
            {"id": o.id, "status": o.status, "error": o.error[:500], "provider_id": o.provider_id[:64]}
            for o in outcomes
        ]
        params = {"outcomes": rows_json(rows), "now": now, "multicast": multicast_id}
        with connection.cursor() as cursor:
            cursor.execute(_FINISH_SQL, params)
            row = cursor.fetchone()
        return (row[0], row[1]) if row else (0, 0)
    with transaction.atomic():
        rows = {d.pk: d for d in Delivery.objects.filter(pk__in=[o.id for o in outcomes], status="sending")}
        for outcome in outcomes:
            delivery = rows.get(outcome.id)
            if delivery is not None:
                delivery.status, delivery.error = outcome.status, outcome.error[:500]
                delivery.provider_id = outcome.provider_id[:64]
                delivery.sent_at = now if outcome.status == Delivery.Status.SENT else None
        Delivery.objects.bulk_update(rows.values(), ["status", "error", "provider_id", "sent_at"], batch_size=500)
        final = sum(1 for d in rows.values() if d.status != Delivery.Status.QUEUED)
        return counters_move(multicast_id=multicast_id, outstanding=-final)


def _after(*, chunk_id: int, multicast_id: int, channel: str, claimed: list[Claimed], outcomes: list[Outcome]):
    outstanding, pending = record(multicast_id=multicast_id, outcomes=outcomes)
    if any(o.status == Delivery.Status.QUEUED for o in outcomes):
        # Transient failures wait a little (5 s doubling, at most 5 minutes) and are tried again by the same task.
        from messaging.tasks import SEND_TASKS

        task, queue = SEND_TASKS[channel]
        attempts = max(c.attempts for c in claimed)
        task.apply_async(args=[chunk_id, multicast_id], queue=queue, countdown=min(300, 5 * 2 ** (attempts - 1)))
    if outstanding <= 0 and pending <= 0:
        finish_if_done(multicast_id=multicast_id)


def _transient(claimed: Claimed, error: str) -> Outcome:
    if claimed.attempts >= MAX_ATTEMPTS:
        return Outcome(claimed.id, Delivery.Status.FAILED, error)
    return Outcome(claimed.id, Delivery.Status.QUEUED, error)


def reference(delivery_id: int) -> str:
    return f"delivery-{delivery_id}"


# --- SMS -------------------------------------------------------------------------------------------------------------


def send_sms(*, chunk_id: int, multicast_id: int) -> int:
    """Text the chunk's SMS deliveries. Returns how many were claimed by this call."""
    plan = plan_of(multicast_id)
    claimed = claim(chunk_id=chunk_id, channel=Delivery.Channel.SMS, team_id=plan.team_id)
    if not claimed:
        return 0
    outcomes = [Outcome(c.id, Delivery.Status.FAILED, OPTED_OUT_ERROR) for c in claimed if c.opted_out]
    reachable = [c for c in claimed if not c.opted_out]
    messages = [
        sms.SmsMessage(to=c.address, from_number=plan.sender, body=c.body, reference=reference(c.id)) for c in reachable
    ]
    for item, result in zip(reachable, sms.get_backend().send_many(messages), strict=True):
        if isinstance(result, sms.TransientSmsError):
            outcomes.append(_transient(item, str(result)))
        elif isinstance(result, sms.PermanentSmsError):
            outcomes.append(Outcome(item.id, Delivery.Status.FAILED, str(result)))
        else:
            outcomes.append(Outcome(item.id, Delivery.Status.SENT, provider_id=result.provider_id))
    _after(chunk_id=chunk_id, multicast_id=multicast_id, channel="sms", claimed=claimed, outcomes=outcomes)
    return len(claimed)


# --- push ------------------------------------------------------------------------------------------------------------


def _credentials(team_id: int) -> dict[str, dict]:
    found = {}
    for credential in AppCredential.objects.filter(team_id=team_id, archived=False).order_by("-test_mode", "id"):
        try:
            found[credential.type] = decrypt_json(credential.data_encrypted)
        except UnreadableSecret as exc:
            logger.warning("app credential %s: %s", credential.uid, exc)
    return found


def send_push(*, chunk_id: int, multicast_id: int) -> int:
    """Push the chunk's push deliveries to every device of each recipient; a device-log row per push. A delivery
    is sent when at least one device took it."""
    plan = plan_of(multicast_id)
    claimed = claim(chunk_id=chunk_id, channel=Delivery.Channel.PUSH, team_id=plan.team_id)
    if not claimed:
        return 0
    user_ids = {c.user_id for c in claimed}
    devices: dict[int, list] = {}
    for device in Device.objects.filter(user_id__in=user_ids, allowed_notifications=True).exclude(push_service=""):
        if device.notification_token:
            devices.setdefault(device.user_id, []).append(device)
    payloads = dict(
        UserNotification.objects.filter(
            multicast_id=multicast_id, individual_id__in=[c.individual_id for c in claimed]
        ).values_list("individual_id", "data")
    )
    badges = dict(
        BadgeCount.objects.filter(
            individual_id__in=[c.individual_id for c in claimed], type=BadgeCount.NOTIFICATIONS
        ).values_list("individual_id", "count")
    )
    credentials = _credentials(plan.team_id)
    backend = push.get_backend()
    outcomes, logs = [], []
    for item in claimed:
        content = (payloads.get(item.individual_id) or {}).get("fcm") or {}
        errors, ok, transient = [], False, False
        for device in devices.get(item.user_id, []):
            log = DeviceLog(
                team_id=plan.team_id,
                device=device,
                delivery_id=item.id,
                title=content.get("title", ""),
                body=content.get("body", ""),
                category=content.get("category", ""),
                data=content.get("data") or {},
                badge_count=badges.get(item.individual_id, 0),
            )
            message = push.PushMessage(
                service=device.push_service,
                token=device.notification_token,
                title=log.title,
                body=log.body,
                category=log.category,
                data=log.data,
                badge=log.badge_count,
                reference=str(log.uid),
                topic=device.topic,
                sandbox=device.environment == device.Environment.DEVELOPMENT,
                credential=credentials.get(device.push_service),
            )
            try:
                log.provider_id = backend.send(message).provider_id[:255]
                ok = True
            except push.PushError as exc:
                log.ok, log.error = False, str(exc)[:500]
                errors.append(log.error)
                transient = transient or isinstance(exc, push.TransientPushError)
            logs.append(log)
        if ok:
            outcomes.append(Outcome(item.id, Delivery.Status.SENT))
        elif transient:
            outcomes.append(_transient(item, errors[0]))
        else:
            outcomes.append(Outcome(item.id, Delivery.Status.FAILED, errors[0] if errors else "No device to push to."))
    DeviceLog.objects.bulk_create(logs, batch_size=500)
    _after(chunk_id=chunk_id, multicast_id=multicast_id, channel="push", claimed=claimed, outcomes=outcomes)
    return len(claimed)


# --- email -----------------------------------------------------------------------------------------------------------


def send_email(*, chunk_id: int, multicast_id: int) -> int:
    """Email the chunk's email deliveries over one connection of Django's email backend."""
    plan = plan_of(multicast_id)
    claimed = claim(chunk_id=chunk_id, channel=Delivery.Channel.EMAIL, team_id=plan.team_id)
    if not claimed:
        return 0
    payloads = dict(
        UserNotification.objects.filter(
            multicast_id=multicast_id, individual_id__in=[c.individual_id for c in claimed]
        ).values_list("individual_id", "data")
    )
    outcomes = []
    with mail.get_connection() as connection_:
        for item in claimed:
            content = (payloads.get(item.individual_id) or {}).get("email") or {}
            message = mail.EmailMultiAlternatives(
                subject=content.get("subject", ""),
                body=content.get("text", ""),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[item.address],
                connection=connection_,
                headers={"X-Crewdesk-Reference": reference(item.id)},
            )
            if content.get("html"):
                message.attach_alternative(content["html"], "text/html")
            try:
                message.send()
            except OSError as exc:  # SMTP and connection errors: tried again later
                outcomes.append(_transient(item, str(exc)))
            except Exception as exc:  # a provider (anymail) refusing the message
                outcomes.append(Outcome(item.id, Delivery.Status.FAILED, str(exc)))
            else:
                outcomes.append(Outcome(item.id, Delivery.Status.SENT))
    _after(chunk_id=chunk_id, multicast_id=multicast_id, channel="email", claimed=claimed, outcomes=outcomes)
    return len(claimed)


SENDERS = {"sms": send_sms, "push": send_push, "email": send_email}
