"""The read paths against ping, in one run, driven by wrk (issue 10; DESIGN.md §6) — what `make bench` runs.

Seeds a "Bench …" team (owner, API key, tada token, --shifts shifts: half assigned and published, a request by the
owner on a quarter) and measures, in alternating rounds, each against `GET /api/v3/ping` of the same server:

- `GET /api/v1/me` (tommy, `Api-Key` header)                          goal >= 0.6x ping
- `GET /api/v3/me` (tada, `token` header)                             goal >= 0.6x ping
- `GET /api/v1/workforce/manager/shifts?per=100`, computed             goal >= 0.25x ping
- the same list answered from the warm Redis response cache          goal >= 0.5x ping

Two servers run side by side (an idle one costs nothing): [redis] with the environment as given (REDIS_URL: the
production configuration) serves ping, both /me and the warm list; [computed] is the same with SHIFT_LIST_CACHE=0,
so every list request is computed (workforce/services/shift_cache.py). Without REDIS_URL one [local] server answers
everything: the list cache and the credential cache need Redis, so they are off, and the warm-cache target is
skipped.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/crewdesk_bench REDIS_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python bench/bench_reads.py [--seconds 10] [--rounds 3] [--only me]

A missed goal prints MISS; any non-2xx answer or socket error exits non-zero.
"""

import argparse
import secrets
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

SETUP = """
import datetime, json
from django.db import connection
from django.utils import timezone
from accounts.models import Membership, Team, User
from accounts.services.credentials import api_key_create, auth_token_issue
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
if connection.vendor == "postgresql":  # statistics and visibility map after the bulk load, as autovacuum gives them
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
print(json.dumps({{"api_key": api_key_create(team=team, created_by=user, name="bench")[1],
                  "token": auth_token_issue(user=user)[1]}}))
"""

REDIS, COMPUTED, LOCAL = "redis", "computed", "local"


@dataclass
class Read:
    """A read target: which server answers it, its request, and its goal as a ratio to that server's ping."""

    label: str
    server: str
    path: str
    headers: dict
    goal: float


def reads(args: argparse.Namespace, creds: dict, *, redis: bool) -> list[Read]:
    """The issue's targets; /me on the production server ([redis] when REDIS_URL is set, else [local])."""
    main = REDIS if redis else LOCAL
    shifts = f"/api/v1/workforce/manager/shifts?per={args.per}"
    key, token = {"Api-Key": creds["api_key"]}, {"token": creds["token"]}
    listed = [
        Read("GET /api/v1/me", main, "/api/v1/me", key, 0.6),
        Read("GET /api/v3/me", main, "/api/v3/me", token, 0.6),
        Read(f"GET {shifts} computed", COMPUTED if redis else LOCAL, shifts, key, 0.25),
    ]
    if redis:
        listed.append(Read(f"GET {shifts} warm cache", REDIS, shifts, key, 0.5))
    else:
        print(f"skipped: GET {shifts} warm cache (needs REDIS_URL)")
    return [read for read in listed if args.only is None or args.only.lower() in read.label.lower()]


def targets_of(selected: list[Read], servers: dict[str, harness.Server]) -> list[harness.Target]:
    """Per server, its ping then its reads: one round runs them all in this order."""
    targets = []
    for name, server in servers.items():
        ping = f"GET {harness.PING} [{name}]"
        targets.append(harness.ping_target(server, ping))
        targets += [
            harness.Target(
                label=f"{read.label} [{name}]",
                url=server.url(read.path),
                script=harness.fixed(harness.lua_script(headers=read.headers)),
                baseline=ping,
                goal=read.goal,
            )
            for read in selected
            if read.server == name
        ]
    return targets


def count_queries(selected: list[Read], servers: dict[str, harness.Server]) -> dict:
    """Queries of one warm request of each target (and of each ping) with its server's environment."""
    counts = {}
    for name, server in servers.items():
        probes = [harness.Probe(f"GET {harness.PING} [{name}]", harness.PING)]
        mine = [read for read in selected if read.server == name]
        probes += [harness.Probe(f"{read.label} [{name}]", read.path, headers=read.headers) for read in mine]
        counts.update(harness.query_counts(server.env, probes))
    return counts


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    harness.add_load_arguments(parser, rounds=3)
    parser.add_argument("--shifts", type=int, default=1000, help="shifts in the bench team (default 1000)")
    parser.add_argument("--per", type=int, default=100, help="page size of the shift list (default 100)")
    parser.add_argument("--only", help="run only the targets whose label contains this (case-insensitive)")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    harness.ensure_wrk()
    tmp = Path(tempfile.mkdtemp(prefix="crewdesk-bench-"))
    env = harness.server_env(tmp)
    envs = {REDIS: env, COMPUTED: harness.without_list_cache(env)} if env.get("REDIS_URL") else {LOCAL: env}
    servers: dict[str, harness.Server] = {}
    try:
        harness.manage(env, "migrate", "--no-input", "-v", "0")
        creds = harness.shell_json(env, SETUP.format(tag=secrets.token_hex(4), shifts=args.shifts))
        selected = reads(args, creds, redis=REDIS in envs)
        if not selected:
            sys.exit(f"no target matches --only {args.only!r}")
        for name in dict.fromkeys(read.server for read in selected):
            servers[name] = harness.start_gunicorn(envs[name], args.workers, name)
        targets = targets_of(selected, servers)
        load = harness.Load(args.threads, args.connections, args.seconds, args.rounds, tmp)
        measured = harness.measure(targets, load)
        queries = count_queries(selected, servers)
        harness.print_header(list(servers.values()), args)
        print(f"data       {args.shifts} shifts in the team, page of {args.per}")
        print("queries    per request: the third of three identical requests (django.test.Client, server settings)")
        harness.print_results(targets, measured.best, queries)
        harness.exit_if_failed(measured.runs, queries)
    finally:
        for server in servers.values():
            harness.stop_gunicorn(server)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
