"""The database floor of a multicast: what PostgreSQL alone needs to store and move the rows of N SMS recipients
(bench_multicast.py prints it beside the no-op pipeline and the real multicast).

The same tables, indexes and constraints, the same transactions per chunk as messaging.services.fanout and
deliveries (fan-out write with asynchronous commit; claim committed synchronously; outcome write asynchronous), the
same rows — one notification, one badge bump, one SMS delivery per recipient, the delivery claimed and then marked
sent — but nothing else: the message is rendered by PostgreSQL in the INSERT, no row travels to Python, no Celery,
no SMS backend. Two connections in two processes, chunks dealt alternately, like the bench's two workers.

So `recipients / floor seconds` bounds what any implementation of the pipeline can reach on this machine, and
`no-op seconds / floor seconds` bounds the ratio the issue asks about. The floor's rows are deleted afterwards
(badge counts keep their bump, as a real multicast's do).
"""

import multiprocessing
import time

import psycopg

_CHUNK_RECIPIENTS = """
SELECT m.id FROM accounts_membership m JOIN accounts_user u ON u.id = m.user_id
WHERE m.team_id = %s AND m.user_id <> %s AND u.phone_verified_at IS NOT NULL ORDER BY m.id
"""

_FANOUT = [
    "SET LOCAL synchronous_commit = off",
    """UPDATE messaging_multicastchunk SET status = 'planned', planned_at = now() WHERE id = %(chunk)s""",
    """INSERT INTO messaging_usernotification (uid, team_id, multicast_id, chunk_id, individual_id, user_id, category,
        data, acknowledged, active, created_at)
    SELECT gen_random_uuid(), %(team)s, %(multicast)s, %(chunk)s, m.id, m.user_id, '',
        jsonb_build_object('sms', jsonb_build_object('bodies', jsonb_build_array(
            'Hi ' || u.first_name || ', your shift starts 9:00.'))), false, true, now()
    FROM accounts_membership m JOIN accounts_user u ON u.id = m.user_id
    WHERE m.team_id = %(team)s AND m.id BETWEEN %(first)s AND %(last)s AND m.user_id <> %(owner)s""",
    """INSERT INTO messaging_badgecount (uid, team_id, individual_id, type, count, timestamp, updated_at)
    SELECT gen_random_uuid(), %(team)s, m.id, 'notifications', 1, '', now() FROM accounts_membership m
    WHERE m.team_id = %(team)s AND m.id BETWEEN %(first)s AND %(last)s AND m.user_id <> %(owner)s
    ON CONFLICT (individual_id, type) DO UPDATE SET count = messaging_badgecount.count + 1, updated_at = now()""",
    """INSERT INTO messaging_delivery (multicast_id, chunk_id, individual_id, user_id, channel, status, address, body,
        error, provider_id, attempts, created_at)
    SELECT %(multicast)s, %(chunk)s, m.id, m.user_id, 'sms', 'queued', u.phone,
        'Hi ' || u.first_name || ', your shift starts 9:00.', '', '', 0, now()
    FROM accounts_membership m JOIN accounts_user u ON u.id = m.user_id
    WHERE m.team_id = %(team)s AND m.id BETWEEN %(first)s AND %(last)s AND m.user_id <> %(owner)s""",
    """UPDATE messaging_multicast SET outstanding = outstanding + 1 WHERE id = %(multicast)s""",
]
_CLAIM = """UPDATE messaging_delivery SET status = 'sending', claimed_at = now(), attempts = attempts + 1
    WHERE chunk_id = %(chunk)s AND channel = 'sms' AND status = 'queued'"""
_OUTCOME = [
    "SET LOCAL synchronous_commit = off",
    """UPDATE messaging_delivery SET status = 'sent', provider_id = 'file-delivery-' || id, sent_at = now()
    WHERE chunk_id = %(chunk)s AND channel = 'sms' AND status = 'sending'""",
    """UPDATE messaging_multicast SET outstanding = outstanding - 1 WHERE id = %(multicast)s""",
]


def _worker(dsn: str, jobs: list[dict], start, done) -> None:
    with psycopg.connect(dsn) as conn:
        start.wait()
        for job in jobs:
            with conn.transaction():
                for statement in _FANOUT:
                    conn.execute(statement, job)
            with conn.transaction():
                conn.execute(_CLAIM, job)
            with conn.transaction():
                for statement in _OUTCOME:
                    conn.execute(statement, job)
    done.put(time.monotonic())


def database_floor(dsn: str, *, team_id: int, owner_id: int, multicast_id: int, chunk: int, connections: int = 2):
    """Seconds PostgreSQL needs for the rows of the team's multicast, and the recipients it covered. `multicast_id` is
    an existing multicast of the team: the floor hangs its rows on a copy of it, deleted at the end."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        ids = [row[0] for row in conn.execute(_CHUNK_RECIPIENTS, [team_id, owner_id])]
        scratch = conn.execute(
            """INSERT INTO messaging_multicast (uid, task_id, team_id, cancelled_at, created_by_id, individual_id,
                individual_group_id, message_template_id, parts, data, filter_value, channels, recipients_total,
                chunks_total, chunks_pending, outstanding, created_at, started_at, finished_at, template_id, source,
                status, filter_type, error)
            SELECT gen_random_uuid(), gen_random_uuid(), team_id, cancelled_at, created_by_id, individual_id,
                individual_group_id, message_template_id, parts, data, filter_value, channels, 0, 0, 0, 0, now(),
                now(), now(), template_id, 'bench-floor', 'complete', filter_type, ''
            FROM messaging_multicast WHERE id = %s RETURNING id""",
            [multicast_id],
        ).fetchone()[0]
        jobs = []
        for seq, first in enumerate(range(0, len(ids), chunk)):
            part = ids[first : first + chunk]
            chunk_id = conn.execute(
                """INSERT INTO messaging_multicastchunk (multicast_id, seq, first_member_id, last_member_id, size,
                    status, created_at) VALUES (%s, %s, %s, %s, %s, 'pending', now()) RETURNING id""",
                [scratch, seq, part[0], part[-1], len(part)],
            ).fetchone()[0]
            jobs.append(
                {"chunk": chunk_id, "multicast": scratch, "team": team_id, "owner": owner_id,
                 "first": part[0], "last": part[-1]}
            )  # fmt: skip
    context = multiprocessing.get_context("fork")
    start, done = context.Event(), context.Queue()
    processes = [
        context.Process(target=_worker, args=(dsn, jobs[n::connections], start, done)) for n in range(connections)
    ]
    for process in processes:
        process.start()
    time.sleep(0.5)  # every connection open before the clock starts
    started = time.monotonic()
    start.set()
    finished = max(done.get(timeout=600) for _ in processes)
    for process in processes:
        process.join()
    with psycopg.connect(dsn, autocommit=True) as conn:
        for table in ("messaging_delivery", "messaging_usernotification", "messaging_multicastchunk"):
            conn.execute(f"DELETE FROM {table} WHERE multicast_id = %s", [scratch])  # the names are fixed here
        conn.execute("DELETE FROM messaging_multicast WHERE id = %s", [scratch])
    return finished - started, len(ids)
