"""Shared helpers of the HTTP benches: a production-mode gunicorn of their own, wrk as the load generator, alternating
rounds against ping, query counts, and one way of printing what was measured and against what (DESIGN.md §6).

Why wrk: a Python client on the same 2 cores as the server (threads, the GIL) cannot saturate even ping, and a
client-bound denominator inflates every ratio (issue 10). wrk is C, event-driven, and needs a fraction of one core.

Why alternating rounds and the best of N: the machine is shared, so load from elsewhere comes and goes; running ping
and the targets in turn exposes each to the same conditions, and the best round of each is the least disturbed one.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOGS: list[Path] = []  # every server's log, shown when a bench fails
GUNICORN_CONFIG = "config/gunicorn.py"  # the one server configuration (make run, benches, production)
PING = "/api/v3/ping"
WARMUP_SECONDS = 2

# --- Server --------------------------------------------------------------------------------------------------------


def server_env(tmp: Path) -> dict:
    """A production-mode environment (DEBUG off) for the bench's gunicorn and its manage.py calls: PostgreSQL when
    DATABASE_URL is set, else a SQLite file under `tmp`; `testserver` is allowed for the query counts' test client."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "CREWDESK_VAR_DIR": str(tmp),
        "SMS_BACKEND": "locmem",
        "EMAIL_BACKEND": "dummy",  # a production-mode server names its email backend; the bench sends none
        "PYTHONWARNINGS": "ignore:No directory at",  # WhiteNoise: no collectstatic for an API bench
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    return env


def without_list_cache(env: dict) -> dict:
    """`env` with the shift-list response cache off (SHIFT_LIST_CACHE=0): every list request is computed, and
    everything else (Redis, the credential cache) stays as in production."""
    return {**env, "SHIFT_LIST_CACHE": "0"}


def manage(env: dict, *args: str) -> str:
    """Run manage.py with `env`; exit with its output when it fails (a bench cannot go on without its data)."""
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args[:1])} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def shell_json(env: dict, script: str):
    """Run `script` in `manage.py shell -c` and parse the JSON on its last line of output."""
    return json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])


@dataclass
class Server:
    """A running gunicorn of the bench: `name` labels its lines (two servers can differ in their cache)."""

    name: str
    env: dict
    process: subprocess.Popen
    port: int
    log: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command(port: int, workers: int, *extra: str) -> list[str]:
    """gunicorn on config/gunicorn.py, as production runs it (header_map, timeout, worker class); only the bind
    address and the worker count are the bench's."""
    return [
        str(BIN / "gunicorn"), "-c", GUNICORN_CONFIG, "config.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning", *extra,
    ]  # fmt: skip


