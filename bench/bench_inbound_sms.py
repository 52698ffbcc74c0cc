"""Inbound SMS ingestion against ping, in one run, driven by wrk (issue 12; DESIGN.md §6).

Starts its own gunicorn (the helpers of bench_ping_me.py: 2 sync workers, DEBUG off, PostgreSQL when DATABASE_URL is
set, else a temporary SQLite file; the broker is REDIS_URL when set, else a file broker in a temporary folder), makes
a team with a text account and a number, then runs wrk against `GET /api/v3/ping` and against the number's inbound
webhook `POST /courier/v1/text-account-numbers/{id}/inbound/` (Twilio's form fields; every request a new MessageSid,
and every tenth one a retry of the previous MessageSid, as a provider retries). It prints both rates, their ratio
(target >= 0.3x ping), p50/p99 latency, and checks that the stored messages equal the distinct MessageSids sent.

    .venv/bin/python bench/bench_inbound_sms.py [--seconds 10] [--connections 8] [--threads 2] [--rounds 2]

Needs wrk (Debian: `apt-get install -y wrk`). With REDIS_URL, processing tasks pile up in that Redis database's
`sms` queue (no worker runs): they are purged at the end, so give the bench a Redis database of its own.
"""

import argparse
import json
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ping_me import manage, server_env, start_gunicorn, stop_gunicorn

SETUP = """
import json
from accounts.models import Membership, Team, User
from messaging.services import numbers, text_account_create
user = User.objects.create_user(email="bench-sms-{tag}@example.com", first_name="Bench", last_name="Owner")
team = Team.objects.create(name="Bench SMS {tag}", created_by=user)
Membership.objects.create(team=team, user=user, status=Membership.Status.OWNER, is_manager=True)
number = numbers.text_number_provision(account=text_account_create(team_id=team.pk), area_code="303")
print(json.dumps({{"uid": str(number.uid), "phone": number.phone_number}}))
"""

COUNT = """
from messaging.models import InboundText
print(InboundText.objects.filter(number__uid="{uid}").count())
"""

PURGE = """
from config.celery import app
with app.connection_for_write() as conn:
    print(app.control.purge(connection=conn))
"""

RESULT_LINE = """  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(99)))
"""

SUMMARY = "function done(summary, latency, requests)\n" + RESULT_LINE + "end\n"

# Each wrk thread numbers its own MessageSids; `distinct` counts the new ones it generated (a retry is not new).
INBOUND = (
    """
counter, distinct, prefix = 0, 0, ""
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  prefix = string.format("SM%s%04d", "RUN", id)
end
function request()
  counter = counter + 1
  local n = counter
  if counter % 10 == 0 then n = counter - 1 else distinct = distinct + 1 end
  local body = string.format("MessageSid=%s%022d&From=%%2B12025550177&To=TO&Body=yes", prefix, n)
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("distinct")
    io.write(string.format("THREAD %s %d\\n", thread:get("prefix"), thread:get("counter")))
  end
  io.write(string.format("DISTINCT %d\\n", total))
"""
    + RESULT_LINE
    + "end\n"
)


