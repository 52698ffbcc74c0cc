"""Requests/s of GET /api/v1/workforce/manager/shifts?per=100 (1,000 shifts in the team) against GET /api/v3/ping,
measured in one run (DESIGN.md §6, issue 4: target ≥ 0.25× ping on PostgreSQL). With REDIS_URL set it measures two
servers: every request computed (no shared cache), then warm hits of the Redis shift-list response cache.

Same harness as bench_ping_me.py (its helpers are reused): its own gunicorn (2 sync workers, DEBUG off) on a free port
of 127.0.0.1, against PostgreSQL when DATABASE_URL is set (migrated first; a "Bench …" team with its shifts is
added) or a migrated temporary SQLite file otherwise. Half the shifts are assigned and published, a quarter have a
request by the owner, so both per-caller flags are really computed.

    .venv/bin/python bench/bench_manager_shifts.py [--shifts 1000] [--per 100] [--requests 2000] [--threads 8]
"""

import argparse
import json
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ping_me import (
    Rate,
    Target,
    add_run_arguments,
    manage,
    measure,
    request,
    server_env,
    start_gunicorn,
    stop_gunicorn,
)

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


def measure_server(env: dict, args, api_key: str) -> tuple[Rate, Rate]:
    """Start gunicorn with `env`, warm it up, and return the best ping and shift-list rates of `args.rounds`."""
    server = None
    try:
        server, port = start_gunicorn(env, args.workers)
        ping = Target("GET /api/v3/ping", "/api/v3/ping", {})
        path = f"/api/v1/workforce/manager/shifts?per={args.per}"
        shifts = Target(f"GET {path}", path, {"Api-Key": api_key})
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
        return best[ping.label], best[shifts.label]
    finally:
        stop_gunicorn(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shifts", type=int, default=1000, help="shifts in the bench team")
    parser.add_argument("--per", type=int, default=100, help="page size of the shifts list")
    add_run_arguments(parser)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="crewdesk-bench-"))
    env = server_env(tmp)
    database = env["DATABASE_URL"].split("@")[-1]
    # Without a shared cache every request is computed; with REDIS_URL the same bench runs a second server whose
    # repeated URL is served from the shift-list response cache (warm hits). Both are printed.
    modes = [("computed (no shared cache)", {k: v for k, v in env.items() if k != "REDIS_URL"})]
    if env.get("REDIS_URL"):
        modes.append(("Redis list cache, warm hits", env))
    try:
        manage(env, "migrate", "--no-input", "-v", "0")
        script = SETUP.format(tag=secrets.token_hex(4), shifts=args.shifts)
        creds = json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])
        results = [(label, *measure_server(mode_env, args, creds["api_key"])) for label, mode_env in modes]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"gunicorn {args.workers} sync workers, {args.threads} client threads, database {database}")
    print(f"{args.shifts} shifts in the team, page of {args.per}")
    failed = False
    for label, ping, shifts in results:
        print(f"-- {label}")
        list_label = f"GET /api/v1/workforce/manager/shifts?per={args.per}"
        for name, rate in (("GET /api/v3/ping", ping), (list_label, shifts)):
            print(f"{name:<64} {rate.per_second:8.0f} req/s  ({rate.done} ok, {rate.errors} errors)")
        print(f"ratio manager shifts : ping = {shifts.per_second / ping.per_second:.2f}x  (target >= 0.25x)")
        failed = failed or bool(ping.errors or shifts.errors)
    if failed:
        sys.exit("some requests failed")


if __name__ == "__main__":
    main()