def start_gunicorn(env: dict, workers: int, name: str = "server") -> Server:
    """gunicorn's output goes to a log under CREWDESK_VAR_DIR: under load a failing target would flood the terminal
    (a warning line per 4xx); its last lines are shown when the bench fails (`fail`)."""
    port = free_port()
    log = Path(env["CREWDESK_VAR_DIR"]) / f"gunicorn-{name}.log"
    LOGS.append(log)
    with log.open("ab") as out:
        process = subprocess.Popen(
            gunicorn_command(port, workers), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    server = Server(name=name, env=env, process=process, port=port, log=log)
    wait_until_up(server)
    return server


def fail(message: str, lines: int = 12) -> None:
    """Exit non-zero with `message`, after the last lines of each server's log (why the server answered so)."""
    for log in LOGS:
        tail = log.read_text(errors="replace").splitlines()[-lines:] if log.exists() else []
        if tail:
            print(f"--- last lines of {log.name}", *tail, sep="\n", file=sys.stderr)
    sys.exit(message)


def wait_until_up(server: Server, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            fail(f"gunicorn exited with {server.process.returncode}")
        try:
            if http_request(server.port, "GET", PING)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    fail(f"gunicorn did not answer {PING} within {timeout:g} s")


def stop_gunicorn(server: Server | None) -> None:
    """SIGTERM to the master only (it stops its workers gracefully); the whole group is killed if it hangs."""
    if server is None or server.process.poll() is not None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()


def http_request(port: int, method: str, path: str, body: str | None = None, headers: dict | None = None, conn=None):
    """One request on `conn` (a new connection when None): (status, the connection to reuse)."""
    if conn is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    response.read()
    if response.will_close:
        conn.close()
        conn = None
    return response.status, conn


# --- wrk -----------------------------------------------------------------------------------------------------------


def ensure_wrk() -> None:
    """wrk from Debian's packages when it is missing (sudo when not root); a clear exit when that is impossible."""
    if shutil.which("wrk"):
        return
    command = ["apt-get", "install", "-y", "wrk"]
    if not shutil.which("apt-get"):
        sys.exit("wrk is not installed and there is no apt-get here: install wrk (https://github.com/wg/wrk)")
    if os.geteuid() != 0:
        if not shutil.which("sudo"):
            sys.exit("wrk is not installed and this user cannot install it: run `sudo apt-get install -y wrk`")
        command = ["sudo", "-n", *command]
    print(f"wrk is missing: {' '.join(command)}", flush=True)
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode or not shutil.which("wrk"):
        sys.exit(f"could not install wrk ({' '.join(command)}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}")


def lua_string(value: str) -> str:
    """A Lua string literal (the values are ASCII: keys, tokens, paths, form or JSON bodies)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


# Every script: threads are numbered and kept (setup runs in wrk's main Lua state), each counts its non-2xx answers
# (wrk's own summary.errors.status counts only >= 400, so a redirect would pass as a success), and done() prints
# one RESULT line: requests, duration µs, socket errors, non-2xx, p50 µs, p99 µs. `EXTRA` adds lines to done().
LUA_COMMON = """
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
non2xx = 0
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("non2xx") end
EXTRA
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, bad, latency:percentile(50), latency:percentile(99)))
end
"""


def lua_script(
    *, method: str = "GET", headers: dict | None = None, body: str | None = None, code: str = "", done: str = ""
) -> str:
    """A wrk script sending `method` with `headers` and `body` on every request; `code` may define init() and
    request() instead (per-request bodies), `done` adds Lua lines to done() (it sees `threads`)."""
    lines = [f"wrk.method = {lua_string(method)}"]
    lines += [f"wrk.headers[{lua_string(name)}] = {lua_string(value)}" for name, value in (headers or {}).items()]
    if body is not None:
        lines.append(f"wrk.body = {lua_string(body)}")
    return "\n".join(lines) + "\n" + code + LUA_COMMON.replace("EXTRA\n", done)


@dataclass
class WrkRun:
    requests: int
    seconds: float
    socket_errors: int
    non_2xx: int
    p50_ms: float
    p99_ms: float
    output: str = field(repr=False, default="")

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> bool:
        return bool(self.socket_errors or self.non_2xx)


@dataclass
class Load:
    """wrk's shape: threads, connections, seconds per round, rounds, and where its scripts are written."""

    threads: int
    connections: int
    seconds: float
    rounds: int
    tmp: Path


