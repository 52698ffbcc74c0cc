"""The fan-out of a multicast (DESIGN.md §4), exactly once on top of at-least-once task delivery.

1. `multicast_plan`: claims the multicast (`pending → sending`, a conditional UPDATE), takes the ordered ids of its
   recipients and cuts them into chunks of MULTICAST_CHUNK_SIZE (one `bulk_create`), then queues one fan-out task
   per chunk on the `multicast` queue.
2. `chunk_fanout`: reads the chunk's recipients with what can reach them (one query), renders each one's message
   in Python, and in ONE write claims the chunk (`pending → planned`) and stores every notification, badge bump and
   delivery row of the chunk and the multicast's counters; then queues one send task per channel. A redelivered or
   concurrent duplicate finds the chunk claimed and writes nothing; a worker killed mid-way rolls the whole write
   back and the task is delivered again.

On PostgreSQL the write is a single statement (data-modifying CTEs over the rows, sent as one JSON text each and read
by `json_to_recordset`); elsewhere (SQLite) the same rows are written with bulk statements in one transaction. The
multicast's immutable parts (template parts, data, channels, filter, sender) are cached per worker process, so a
chunk costs two statements on PostgreSQL.
"""

import json
import logging
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Subquery
from django.utils import timezone

from messaging import templating
from messaging.models import BadgeCount, Delivery, Multicast, MulticastChunk, TextAccount, UserNotification
from messaging.services import recipients as recipient_rules
from messaging.services.texts import sender_for

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Plan:
    """What every chunk of one multicast needs and never changes after it was stored."""

    multicast_id: int
    team_id: int
    team_name: str
    parts: dict
    data: dict
    channels: tuple[str, ...]
    filter_type: str
    filter_value: dict
    category: str
    sender: str


@lru_cache(maxsize=128)
def plan_of(multicast_id: int) -> Plan:
    multicast = Multicast.objects.select_related("team").get(pk=multicast_id)
    account = TextAccount.objects.filter(team_id=multicast.team_id).order_by("id").first()
    return Plan(
        multicast_id=multicast.pk,
        team_id=multicast.team_id,
        team_name=multicast.team.name,
        parts=multicast.parts,
        data=multicast.data,
        channels=tuple(multicast.channels),
        filter_type=multicast.filter_type,
        filter_value=multicast.filter_value,
        category=(multicast.parts.get("push_category") or "")[:32],
        sender=sender_for(account=account, number=None),
    )


# --- 1. plan ---------------------------------------------------------------------------------------------------------


