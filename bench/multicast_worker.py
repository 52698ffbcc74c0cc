"""The Celery worker bench_multicast.py starts (twice): Crewdesk's own app and tasks, plus

- a statement counter: every SQL statement the worker runs (a wrapper on each new database connection) is added to
  a Redis counter after each task, so the bench reads the pipeline's queries exactly, whatever process ran them;
- the no-op pipeline: the same shape and chunking as a multicast (plan → one task per chunk on `multicast` → one
  send task per chunk on `sms`) with no database, no rendering and no SMS, the floor Celery itself sets.

    python bench/multicast_worker.py worker -Q multicast,sms --pool solo ...   (started by bench_multicast.py)
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import redis  # noqa: E402
from celery import signals  # noqa: E402

from config.celery import app  # noqa: E402

QUERIES_KEY = "bench:multicast:queries"
NOOP_DONE_KEY = "bench:multicast:noop-done"
_counted = {"n": 0}


def _redis():
    return redis.Redis.from_url(os.environ["BENCH_COUNTER_URL"])


def _count(execute, sql, params, many, context):
    _counted["n"] += 1
    return execute(sql, params, many, context)


@signals.worker_init.connect
def _install_counter(**_):
    from django.db.backends.signals import connection_created

    def wrap(sender, connection, **kwargs):
        if _count not in connection.execute_wrappers:
            connection.execute_wrappers.append(_count)

    connection_created.connect(wrap, weak=False)


@signals.task_postrun.connect
def _flush_counter(**_):
    if _counted["n"]:
        _redis().incrby(QUERIES_KEY, _counted["n"])
        _counted["n"] = 0


@app.task(name="bench.noop_plan", acks_late=True)
def noop_plan(total: int, chunk: int) -> int:
    for start in range(0, total, chunk):
        noop_chunk.apply_async(args=[start, min(chunk, total - start)], queue="multicast")
    return -(-total // chunk)


@app.task(name="bench.noop_chunk", acks_late=True)
def noop_chunk(start: int, size: int) -> None:
    noop_send.apply_async(args=[start, size], queue="sms")


@app.task(name="bench.noop_send", acks_late=True)
def noop_send(start: int, size: int) -> None:
    _redis().incrby(NOOP_DONE_KEY, size)


if __name__ == "__main__":
    app.worker_main(sys.argv[1:])
