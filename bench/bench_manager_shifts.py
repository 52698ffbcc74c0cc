"""Requests/s of GET /api/v1/workforce/manager/shifts?per=100 (1,000 shifts in the team) against GET /api/v3/ping,
measured in one run (DESIGN.md §6, issue 4: target ≥ 0.25× ping on PostgreSQL).

Same harness as bench_ping_me.py (its helpers are reused): its own gunicorn (2 sync workers, DEBUG off) on a free port
of 127.0.0.1, against PostgreSQL when DATABASE_URL is set (migrated first; a "Bench …" team with its shifts is
added) or a migrated temporary SQLite file otherwise. Half the shifts are assigned and published, a quarter have a
request by the owner, so both per-caller flags are really computed.

    .venv/bin/python bench/bench_manager_shifts.py [--shifts 1000] [--per 100] [--requests 2000] [--threads 8]
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ping_me import Rate, Target, add_run_arguments, manage, measure, request, server_env, start_gunicorn

SETUP = """
import datetime, json
from django.utils import timezone
from accounts.models import Membership, Team, User
from accounts.services.credentials import api_key_create
from workforce.models import Event, Shift, ShiftRequest
user = User.objects.create_user(email="bench-{tag}@example.com", password=None, first_name="Bench", last_name="Owner")
team = Team.objects.create(name="Bench {tag}", slug="bench-{tag}", created_by=user)
Membership.objects.create(team=team, user=user, status=Membership.Status.OWNER, is_manager=True)
start = timezone.now().replace(minute=0, second=0, microsecond=0)
hours = datetime.timedelta(hours=1)
events = Event.objects.bulk_create([
    Event(team=team, user=user, kind="shift", title=f"Shift {{n}}", start_at=start + 6 * n * hours,
          end_at=start + (6 * n + 5) * hours)
    for n in range({shifts})
])
shifts = Shift.objects.bulk_create([
    Shift(team=team, user=user, event=event, title=event.title, start_at=event.start_at, end_at=event.end_at,
          assignee=user if n % 2 else None, status="published" if n % 2 else "open", location_id=n,
          location_name="Downtown", role="Chef", department="Kitchen", details="Bring knives", data={{"n": n}})
    for n, event in enumerate(events)
])
ShiftRequest.objects.bulk_create([
    ShiftRequest(team=team, shift=shift, user=user, requestor=user)
    for shift in shifts[::4]
    if shift.assignee_id is None
])
from django.db import connection
if connection.vendor == "postgresql":  # fresh planner statistics after the bulk load, as autovacuum would give
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
print(json.dumps({{"api_key": api_key_create(team=team, created_by=user, name="bench")[1]}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shifts", type=int, default=1000, help="shifts in the bench team")
    parser.add_argument("--per", type=int, default=100, help="page size of the shifts list")
    add_run_arguments(parser)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="crewdesk-bench-"))
    env = server_env(tmp)
    database = env["DATABASE_URL"].split("@")[-1]
    server = None
    try:
        manage(env, "migrate", "--no-input", "-v", "0")
        script = SETUP.format(tag=secrets.token_hex(4), shifts=args.shifts)
        creds = json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])
        server, port = start_gunicorn(env, args.workers)
        ping = Target("GET /api/v3/ping", "/api/v3/ping", {})
        shifts = Target(
            f"GET /api/v1/workforce/manager/shifts?per={args.per}",
            f"/api/v1/workforce/manager/shifts?per={args.per}",
            {"Api-Key": creds["api_key"]},
        )
        status, conn = request(port, shifts.path, shifts.headers, None)
        if conn is not None:
            conn.close()
        if status != 200:
            sys.exit(f"{shifts.path} answered {status}")
        for target in (ping, shifts):  # warm both workers' imports, connections and caches
            measure(port, target, total=200, threads=args.threads, max_seconds=10)
        best: dict[str, Rate] = {}
        for _ in range(args.rounds):
            for target in (ping, shifts):
                rate = measure(port, target, total=args.requests, threads=args.threads, max_seconds=args.max_seconds)
                if target.label not in best or rate.per_second > best[target.label].per_second:
                    best[target.label] = rate
        print(f"gunicorn {args.workers} sync workers, {args.threads} client threads, database {database}")
        cached = "on (Redis, warm hits)" if env.get("REDIS_URL") else "off (no REDIS_URL: LocMem is per process)"
        print(f"{args.shifts} shifts in the team, page of {args.per}, shift-list response cache {cached}")
        for target in (ping, shifts):
            rate = best[target.label]
            print(f"{target.label:<64} {rate.per_second:8.0f} req/s  ({rate.done} ok, {rate.errors} errors)")
        ratio = best[shifts.label].per_second / best[ping.label].per_second
        print(f"ratio manager shifts : ping = {ratio:.2f}x  (target >= 0.25x on PostgreSQL)")
        if any(rate.errors for rate in best.values()):
            sys.exit("some requests failed")
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
