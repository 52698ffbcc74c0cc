"""A seeded production-mode server for the `live` tests (Schemathesis, black-box scenarios).

Its database is its own, not pytest-django's: on PostgreSQL (DATABASE_URL, as CI runs) a `<name>_live` database
made afresh and dropped afterwards, else a SQLite file. It is migrated and seeded (tests/live/seed.py) by
`manage.py` in the server's environment, and served by gunicorn with DEBUG off, as in production.
"""

import json
import os
import urllib.parse
from dataclasses import dataclass

import pytest

from tests.live import servers


@dataclass
class LiveServer:
    server: servers.Server
    credentials: dict

    @property
    def url(self) -> str:
        return self.server.url


def _postgres_database(base_url: str):
    """Make `<name>_live` afresh; returns its URL and a function that drops it."""
    import psycopg

    parts = urllib.parse.urlsplit(base_url)
    name = f"{parts.path.lstrip('/') or 'crewdesk'}_live"
    admin = base_url

    def run(statement: str) -> None:
        with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(statement)

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}"')
    return servers.url_with_database(base_url, name), lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def seeded_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    base_url = os.environ.get("DATABASE_URL", "")
    if base_url.startswith("postgres"):
        database_url, drop = _postgres_database(base_url)
    else:
        database_url, drop = f"sqlite:///{tmp / 'live.sqlite3'}", lambda: None
    env = servers.production_env(tmp, database_url)
    running = None
    try:
        servers.manage(env, "migrate", "--no-input", "-v", "0")
        output = servers.manage(env, "shell", "-c", "from tests.live.seed import main; main()")
        credentials = json.loads(output.strip().splitlines()[-1])
        running = servers.start("gunicorn", env, tmp / "server.log")
        yield LiveServer(server=running, credentials=credentials)
    finally:
        if running is not None:
            running.stop()
        drop()
