"""Inbox inbound ingestion against ping, in one run, driven by wrk (issue 15; DESIGN.md §6).

Starts its own gunicorn (the helpers of bench_ping_me.py: 2 sync workers, DEBUG off, PostgreSQL when DATABASE_URL is
set, else a temporary SQLite file; the broker is REDIS_URL when set, else a file broker in a temporary folder), makes
a team with a sandbox channel, then runs wrk against `GET /api/v3/ping` and against the channel's provider webhook
`POST /inbox/v3/providers/sandbox/{uid}` (a customer's JSON message; every request a new provider id, and every tenth
one a retry of the previous id, as a provider retries). The webhook's work in the request is the same as WhatsApp's
(one INSERT ignoring a stored id, then the processing task is queued); WhatsApp's only adds the HMAC check of the
body, which wrk's Lua cannot compute. It prints both rates, their ratio (target >= 0.3x ping), p50/p99 latency, and
checks that the stored events equal the distinct ids sent (none lost, none duplicated).

    .venv/bin/python bench/bench_inbox_inbound.py [--seconds 10] [--connections 8] [--threads 2] [--rounds 2]

Needs wrk (Debian: `apt-get install -y wrk`). With REDIS_URL, processing tasks pile up in that Redis database's
`default` queue (no worker runs): they are purged at the end, so give the bench a Redis database of its own.
"""

import http.client
import json
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_inbound_sms import PURGE, RESULT_LINE, WrkRun, alternate, arguments, report
from bench_ping_me import manage, server_env, start_gunicorn, stop_gunicorn

SETUP = """
import json
from accounts.models import Membership, Team, User
from inbox.services.channels import channel_create
user = User.objects.create_user(email="bench-inbox-{tag}@example.com", first_name="Bench", last_name="Owner")
team = Team.objects.create(name="Bench inbox {tag}", created_by=user)
Membership.objects.create(team=team, user=user, status=Membership.Status.OWNER, is_manager=True)
channel = channel_create(team=team, kind="sandbox", name="Bench", phone="+1555{digits}")
print(json.dumps({{"uid": str(channel.uid)}}))
"""

COUNT = """
from inbox.models import InboundEvent
print(InboundEvent.objects.filter(channel__uid="{uid}").count())
"""

# Each wrk thread numbers its own provider ids; `distinct` counts the new ones it generated (a retry is not new).
INBOUND = (
    """
counter, distinct, prefix = 0, 0, ""
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  prefix = string.format("RUN%04d-", id)
end
function request()
  counter = counter + 1
  local n = counter
  if counter % 10 == 0 then n = counter - 1 else distinct = distinct + 1 end
  local body = string.format(
    '{"id":"%s%d","from":"+31612345678","name":"Bench","message":{"type":"text","body":"Where is my order?"}}',
    prefix, n)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
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


def post(port: int, path: str, body: dict, conn):
    if conn is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    return response.status, conn


def resend_tails(port: int, path: str, runs: list[WrkRun], connections: int) -> int:
    """wrk stops mid-flight (a thread's last requests may never have been answered) and calls the first thread's
    request() once to check the script without sending it: send each thread's first and last `connections` ids
    again, as a provider retries; a retry stores nothing new, so afterwards every id generated has arrived."""
    sent, conn = 0, None
    for run in runs:
        for prefix, counter in run.tails or []:
            for n in sorted({1, *range(max(1, counter - connections), counter + 1)}):
                if n % 10 == 0:
                    continue  # wrk sent n - 1 again instead of a new n
                body = {"id": f"{prefix}{n}", "from": "+31612345678", "name": "Bench", "message": "Where is my order?"}
                status, conn = post(port, path, body, conn)
                if status != 200:
                    sys.exit(f"a tail retry answered {status}")
                sent += 1
    return sent


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
        setup = SETUP.format(tag=secrets.token_hex(4), digits=f"{secrets.randbelow(10**7):07d}")
        channel = json.loads(manage(env, "shell", "-c", setup).strip().splitlines()[-1])
        server, port = start_gunicorn(env, args.workers)
        base = f"http://127.0.0.1:{port}"
        ping_url = f"{base}/api/v3/ping"
        path = f"/inbox/v3/providers/sandbox/{channel['uid']}"
        runs, best = alternate(ping_url, base + path, lambda name: INBOUND.replace("RUN", name), args=args, tmp=tmp)
        inbound_runs = [run for label, run in runs if label == "inbound"]
        resend_tails(port, path, inbound_runs, args.connections)
        distinct = sum(run.distinct for run in inbound_runs)
        stored = int(manage(env, "shell", "-c", COUNT.format(uid=channel["uid"])).strip().splitlines()[-1])
        report(args=args, env=env, database=database, best=best, inbound_label="POST /inbox/v3/providers/sandbox/{uid}")
        print(f"stored events {stored}, distinct provider ids sent {distinct} (every 10th request was a retry)")
        if stored != distinct:
            sys.exit("stored events differ from the distinct messages sent")
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
