"""Requests/s of GET /api/v3/ping against an authenticated GET /api/v1/me, measured in one run (DESIGN.md §6).

Starts its own gunicorn (2 sync workers, DEBUG off) on a free port of 127.0.0.1, against PostgreSQL when
DATABASE_URL is set (migrated first) or a migrated temporary SQLite file otherwise; creates a team, its owner, an
API key and an auth token; then drives each endpoint with a small thread pool of http.client connections for a
fixed number of requests (bounded in time), prints both rates and their ratio, and stops gunicorn.

    .venv/bin/python bench/bench_ping_me.py [--requests 2000] [--threads 8] [--rounds 2] [--max-seconds 60]

/api/v1/me (tommy, with the API key in `Api-Key`: gunicorn drops header names with underscores such as the
documented `api_key`, see README "Production") is the target; until it is routed the bench falls back to GET /api/v3/me
(tada, `token` header) and then GET /api/v3/time, and says so.
"""

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

SETUP = """
import json
from accounts.models import Membership, Team, User
from accounts.services.credentials import api_key_create, auth_token_issue
user = User.objects.create_user(email="bench-{tag}@example.com", password=None, first_name="Bench", last_name="Owner")
team = Team.objects.create(name="Bench {tag}", created_by=user)
Membership.objects.create(team=team, user=user, status=Membership.Status.OWNER, is_manager=True)
print(json.dumps({{"api_key": api_key_create(team=team, created_by=user, name="bench")[1],
                  "token": auth_token_issue(user=user)[1]}}))
"""


@dataclass
class Target:
    label: str
    path: str
    headers: dict


@dataclass
class Rate:
    done: int
    errors: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port: int, path: str, headers: dict, conn: http.client.HTTPConnection | None):
    """One GET; reuses the connection when the server keeps it open. Returns (status, connection or None)."""
    for attempt in (1, 2):
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.will_close:
                conn.close()
                conn = None
            return response.status, conn
        except (ConnectionError, http.client.HTTPException):
            conn.close()
            conn = None
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def measure(port: int, target: Target, *, total: int, threads: int, max_seconds: float) -> Rate:
    lock = threading.Lock()
    state = {"left": total, "done": 0, "errors": 0}
    deadline = time.perf_counter() + max_seconds

    def work():
        conn = None
        while time.perf_counter() < deadline:
            with lock:
                if state["left"] == 0:
                    break
                state["left"] -= 1
            try:
                status, conn = request(port, target.path, target.headers, conn)
            except OSError:
                status, conn = 0, None
            with lock:
                state["done" if status == 200 else "errors"] += 1
        if conn is not None:
            conn.close()

    pool = [threading.Thread(target=work) for _ in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return Rate(done=state["done"], errors=state["errors"], seconds=time.perf_counter() - started)


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args[:1])} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def wait_until_up(port: int, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}")
        try:
            if request(port, "/api/v3/ping", {}, None)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer /api/v3/ping within {timeout:g} s")


def pick_me_target(port: int, creds: dict) -> Target:
    candidates = [
        Target("GET /api/v1/me (tommy, Api-Key)", "/api/v1/me", {"Api-Key": creds["api_key"]}),
        Target(
            "GET /api/v3/me (tada, token) [fallback: /api/v1/me not routed]", "/api/v3/me", {"token": creds["token"]}
        ),
        Target("GET /api/v3/time (token) [fallback: no /me routed]", "/api/v3/time", {"token": creds["token"]}),
    ]
    for target in candidates:
        if request(port, target.path, target.headers, None)[0] == 200:
            return target
    sys.exit("none of /api/v1/me, /api/v3/me, /api/v3/time answered 200")


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every bench shares: load shape, rounds and server size."""
    parser.add_argument("--requests", type=int, default=2000, help="requests per endpoint per round")
    parser.add_argument("--threads", type=int, default=8, help="concurrent client connections")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; the best rate of each counts")
    parser.add_argument("--max-seconds", type=float, default=60, help="time bound of one endpoint's round")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")


def server_env(tmp: Path) -> dict:
    """A production-mode environment for the bench's own gunicorn (SQLite under `tmp` unless DATABASE_URL is set)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "CREWDESK_VAR_DIR": str(tmp),
        "SMS_BACKEND": "locmem",
        "EMAIL_BACKEND": "dummy",  # a production-mode server names its email backend; the bench sends none
        "PYTHONWARNINGS": "ignore:No directory at",  # WhiteNoise: no collectstatic for an API bench
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    return env


def start_gunicorn(env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    wait_until_up(port, server)
    return server, port


def stop_gunicorn(server: subprocess.Popen | None) -> None:
    """SIGTERM to the master only (it stops its workers gracefully); the whole group is killed if it hangs."""
    if server is None or server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_run_arguments(parser)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="crewdesk-bench-"))
    env = server_env(tmp)
    database = env["DATABASE_URL"].split("@")[-1]
    server = None
    try:
        manage(env, "migrate", "--no-input", "-v", "0")
        creds = json.loads(manage(env, "shell", "-c", SETUP.format(tag=secrets.token_hex(4))).strip().splitlines()[-1])
        server, port = start_gunicorn(env, args.workers)
        ping = Target("GET /api/v3/ping", "/api/v3/ping", {})
        me = pick_me_target(port, creds)
        for target in (ping, me):  # warm both workers' imports, connections and caches
            measure(port, target, total=200, threads=args.threads, max_seconds=10)
        best: dict[str, Rate] = {}
        for _ in range(args.rounds):
            for target in (ping, me):
                rate = measure(port, target, total=args.requests, threads=args.threads, max_seconds=args.max_seconds)
                if target.label not in best or rate.per_second > best[target.label].per_second:
                    best[target.label] = rate
        print(f"gunicorn {args.workers} sync workers, {args.threads} client threads, database {database}")
        for target in (ping, me):
            rate = best[target.label]
            print(f"{target.label:<64} {rate.per_second:8.0f} req/s  ({rate.done} ok, {rate.errors} errors)")
        ratio = best[me.label].per_second / best[ping.label].per_second
        print(f"ratio /me : ping = {ratio:.2f}x")
        if any(rate.errors for rate in best.values()):
            sys.exit("some requests failed")
    finally:
        stop_gunicorn(server)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