def run_wrk(url: str, script: str, load: Load, seconds: float) -> WrkRun:
    path = load.tmp / f"bench-{secrets.token_hex(4)}.lua"
    path.write_text(script)
    shape = [f"-t{load.threads}", f"-c{load.connections}", f"-d{seconds:g}s", "--timeout", "10s"]
    command = ["wrk", *shape, "-s", str(path), url]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    found = re.search(r"^RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", result.stdout, re.MULTILINE)
    if result.returncode or not found:
        sys.exit(f"wrk failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    requests, duration_us, errors, non_2xx, p50_us, p99_us = (int(value) for value in found.groups())
    return WrkRun(requests, duration_us / 1e6, errors, non_2xx, p50_us / 1000, p99_us / 1000, result.stdout)


# --- Alternating rounds --------------------------------------------------------------------------------------------


@dataclass
class Target:
    """One URL under load. `script(run name)` gives its Lua script (a fresh one per run lets webhooks number their
    ids per run); `baseline` is the label of the ping it is compared with (None for a ping); `goal` the ratio."""

    label: str
    url: str
    script: Callable[[str], str]
    baseline: str | None = None
    goal: float | None = None


def fixed(script: str) -> Callable[[str], str]:
    """A target script that is the same for every run."""
    return lambda _run: script


def ping_target(server: Server, label: str = f"GET {PING}") -> Target:
    return Target(label=label, url=server.url(PING), script=fixed(lua_script()))


@dataclass
class Measurement:
    runs: list[tuple[str, WrkRun]]  # every run, the warm-ups included, as (target label, run)
    best: dict[str, WrkRun]  # the fastest counted run of each target


def measure(targets: list[Target], load: Load) -> Measurement:
    """A warm-up of each target (imports, connections, prepared statements, caches; not counted, and any failure
    in it ends the bench at once), then `load.rounds` rounds running every target in turn; the best of each."""
    runs: list[tuple[str, WrkRun]] = []
    for target in targets:
        run = run_wrk(target.url, target.script("w0"), load, WARMUP_SECONDS)
        runs.append((target.label, run))
        if run.failed:
            fail(f"{target.label}: {describe_failure(run)} in the {WARMUP_SECONDS} s warm-up")
    best: dict[str, WrkRun] = {}
    for round_no in range(load.rounds):
        for target in targets:
            run = run_wrk(target.url, target.script(f"r{round_no}"), load, load.seconds)
            runs.append((target.label, run))
            if target.label not in best or run.per_second > best[target.label].per_second:
                best[target.label] = run
    return Measurement(runs=runs, best=best)


def describe_failure(run: WrkRun) -> str:
    return f"{run.non_2xx} non-2xx answers and {run.socket_errors} socket errors of {run.requests} requests"


def exit_if_failed(runs: list[tuple[str, WrkRun]], queries: dict | None = None) -> None:
    """Any non-2xx answer or socket error in any run, or a query-count probe answered non-2xx, fails the bench (a
    fast error page is not a result)."""
    failed = [f"{label}: {describe_failure(run)}" for label, run in runs if run.failed]
    failed += [f"{label}: the query count's request answered {status}" for label, (status, _) in (queries or {}).items()
               if not 200 <= status <= 299]  # fmt: skip
    if failed:
        fail("requests failed:\n  " + "\n  ".join(failed))


# --- Query counts --------------------------------------------------------------------------------------------------

QUERY_COUNT = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client, counts = Client(), {{}}
for label, method, path, headers, body in json.loads({requests!r}):
    for attempt in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            response = client.generic(method, path, data=body or "", headers=headers)
    counts[label] = [response.status_code, len(queries.captured_queries)]
print(json.dumps(counts))
"""


@dataclass
class Probe:
    """A request whose database queries are counted: the same method, path, headers and body as its wrk target."""

    label: str
    path: str
    method: str = "GET"
    headers: dict = field(default_factory=dict)
    body: str | None = None


def query_counts(env: dict, probes: list[Probe]) -> dict[str, tuple[int, int]]:
    """{label: (status, queries)} of each probe sent three times through django.test.Client in `manage.py shell`
    with `env` (the server's settings and cache): the third, warm request is counted, as under load (connection
    set-up, first-use reads, a cold response cache and the credential cache's stamping on a secret's second
    sighting are not)."""
    requests = json.dumps([[p.label, p.method, p.path, p.headers, p.body] for p in probes])
    return {label: tuple(value) for label, value in shell_json(env, QUERY_COUNT.format(requests=requests)).items()}


# --- Output --------------------------------------------------------------------------------------------------------


def add_load_arguments(parser: argparse.ArgumentParser, *, rounds: int) -> None:
    """The options every wrk bench shares: load shape, rounds and server size."""
    parser.add_argument("--seconds", type=float, default=10, help="length of one wrk run (default 10)")
    parser.add_argument("--rounds", type=int, default=rounds, help=f"alternating rounds, best kept (default {rounds})")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")


def describe_database(env: dict) -> str:
    """Vendor, host and database name of DATABASE_URL; never its user or password."""
    url = urlsplit(env["DATABASE_URL"])
    if url.scheme.startswith("sqlite"):
        return f"SQLite {url.path[1:]}"  # sqlite:////abs/path or sqlite:///relative/path
    vendor = "PostgreSQL" if url.scheme.startswith("postgres") else url.scheme
    return f"{vendor} {url.hostname}:{url.port or 5432}/{url.path.lstrip('/')}"


def describe_cache(env: dict) -> str:
    redis_url = env.get("REDIS_URL")
    if not redis_url:
        return "local memory (per process; the shift-list response cache is off)"
    url = urlsplit(redis_url)
    described = f"Redis {url.hostname}:{url.port or 6379} db {url.path.lstrip('/') or '0'}"
    if env.get("SHIFT_LIST_CACHE") == "0":
        described += " (SHIFT_LIST_CACHE=0: every shift-list request computed)"
    return described


def describe_gunicorn(env: dict, workers: int) -> str:
    """What gunicorn itself resolves from config/gunicorn.py and the bench's options (`--print-config`)."""
    result = subprocess.run(
        gunicorn_command(free_port(), workers, "--print-config"),
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    config = dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.MULTILINE))
    return (
        f"{config.get('workers', '?')} {config.get('worker_class', '?')} workers, -c {config.get('config', '?')} "
        f"(header_map {config.get('header_map', '?')}, timeout {config.get('timeout', '?')} s)"
    )