@dataclass
class WrkRun:
    requests: int
    seconds: float
    errors: int
    bad_status: int
    p50_ms: float
    p99_ms: float
    distinct: int = 0
    tails: list = None  # (MessageSid prefix, last counter) of each wrk thread

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk(url: str, script: str, *, seconds: float, connections: int, threads: int, tmp: Path) -> WrkRun:
    path = tmp / f"bench-{secrets.token_hex(4)}.lua"
    path.write_text(script)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "-s", str(path), url]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", result.stdout)
    if result.returncode or not found:
        sys.exit(f"wrk failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    requests, duration_us, errors, bad_status, p50_us, p99_us = (int(v) for v in found.groups())
    distinct = re.search(r"DISTINCT (\d+)", result.stdout)
    return WrkRun(
        requests=requests,
        seconds=duration_us / 1e6,
        errors=errors,
        bad_status=bad_status,
        p50_ms=p50_us / 1000,
        p99_ms=p99_us / 1000,
        distinct=int(distinct.group(1)) if distinct else 0,
        tails=[(prefix, int(counter)) for prefix, counter in re.findall(r"THREAD (\S+) (\d+)", result.stdout)],
    )


def resend_tails(port: int, path: str, to: str, runs: list[WrkRun], connections: int) -> int:
    """wrk stops mid-flight: a thread's last requests (at most one per connection) may have been generated and
    never answered; and wrk calls the first thread's request() once to check the script, a request it never sends.
    Send each thread's first and last `connections` MessageSids again, as a provider retries; after that, every
    MessageSid generated has reached the server, and a retry stores nothing new."""
    sent = 0
    conn = None
    for run in runs:
        for prefix, counter in run.tails or []:
            for n in sorted({1, *range(max(1, counter - connections), counter + 1)}):
                if n % 10 == 0:
                    continue  # wrk sent n - 1 again instead of a new n
                body = urlencode({"MessageSid": f"{prefix}{n:022d}", "From": "+12025550177", "To": to, "Body": "yes"})
                status, conn = post(port, path, body, conn)
                if status != 200:
                    sys.exit(f"a tail retry answered {status}")
                sent += 1
    return sent


def post(port: int, path: str, body: str, conn):
    import http.client

    if conn is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    return response.status, conn


def arguments(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seconds", type=float, default=10, help="length of one wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; the best rate of each counts")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    return parser.parse_args()


def alternate(ping_url: str, inbound_url: str, script_for, *, args, tmp: Path):
    """A 2 s warm-up of each, then `args.rounds` alternating runs of ping and the inbound webhook
    (`script_for(run name)` gives the inbound Lua script): (every run as (label, WrkRun), the best run of each)."""
    load = {"connections": args.connections, "threads": args.threads, "tmp": tmp}
    runs = [("ping", wrk(ping_url, SUMMARY, seconds=2, **load))]  # warm-up of both workers
    runs.append(("inbound", wrk(inbound_url, script_for("w0"), seconds=2, **load)))
    best: dict[str, WrkRun] = {}
    for round_no in range(args.rounds):
        for label, url in (("ping", ping_url), ("inbound", inbound_url)):
            script = SUMMARY if label == "ping" else script_for(f"r{round_no}")
            run = wrk(url, script, seconds=args.seconds, **load)
            runs.append((label, run))
            if label not in best or run.per_second > best[label].per_second:
                best[label] = run
    return runs, best


def report(*, args, env: dict, database: str, best: dict, inbound_label: str) -> None:
    broker = "redis" if env.get("REDIS_URL") else "file"
    print(
        f"gunicorn {args.workers} sync workers, wrk {args.threads} threads x {args.connections} connections, "
        f"{args.seconds:g} s runs, database {database}, broker {broker}"
    )
    for label, path in (("ping", "GET /api/v3/ping"), ("inbound", inbound_label)):
        run = best[label]
        print(
            f"{path:<44} {run.per_second:8.0f} req/s  p50 {run.p50_ms:6.1f} ms  p99 {run.p99_ms:6.1f} ms  "
            f"({run.requests} done, {run.errors} socket errors, {run.bad_status} non-2xx)"
        )
    ratio = best["inbound"].per_second / best["ping"].per_second
    print(f"ratio inbound : ping = {ratio:.2f}x  (target >= 0.3x)")


def inbound_script(*, to: str, run: str) -> str:
    return INBOUND.replace("RUN", run).replace("TO", to.replace("+", "%%2B"))


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install -y wrk)")
    args = arguments(__doc__.split("\n\n")[0])

    tmp = Path(tempfile.mkdtemp(prefix="crewdesk-bench-"))
    env = server_env(tmp)
    database = env["DATABASE_URL"].split("@")[-1]
    server = None
    try:
        manage(env, "migrate", "--no-input", "-v", "0")
        number = json.loads(manage(env, "shell", "-c", SETUP.format(tag=secrets.token_hex(4))).strip().splitlines()[-1])
        server, port = start_gunicorn(env, args.workers)
        base = f"http://127.0.0.1:{port}"
        ping_url = f"{base}/api/v3/ping"
        inbound_url = f"{base}/courier/v1/text-account-numbers/{number['uid']}/inbound/"
        runs, best = alternate(
            ping_url, inbound_url, lambda name: inbound_script(to=number["phone"], run=name), args=args, tmp=tmp
        )
        inbound_runs = [run for label, run in runs if label == "inbound"]
        inbound_path = f"/courier/v1/text-account-numbers/{number['uid']}/inbound/"
        resend_tails(port, inbound_path, number["phone"], inbound_runs, args.connections)
        distinct = sum(run.distinct for run in inbound_runs)
        stored = int(manage(env, "shell", "-c", COUNT.format(uid=number["uid"])).strip().splitlines()[-1])
        report(
            args=args, env=env, database=database, best=best, inbound_label="POST …/text-account-numbers/{id}/inbound/"
        )
        print(f"stored messages {stored}, distinct MessageSids sent {distinct} (every 10th request was a retry)")
        if stored != distinct:
            sys.exit("stored messages differ from the distinct webhooks sent")
        failed = [label for label, run in runs if run.errors or run.bad_status]
        if failed:
            sys.exit(f"requests failed in: {', '.join(failed)}")
    finally:
        stop_gunicorn(server)
        if env.get("REDIS_URL"):
            manage(env, "shell", "-c", PURGE)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