def multicast_plan(*, multicast_id: int) -> int:
    """Cut the multicast into chunks and queue their fan-out. Returns the number of chunks (0 when another delivery of
    the task already planned it)."""
    with transaction.atomic():
        now = timezone.now()
        if not Multicast.objects.filter(pk=multicast_id, status=Multicast.Status.PENDING).update(
            status=Multicast.Status.SENDING, started_at=now
        ):
            return 0
        plan = plan_of(multicast_id)
        ids = list(
            recipient_rules.recipients(
                team_id=plan.team_id, filter_type=plan.filter_type, filter_value=plan.filter_value
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        size = max(1, settings.MULTICAST_CHUNK_SIZE)
        chunks = [
            MulticastChunk(
                multicast_id=multicast_id,
                seq=seq,
                first_member_id=ids[start],
                last_member_id=ids[min(start + size, len(ids)) - 1],
                size=min(size, len(ids) - start),
            )
            for seq, start in enumerate(range(0, len(ids), size))
        ]
        MulticastChunk.objects.bulk_create(chunks)
        Multicast.objects.filter(pk=multicast_id).update(
            recipients_total=len(ids), chunks_total=len(chunks), chunks_pending=len(chunks)
        )
        if chunks:
            chunk_ids = list(
                MulticastChunk.objects.filter(multicast_id=multicast_id).order_by("seq").values_list("pk", flat=True)
            )
            transaction.on_commit(lambda: enqueue_fanout(multicast_id, chunk_ids), robust=True)
    if not ids:
        finish_if_done(multicast_id=multicast_id)
    return len(chunks)


def enqueue_fanout(multicast_id: int, chunk_ids: list[int]) -> None:
    from messaging.tasks import multicast_chunk_task

    for chunk_id in chunk_ids:
        multicast_chunk_task.apply_async(args=[chunk_id, multicast_id], queue="multicast")


# --- 2. one chunk ----------------------------------------------------------------------------------------------------


@dataclass
class ChunkRows:
    notifications: list[dict]
    deliveries: list[dict]


def _rows(plan: Plan, chunk_id: int) -> ChunkRows:
    """The chunk's recipients (none when the chunk is no longer pending) rendered into notification and delivery
    rows. One query."""
    bounds = MulticastChunk.objects.filter(pk=chunk_id, status=MulticastChunk.Status.PENDING)
    members = recipient_rules.recipients(
        team_id=plan.team_id, filter_type=plan.filter_type, filter_value=plan.filter_value
    ).filter(
        pk__gte=Subquery(bounds.values("first_member_id")[:1]), pk__lte=Subquery(bounds.values("last_member_id")[:1])
    )
    rows = recipient_rules.with_channels(members, team_id=plan.team_id).order_by("pk")
    notifications, deliveries = [], []
    for row in rows.values(*recipient_rules.RECIPIENT_FIELDS):
        context = {
            **plan.data,
            **templating.recipient_context(
                first_name=row["user__first_name"], last_name=row["user__last_name"], organization=plan.team_name
            ),
        }
        try:
            rendered = templating.render(plan.parts, context, only=plan.channels)
        except templating.TemplateProblem as exc:  # checked at creation; a recipient's own data cannot break it
            logger.warning("multicast %s: recipient %s not rendered: %s", plan.multicast_id, row["pk"], exc)
            continue
        notifications.append(
            {"individual_id": row["pk"], "user_id": row["user_id"], "data": notification_data(rendered, plan.channels)}
        )
        for channel in recipient_rules.channels_for(row, list(plan.channels)):
            address = {"sms": row["user__phone"], "email": row["user__email"]}.get(channel) or ""
            body = rendered.sms_body if channel == "sms" else ""
            deliveries.append(
                {
                    "individual_id": row["pk"],
                    "user_id": row["user_id"],
                    "channel": channel,
                    "address": address,
                    "body": body,
                }
            )
    return ChunkRows(notifications, deliveries)


def notification_data(rendered: templating.Rendered, channels) -> dict:
    """Per-channel payloads as courier shows them (`apn`, `fcm`, `web`, `sms`), plus `email` (a Crewdesk addition)."""
    data: dict = {}
    if "push" in channels:
        push = {
            "title": rendered.push_title,
            "body": rendered.push_body,
            "category": rendered.push_category,
            "data": rendered.push_data,
        }
        data.update({"apn": push, "fcm": push, "web": push})
    if "sms" in channels:
        data["sms"] = {"bodies": [rendered.sms_body]}
    if "email" in channels:
        data["email"] = {"subject": rendered.email_subject, "text": rendered.email_text, "html": rendered.email_html}
    return data


@dataclass(frozen=True)
class Written:
    channels: dict[str, int]  # deliveries stored per channel
    outstanding: int
    chunks_pending: int


def chunk_fanout(*, chunk_id: int, multicast_id: int) -> Written | None:
    """Fan one chunk out. None when the chunk was already fanned out (or cancelled): nothing is written twice."""
    plan = plan_of(multicast_id)
    rows = _rows(plan, chunk_id)
    if connection.vendor == "postgresql":
        written = _write_postgresql(plan, chunk_id, rows)
    else:
        written = _write_portable(plan, chunk_id, rows)
    if written is None:
        return None
    channels = [c for c, n in written.channels.items() if n]
    if channels:
        transaction.on_commit(lambda: enqueue_sends(chunk_id, multicast_id, channels), robust=True)
    if written.outstanding <= 0 and written.chunks_pending <= 0:
        finish_if_done(multicast_id=multicast_id)
    return written


def enqueue_sends(chunk_id: int, multicast_id: int, channels) -> None:
    from messaging.tasks import SEND_TASKS

    for channel in channels:
        task, queue = SEND_TASKS[channel]
        task.apply_async(args=[chunk_id, multicast_id], queue=queue)


_FANOUT_SQL = """
WITH s AS (
    SELECT set_config('synchronous_commit', 'off', true) AS v  -- see ASYNC_COMMIT_NOTE
), c AS (
    UPDATE messaging_multicastchunk SET status = 'planned', planned_at = %(now)s
    WHERE id = %(chunk)s AND status = 'pending' RETURNING id
), n AS (
    INSERT INTO messaging_usernotification
        (uid, team_id, multicast_id, chunk_id, individual_id, user_id, category, data, acknowledged, active, created_at)
    SELECT gen_random_uuid(), %(team)s, %(multicast)s, c.id, u.individual_id, u.user_id, %(category)s, u.data, false,
        true, %(now)s
    FROM c, json_to_recordset(%(notifications)s::json) AS u(individual_id bigint, user_id bigint, data jsonb)
    RETURNING individual_id
), b AS (
    INSERT INTO messaging_badgecount (uid, team_id, individual_id, type, count, timestamp, updated_at)
    SELECT gen_random_uuid(), %(team)s, n.individual_id, %(badge)s, 1, '', %(now)s FROM n
    ON CONFLICT (individual_id, type)
        DO UPDATE SET count = messaging_badgecount.count + 1, updated_at = EXCLUDED.updated_at
), d AS (
    INSERT INTO messaging_delivery (multicast_id, chunk_id, individual_id, user_id, channel, status, address, body,
        error, provider_id, attempts, created_at)
    SELECT %(multicast)s, c.id, v.individual_id, v.user_id, v.channel, 'queued', v.address, v.body, '', '', 0, %(now)s
    FROM c, json_to_recordset(%(deliveries)s::json)
        AS v(individual_id bigint, user_id bigint, channel text, address text, body text)
    RETURNING channel
)
UPDATE messaging_multicast
SET outstanding = outstanding + (SELECT count(*) FROM d), chunks_pending = chunks_pending - (SELECT count(*) FROM c)
WHERE id = %(multicast)s AND (SELECT v FROM s) IS NOT NULL
RETURNING (SELECT count(*) FROM c), outstanding, chunks_pending,
    (SELECT count(*) FROM d WHERE channel = 'push'), (SELECT count(*) FROM d WHERE channel = 'sms'),
    (SELECT count(*) FROM d WHERE channel = 'email')
"""


# ASYNC_COMMIT_NOTE: the fan-out write (and the outcome write of a send, deliveries.py) commits without waiting for
# the WAL flush (`synchronous_commit` off for that transaction only, set inside the same statement). A database crash
# can lose the last fraction of a second of such commits, and both are recovered: a lost fan-out leaves its chunk
# `pending` (fanned out again), a lost outcome leaves its deliveries `sending` (the sweeper asks the SMS backend).
# The claim before any provider call stays a synchronous commit: losing it could send a text twice.


def rows_json(rows: list[dict]) -> str:
    """Rows for `json_to_recordset`: one parameter however many rows (see `_write_postgresql`)."""
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def _write_postgresql(plan: Plan, chunk_id: int, rows: ChunkRows) -> Written | None:
    params = {
        "now": timezone.now(),
        "chunk": chunk_id,
        "team": plan.team_id,
        "multicast": plan.multicast_id,
        "category": plan.category,
        "badge": BadgeCount.NOTIFICATIONS,
        # The rows travel as one JSON text each (C-encoded here, parsed by json_to_recordset): arrays of text
        # parameters were quoted item by item in Python, the chunk's largest client-side cost after rendering.
        "notifications": rows_json(rows.notifications),
        "deliveries": rows_json(rows.deliveries),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_FANOUT_SQL, params)
        claimed, outstanding, pending, push, sms, email = cursor.fetchone()
    if not claimed:
        return None
    return Written({"push": push, "sms": sms, "email": email}, outstanding, pending)


def _write_portable(plan: Plan, chunk_id: int, rows: ChunkRows) -> Written | None:
    now = timezone.now()
    with transaction.atomic():
        claimed = MulticastChunk.objects.filter(pk=chunk_id, status=MulticastChunk.Status.PENDING).update(
            status=MulticastChunk.Status.PLANNED, planned_at=now
        )
        if not claimed:
            return None
        UserNotification.objects.bulk_create(
            [
                UserNotification(
                    team_id=plan.team_id,
                    multicast_id=plan.multicast_id,
                    chunk_id=chunk_id,
                    individual_id=r["individual_id"],
                    user_id=r["user_id"],
                    category=plan.category,
                    data=r["data"],
                )
                for r in rows.notifications
            ],
            batch_size=500,
        )
        badges_bump(team_id=plan.team_id, individual_ids=[r["individual_id"] for r in rows.notifications], by=1)
        Delivery.objects.bulk_create(
            [Delivery(multicast_id=plan.multicast_id, chunk_id=chunk_id, **r) for r in rows.deliveries],
            batch_size=500,
        )
        outstanding, pending = counters_move(
            multicast_id=plan.multicast_id, outstanding=len(rows.deliveries), chunks_pending=-1
        )
    per_channel = Counter(r["channel"] for r in rows.deliveries)
    return Written({c: per_channel.get(c, 0) for c in ("push", "sms", "email")}, outstanding, pending)


def badges_bump(*, team_id: int, individual_ids: list[int], by: int) -> None:
    """Add `by` to the `notifications` badge of each individual (rows made as needed; never below 0)."""
    if not individual_ids:
        return
    now = timezone.now()
    existing = set(
        BadgeCount.objects.filter(individual_id__in=individual_ids, type=BadgeCount.NOTIFICATIONS).values_list(
            "individual_id", flat=True
        )
    )
    if existing:
        BadgeCount.objects.filter(individual_id__in=existing, type=BadgeCount.NOTIFICATIONS).update(
            count=F("count") + by, updated_at=now
        )
    BadgeCount.objects.bulk_create(
        [
            BadgeCount(team_id=team_id, individual_id=i, type=BadgeCount.NOTIFICATIONS, count=max(by, 0))
            for i in individual_ids
            if i not in existing
        ],
        ignore_conflicts=True,
    )


def counters_move(*, multicast_id: int, outstanding: int = 0, chunks_pending: int = 0) -> tuple[int, int]:
    """Move the multicast's counters in one statement and return them as they now are."""
    table = Multicast._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET outstanding = outstanding + %s, chunks_pending = chunks_pending + %s "
            "WHERE id = %s RETURNING outstanding, chunks_pending",
            [outstanding, chunks_pending, multicast_id],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (0, 0)


# --- 3. the end ------------------------------------------------------------------------------------------------------


def finish_if_done(*, multicast_id: int) -> str | None:
    """Mark a sending multicast finished once every chunk is fanned out and no delivery is outstanding: `complete`,
    `partially-failed` (some failed) or `failed` (every one failed). Returns the new status, if it moved."""
    multicast = Multicast.objects.filter(pk=multicast_id, status=Multicast.Status.SENDING).first()
    if multicast is None or multicast.outstanding > 0 or multicast.chunks_pending > 0:
        return None
    statuses = Counter(Delivery.objects.filter(multicast_id=multicast_id).values_list("status", flat=True).order_by())
    failed = statuses.get(Delivery.Status.FAILED, 0)
    done = statuses.get(Delivery.Status.SENT, 0) + statuses.get(Delivery.Status.DELIVERED, 0)
    if failed and not done:
        status = Multicast.Status.FAILED
    elif failed:
        status = Multicast.Status.PARTIALLY_FAILED
    else:
        status = Multicast.Status.COMPLETE
    moved = Multicast.objects.filter(
        pk=multicast_id, status=Multicast.Status.SENDING, outstanding__lte=0, chunks_pending__lte=0
    ).update(status=status, finished_at=timezone.now())
    return status if moved else None
