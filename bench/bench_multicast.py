"""A 100,000-recipient SMS multicast end to end against the same chunking through a no-op Celery pipeline, in one run
(issue 13; DESIGN.md §4 and §6). Self-contained: it needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL, a database
of its own: its queues are purged), and starts its own two worker processes (bench/multicast_worker.py, solo pool,
queues `multicast` and `sms`, the `file` SMS backend into a temporary file).

1. Migrates the database and makes (once; reused by later runs) the "Bench multicast" team: N members with verified
   phones, and an SMS template taking `first_name` and `start`.
2. No-op pipeline: plan → one task per chunk of --chunk on `multicast` → one send task per chunk on `sms`, doing no
   database work, no rendering and no SMS: recipients/s of the Celery floor.
3. The multicast: `multicast_send(…, channels=["sms"])` in this process (the create's statements are counted here),
   then the workers plan, fan out and text; timed until the multicast is `complete`. Every SQL statement the workers
   run is counted (multicast_worker.py). Then the SMS file is read: every recipient must be in it exactly once.

4. The database floor (bench/multicast_floor.py): the same rows written and moved by SQL alone on two connections (no
   Python per recipient, no Celery, no SMS): what any implementation of the pipeline needs from PostgreSQL here, so
   `no-op seconds / floor seconds` is the highest ratio this machine allows.

Prints recipients/s of the three, the ratio, its ceiling, the statements per 100 recipients and the load average.
Targets: ≥ 5,000 recipients/s, ≥ 0.5× the no-op pipeline, ≤ 1 statement per 100 recipients; exit status 1 when a
recipient is missing or texted twice.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/crewdesk_bench_multicast REDIS_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python bench/bench_multicast.py [--recipients 100000] [--chunk 500] [--rounds 1]
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, describe_database
from multicast_floor import database_floor

sys.path.insert(0, str(ROOT))

TEAM_NAME = "Bench multicast"
TEMPLATE_ID = "bench-reminder"


def environment(args, sms_path: Path) -> dict:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench_multicast: set DATABASE_URL to a PostgreSQL database of its own (crewdesk_bench_multicast)")
    if not os.environ.get("REDIS_URL"):
        sys.exit("bench_multicast: set REDIS_URL to a Redis database of its own (its queues are purged)")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-" + secrets.token_hex(24),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SMS_BACKEND": "file",
        "SMS_FILE_PATH": str(sms_path),
        "EMAIL_BACKEND": "dummy",  # a server with DEBUG off names its mail and push backends; this run sends SMS only
        "PUSH_BACKEND": "dummy",
        "MULTICAST_CHUNK_SIZE": str(args.chunk),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "BENCH_COUNTER_URL": os.environ["REDIS_URL"],
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    return env


def setup_data(recipients: int):
    """The bench team (reused): `recipients` members with verified phones, and the template."""
    from django.utils import timezone

    from accounts.models import Membership, Team, User
    from messaging.models import MessageTemplate

    owner, _ = User.objects.get_or_create(
        email="bench-mc-owner@example.com", defaults={"slug": "bench-mc-owner", "first_name": "Bench"}
    )
    team, _ = Team.objects.get_or_create(slug="bench-multicast", defaults={"name": TEAM_NAME, "created_by": owner})
    Membership.objects.get_or_create(
        team=team, user=owner, defaults={"status": Membership.Status.OWNER, "is_manager": True}
    )
    have = Membership.objects.filter(team=team).exclude(user=owner).count()
    now = timezone.now()
    batch = 5000
    for start in range(have, recipients, batch):
        users = User.objects.bulk_create(
            User(
                email=f"bench-mc-{n}@example.com",
                phone=f"+1404{n:07d}",
                slug=f"bench-mc-{n}",
                first_name=f"Person{n}",
                status=User.Status.ACTIVE,
                phone_verified_at=now,
                password="!",
                notification_channels=["sms"],
            )
            for n in range(start, min(start + batch, recipients))
        )
        Membership.objects.bulk_create(Membership(team=team, user=user) for user in users)
        print(f"  made {start + len(users)} of {recipients} people", flush=True)
    MessageTemplate.objects.get_or_create(
        team=team,
        template_id=TEMPLATE_ID,
        defaults={"name": "Bench reminder", "sms_body": "Hi {{ first_name }}, your shift starts {{ start }}."},
    )
    return team, owner


def start_workers(env: dict, count: int, log_dir: Path) -> list[subprocess.Popen]:
    from config.celery import app

    with app.connection_for_write() as conn:
        app.control.purge(connection=conn)
    processes = []
    for n in range(count):
        log = (log_dir / f"worker{n}.log").open("wb")
        command = [
            sys.executable, str(ROOT / "bench" / "multicast_worker.py"), "worker", "-Q", "multicast,sms",
            "--pool", "solo", "-n", f"bench-mc-{n}-{os.getpid()}@%h", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "--loglevel", "info",
        ]  # fmt: skip
        processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        logs = [(log_dir / f"worker{n}.log").read_text(errors="replace") for n in range(count)]
        if all(" ready." in text for text in logs):
            return processes
        if any(p.poll() is not None for p in processes):
            break
        time.sleep(0.2)
    stop_workers(processes)
    sys.exit("bench_multicast: the workers did not start:\n" + "\n".join(logs)[-4000:])


def stop_workers(processes) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def noop_round(recipients: int, chunk: int) -> float:
    import redis
    from multicast_worker import NOOP_DONE_KEY, noop_plan

    counter = redis.Redis.from_url(os.environ["REDIS_URL"])
    counter.delete(NOOP_DONE_KEY)
    started = time.monotonic()
    noop_plan.apply_async(args=[recipients, chunk], queue="multicast")
    while int(counter.get(NOOP_DONE_KEY) or 0) < recipients:
        time.sleep(0.01)
    return time.monotonic() - started


def multicast_round(team, owner, sms_path: Path, timeout: float) -> dict:
    import redis
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from multicast_worker import QUERIES_KEY

    from messaging.models import Multicast
    from messaging.services.multicasts import multicast_send

    counter = redis.Redis.from_url(os.environ["REDIS_URL"])
    counter.delete(QUERIES_KEY)
    sms_path.unlink(missing_ok=True)
    started = time.monotonic()
    with CaptureQueriesContext(connection) as create_queries, transaction.atomic():
        multicast = multicast_send(
            team=team, template_id=TEMPLATE_ID, params={"start": "9:00"}, by=owner, channels=["sms"]
        )
    answered = time.monotonic() - started
    status = Multicast.Status.PENDING
    while time.monotonic() - started < timeout:
        status = Multicast.objects.filter(pk=multicast.pk).values_list("status", flat=True).get()
        if status in Multicast.FINISHED:
            break
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    time.sleep(0.5)  # the last task's counter flush follows its result
    multicast.refresh_from_db()
    return {
        "multicast": multicast,
        "status": status,
        "elapsed": elapsed,
        "answered": answered,
        "worker_queries": int(counter.get(QUERIES_KEY) or 0),
        "create_queries": len(create_queries.captured_queries),
    }


def check_file(sms_path: Path, team) -> tuple[int, int, int]:
    """(lines, distinct references, recipients missing or texted twice)."""
    from accounts.models import Membership

    lines = sms_path.read_text().splitlines() if sms_path.exists() else []
    references = Counter()
    phones = Counter()
    for line in lines:
        message = json.loads(line)
        references[message["reference"]] += 1
        phones[message["to"]] += 1
    reachable = Membership.objects.filter(team=team, user__phone__isnull=False, user__phone_verified_at__isnull=False)
    expected = set(reachable.values_list("user__phone", flat=True))
    wrong = len(expected ^ set(phones)) + sum(1 for n in phones.values() if n != 1)
    return len(lines), len(references), wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1, help="alternating no-op / multicast rounds; best kept")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--no-floor", action="store_true", help="skip the database floor")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="crewdesk-bench-multicast-"))
    sms_path = work / "sms.jsonl"
    env = environment(args, sms_path)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    team, owner = setup_data(args.recipients)
    load_before = os.getloadavg()
    workers = start_workers(env, args.workers, work)
    try:
        noop_times, runs = [], []
        for _ in range(args.rounds):
            noop_times.append(noop_round(args.recipients, args.chunk))
            run = multicast_round(team, owner, sms_path, args.timeout)
            run["lines"], run["distinct"], run["wrong"] = check_file(sms_path, team)
            runs.append(run)
        load_after = os.getloadavg()
    finally:
        stop_workers(workers)
    floor = None
    if not args.no_floor:
        floor, covered = database_floor(
            env["DATABASE_URL"], team_id=team.pk, owner_id=owner.pk, multicast_id=runs[-1]["multicast"].pk,
            chunk=args.chunk, connections=args.workers,
        )  # fmt: skip

    best = min(runs, key=lambda r: r["elapsed"])
    noop = min(noop_times)
    rate = args.recipients / best["elapsed"]
    noop_rate = args.recipients / noop
    queries = best["worker_queries"] + best["create_queries"]
    print(f"database {describe_database(env)}, {args.workers} worker "
          f"processes (solo pool, queues multicast+sms), chunks of {args.chunk}, file SMS backend")  # fmt: skip
    print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f}, after {load_after[0]:.2f} "
          f"{load_after[1]:.2f} (on {os.cpu_count()} cores)")  # fmt: skip
    print(f"no-op pipeline      {noop_rate:10.0f} recipients/s  ({args.recipients} in {noop:.2f} s)")
    print(f"SMS multicast       {rate:10.0f} recipients/s  ({args.recipients} in {best['elapsed']:.2f} s, "
          f"answered in {best['answered'] * 1000:.0f} ms, status {best['status']})")  # fmt: skip
    print(f"ratio multicast : no-op = {rate / noop_rate:.2f}x  (target >= 0.5x)")
    if floor is not None:
        print(f"database floor      {covered / floor:10.0f} recipients/s  ({covered} in {floor:.2f} s: the same rows "
              f"by SQL alone on {args.workers} connections)")  # fmt: skip
        print(f"ratio ceiling here  = no-op / floor = {noop / floor:.2f}x;  multicast reaches "
              f"{floor / best['elapsed']:.2f}x of the floor")  # fmt: skip
    print(f"database statements: {queries} ({best['create_queries']} to create, {best['worker_queries']} in the "
          f"workers) = {queries / args.recipients * 100:.2f} per 100 recipients  (target <= 1)")  # fmt: skip
    print(f"recipients/s target >= 5000: {'met' if rate >= 5000 else 'NOT met'}")
    for n, run in enumerate(runs, 1):
        print(f"round {n}: {run['elapsed']:.2f} s; SMS file: {run['lines']} lines, {run['distinct']} distinct "
              f"deliveries, {run['wrong']} recipients missing or texted twice")  # fmt: skip
    ok = all(r["wrong"] == 0 and r["lines"] == args.recipients and r["status"] == "complete" for r in runs)
    print("every recipient exactly once: " + ("yes" if ok else "NO"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
