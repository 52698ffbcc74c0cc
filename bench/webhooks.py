"""The inbound webhook benches' common run (bench_inbound_sms.py, bench_inbox_inbound.py), on harness.py.

A webhook is idempotent on the provider's id, so the bench checks more than a rate: every request carries a new id,
every tenth repeats the previous one (a provider's retry), and afterwards the stored rows must equal the distinct ids
sent — none lost, none duplicated. Each wrk thread numbers its own ids (`<prefix of the run and thread><n>`) and
reports its last number and how many distinct ids it generated.
"""

import argparse
import re
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import harness

# Lua: a thread's requests; `id` is its number (harness.LUA_COMMON's setup). PREFIX and BODY are Lua string
# literals: printf formats (of the thread number, and of the prefix and n).
REQUESTS = """
counter, distinct, prefix = 0, 0, ""
function init(args)
  prefix = string.format(PREFIX, id)
end
function request()
  counter = counter + 1
  local n = counter
  if counter % 10 == 0 then n = counter - 1 else distinct = distinct + 1 end
  return wrk.format(nil, nil, nil, string.format(BODY, prefix, n))
end
"""

TALLY = """
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("distinct")
    io.write(string.format("THREAD %s %d\\n", thread:get("prefix"), thread:get("counter")))
  end
  io.write(string.format("DISTINCT %d\\n", total))
"""

PURGE = """
import json
from config.celery import app
with app.connection_for_write() as conn:
    print(json.dumps(app.control.purge(connection=conn)))
"""

GOAL = 0.3  # issue 12 and issue 15: >= 0.3x ping


@dataclass
class Webhook:
    """What differs between the webhook benches. `setup` (a shell script, formatted with `tag` and `digits`) prints a
    JSON object; `path` and `count` are formatted with it; `body(info)` is the printf format of a request body, of
    the id prefix (%s) and the number (%d), used both by the Lua script and by the tail retries in Python."""

    label: str
    path: str
    setup: str
    count: str
    content_type: str
    prefix: str  # printf format of a thread's id prefix, of the thread number; RUN is replaced by the run's name
    body: Callable[[dict], str]
    stored: str  # "stored messages", "stored events"
    sent: str  # "MessageSids", "provider ids"


def script(hook: Webhook, info: dict, run: str) -> str:
    code = REQUESTS.replace("PREFIX", harness.lua_string(hook.prefix.replace("RUN", run)))
    code = code.replace("BODY", harness.lua_string(hook.body(info)))
    return harness.lua_script(method="POST", headers={"Content-Type": hook.content_type}, code=code, done=TALLY)


def tails(run: harness.WrkRun) -> list[tuple[str, int]]:
    """(id prefix, last number) of each wrk thread of `run`."""
    return [(prefix, int(counter)) for prefix, counter in re.findall(r"THREAD (\S+) (\d+)", run.output)]


def distinct(run: harness.WrkRun) -> int:
    found = re.search(r"DISTINCT (\d+)", run.output)
    return int(found.group(1)) if found else 0


def resend_tails(server: harness.Server, path: str, hook: Webhook, info: dict, runs, connections: int) -> int:
    """wrk stops mid-flight: a thread's last requests (at most one per connection) may have been generated and
    never answered; and wrk calls the first thread's request() once to check the script, a request it never sends.
    Send each thread's first and last `connections` ids again, as a provider retries; after that, every id
    generated has reached the server, and a retry stores nothing new."""
    sent, conn, body = 0, None, hook.body(info)
    headers = {"Content-Type": hook.content_type}
    for run in runs:
        for prefix, counter in tails(run):
            for n in sorted({1, *range(max(1, counter - connections), counter + 1)}):
                if n % 10 == 0:
                    continue  # wrk sent n - 1 again instead of a new n
                status, conn = harness.http_request(server.port, "POST", path, body % (prefix, n), headers, conn)
                if status != 200:
                    sys.exit(f"a tail retry answered {status}")
                sent += 1
    return sent


def arguments(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    harness.add_load_arguments(parser, rounds=2)
    return parser.parse_args()


def main(hook: Webhook, description: str) -> None:
    """Seed, serve, load ping and the webhook in alternating rounds, retry the tails, then check the stored rows
    against the distinct ids sent. With REDIS_URL the processing tasks queued (no worker runs) are purged at the
    end: give the bench a Redis database of its own."""
    args = arguments(description)
    harness.ensure_wrk()
    tmp = Path(tempfile.mkdtemp(prefix="crewdesk-bench-"))
    env = harness.server_env(tmp)
    server = None
    try:
        harness.manage(env, "migrate", "--no-input", "-v", "0")
        tag = secrets.token_hex(4)
        info = harness.shell_json(env, hook.setup.format(tag=tag, digits=f"{secrets.randbelow(10**7):07d}"))
        server = harness.start_gunicorn(env, args.workers)
        path = hook.path.format(**info)
        ping = harness.ping_target(server)
        inbound = harness.Target(
            hook.label, server.url(path), lambda run: script(hook, info, run), baseline=ping.label, goal=GOAL
        )
        load = harness.Load(args.threads, args.connections, args.seconds, args.rounds, tmp)
        measured = harness.measure([ping, inbound], load)
        inbound_runs = [run for label, run in measured.runs if label == hook.label]
        resend_tails(server, path, hook, info, inbound_runs, args.connections)
        sent = sum(distinct(run) for run in inbound_runs)
        stored = harness.shell_json(env, hook.count.format(**info))
        harness.print_header([server], args)
        print(f"broker     {'Redis (REDIS_URL)' if env.get('REDIS_URL') else 'file, under a temporary folder'}")
        harness.print_results([ping, inbound], measured.best)
        print(f"{hook.stored} {stored}, distinct {hook.sent} sent {sent} (every 10th request was a retry)")
        if stored != sent:
            sys.exit(f"{hook.stored} differ from the distinct {hook.sent} sent")
        harness.exit_if_failed(measured.runs)
    finally:
        harness.stop_gunicorn(server)
        if env.get("REDIS_URL"):
            harness.manage(env, "shell", "-c", PURGE)
        shutil.rmtree(tmp, ignore_errors=True)
