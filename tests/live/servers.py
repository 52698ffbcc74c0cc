"""Real server processes for black-box tests: gunicorn (production mode) or runserver, on a free local port.

The test client cannot send what only a socket can (chunked bodies) and does not run the WSGI server, so these tests
start the server the way production does and speak HTTP to it.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
START_TIMEOUT = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(var_dir: Path, database_url: str, **extra: str) -> dict:
    """DEBUG off, as gunicorn runs in production; plain HTTP on 127.0.0.1; messages to files under `var_dir`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
        CREWDESK_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        SMS_BACKEND="file",
        SMS_FILE_PATH=str(var_dir / "sms.jsonl"),
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        CELERY_TASK_ALWAYS_EAGER="1",  # no worker here: texts are sent in the web process, to the file above
        PYTHONWARNINGS="ignore:No directory at",  # WhiteNoise: no collectstatic for an API server
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        """SIGTERM to the server's group (gunicorn stops its workers gracefully), SIGKILL if it lingers."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def start(kind: str, env: dict, log_path: Path, *, workers: int = 2) -> Server:
    """`kind` is "gunicorn" (the production server) or "runserver" (Django's development server)."""
    port = free_port()
    if kind == "gunicorn":
        command = [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi:application",
                   "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"]  # fmt: skip
    else:
        command = [str(BIN / "python"), "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(process=process, port=port, log_path=log_path)
    try:
        _wait_until_up(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited ({server.process.returncode}):\n{server.log()[-4000:]}")
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not listen within {START_TIMEOUT} s:\n{server.log()[-4000:]}")


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if result.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def url_with_database(database_url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(database_url)
    return parts._replace(path=f"/{name}").geturl()