def print_header(servers: list[Server], args: argparse.Namespace) -> None:
    """What the figures were measured against: print it with every result, so a ratio is never read without it."""
    print(f"date       {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load average "
          f"{' '.join(f'{n:.2f}' for n in os.getloadavg())}")  # fmt: skip
    print(f"database   {describe_database(servers[0].env)}")
    for server in servers:
        print(f"cache      [{server.name}] {describe_cache(server.env)}")
    each = f" (each of {len(servers)} servers)" if len(servers) > 1 else ""
    print(f"gunicorn   {describe_gunicorn(servers[0].env, args.workers)}{each}")
    print(f"wrk        {args.threads} threads x {args.connections} connections, {args.seconds:g} s per round, "
          f"best of {args.rounds} round{'s' * (args.rounds != 1)}, {WARMUP_SECONDS} s warm-up per target")  # fmt: skip


def ratio_mark(ratio: float, goal: float | None) -> str:
    if goal is None:
        return ""
    return f">= {goal:.2f}x {'PASS' if ratio >= goal else 'MISS'}"


def print_results(targets: list[Target], best: dict[str, WrkRun], queries: dict | None = None) -> None:
    """One line per target: requests/s, p50/p99 latency, ratio to its ping with the goal and PASS/MISS, and (when
    counted) the database queries of one request."""
    width = max(len(target.label) for target in targets)
    print(f"{'target':<{width}}    req/s   p50 ms   p99 ms    ratio  goal" + ("           queries" if queries else ""))
    for target in targets:
        run = best[target.label]
        ratio = run.per_second / best[target.baseline].per_second if target.baseline else None
        line = f"{target.label:<{width}} {run.per_second:8.0f} {run.p50_ms:8.1f} {run.p99_ms:8.1f} "
        line += f"{ratio:7.3f}x  {ratio_mark(ratio, target.goal):<14}" if ratio is not None else f"{'-':>8}  {'':<14}"
        if queries and target.label in queries:
            line += f"{queries[target.label][1]:8d}"
        print(line.rstrip())
