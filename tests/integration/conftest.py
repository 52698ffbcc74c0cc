"""A real `celery -A config worker` subprocess for the integration tests (DESIGN.md §4, §7).

The worker is a separate process, so it must see the rows the test commits: it gets DATABASE_URL pointing at the
very database pytest-django created (test_crewdesk on PostgreSQL), and the test uses transactional_db so rows are
committed. It talks to Redis on its own db number (CREWDESK_IT_REDIS_DB, default 15) so a developer's worker on the
usual db never takes these tasks, and sends SMS through the file backend into tmp_path.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import kombu.pools
import pytest
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30


def _redis_url_for_tests() -> str:
    parts = urllib.parse.urlsplit(os.environ["REDIS_URL"])
    return parts._replace(path=f"/{os.environ.get('CREWDESK_IT_REDIS_DB', '15')}").geturl()


def _database_url_of_test_db() -> str:
    """DATABASE_URL rewritten to the test database pytest-django created (test_<name>)."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    return parts._replace(path=f"/{settings_dict['NAME']}").geturl()


@dataclass
class Worker:
    process: subprocess.Popen
    log_path: Path
    sms_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def sent_sms(self) -> list[str]:
        return self.sms_path.read_text().splitlines() if self.sms_path.exists() else []

    def wait_for(self, predicate, *, timeout: float = 30, what: str = "condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited ({self.process.returncode}) waiting for {what}:\n{self.log()[-4000:]}")
            time.sleep(0.2)
        pytest.fail(f"timed out after {timeout:g} s waiting for {what}; worker log:\n{self.log()[-4000:]}")


@pytest.fixture
def celery_worker(transactional_db, tmp_path):
    """Start a worker on every queue; publish from this process to the same broker; stop the worker afterwards."""
    yield from _worker(tmp_path)


@pytest.fixture
def celery_worker_with_beat(transactional_db, tmp_path):
    """The same worker with its embedded beat (`-B`, django-celery-beat's DatabaseScheduler on the test database),
    as `make run` starts it: beat's own schedule (config/celery.py) drives the periodic jobs. Automations may repeat
    every 5 s here (AUTOMATIONS_MIN_INTERVAL_SECONDS), so a test sees several occurrences in seconds."""
    yield from _worker(tmp_path, beat=True, extra_env={"AUTOMATIONS_MIN_INTERVAL_SECONDS": "5"})


def _worker(tmp_path, *, beat: bool = False, extra_env: dict | None = None):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "integration: the test database is SQLite in memory, which a worker process cannot see; "
            "set DATABASE_URL to PostgreSQL (CI) or a SQLite file with a TEST NAME"
        )
    broker_url = _redis_url_for_tests()
    log_path = tmp_path / "worker.log"
    sms_path = tmp_path / "sms.jsonl"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DEBUG": "1",  # the `celery` command defaults to production mode
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATABASE_URL": _database_url_of_test_db(),
        "REDIS_URL": broker_url,
        "SMS_BACKEND": "file",
        "SMS_FILE_PATH": str(sms_path),
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }

    # This process publishes for real too, to the worker's Redis db (tasks enqueued on commit, and the test's own).
    # With the CELERY_ settings namespace only the prefixed names override Django's settings; popped afterwards.
    celery_app.conf.update(CELERY_BROKER_URL=broker_url, CELERY_TASK_ALWAYS_EAGER=False)
    _reset_broker_pools()
    with celery_app.connection_for_write() as conn:
        celery_app.control.purge(connection=conn)  # leftovers of an aborted run

    queues = "sms_otp,sms,multicast,push,email,webhooks,default"
    command = [
        str(Path(sys.executable).with_name("celery")),
        "-A", "config", "worker", "-Q", queues, "--loglevel=info", "--concurrency=2",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"it-{os.getpid()}@%h",
    ]  # fmt: skip
    if beat:
        command += ["-B", "--schedule", str(tmp_path / "beat-schedule")]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    worker = Worker(process=process, log_path=log_path, sms_path=sms_path)
    try:
        worker.wait_for(lambda: " ready." in worker.log(), timeout=START_TIMEOUT, what="the worker to be ready")
        yield worker
    finally:
        _stop(process)
        _reset_broker_pools()
        for key in ("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER"):
            celery_app.conf.changes.pop(key, None)
        connection.close()  # let pytest-django flush/drop without the worker's sessions around


def _reset_broker_pools() -> None:
    """Forget the cached connection and producer pools (kombu keeps them in a process-wide registry keyed by broker
    URL), so the next publish connects to the current broker_url and no closed pool is handed out again."""
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _stop(process: subprocess.Popen) -> None:
    """Warm shutdown, then kill the worker's process group (it and its pool children) if it lingers."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # pool children left behind, if any


@dataclass
class WebServer:
    process: subprocess.Popen
    base_url: str
    log_path: Path
    env: dict

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def web_server(transactional_db, tmp_path, request):
    """The production web server as README and `make run` start it (`gunicorn -c config/gunicorn.py`) on a free
    port, over the test database (committed rows: transactional_db). One worker, or `request.param` workers when
    parametrized indirectly."""
    import urllib.request

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("a server process cannot see an in-memory SQLite test database; set DATABASE_URL (CI)")
    port = _free_port()
    log_path = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "integration-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": _database_url_of_test_db(),
        "SMS_BACKEND": "locmem",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Redis (cache, credential epochs) on the integration tests' own database, when there is one
        **({"REDIS_URL": _redis_url_for_tests()} if os.environ.get("REDIS_URL") else {}),
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "-c", "config/gunicorn.py", "--workers", str(getattr(request, "param", 1)),
        "--bind", f"127.0.0.1:{port}", "config.wsgi:application",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = WebServer(process=process, base_url=f"http://127.0.0.1:{port}", log_path=log_path, env=env)
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            try:
                urllib.request.urlopen(f"{server.base_url}/api/v3/ping", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start:\n{server.log()[-4000:]}")
                time.sleep(0.2)
        yield server
    finally:
        _stop(process)
        connection.close()
