"""The PostgreSQL backend (core/db/postgresql): psycopg's C timestamp loader under Django's contract, and prepared
statements for the statements a connection repeats."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader

from core.db.postgresql.base import TIMESTAMPTZ_OID, UtcTimestamptzLoader
from tests.factories import TeamFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    connection.ensure_connection()
    return connection


SAMPLES = [
    "2026-03-29 00:59:59.999999+00",  # the last instant before a DST change in Europe
    "2026-03-29 01:00:00+00",
    "1999-12-31 23:00:00-05",
    "2026-11-22 10:00:00.5+05:30",
]


def _load(cursor, literal: str):
    cursor.execute("SELECT %s::timestamptz", [literal])
    return cursor.fetchone()[0]


@pytest.mark.postgres
def test_connections_load_timestamps_with_the_fast_loader(postgres):
    loader = postgres.connection.adapters.get_loader(TIMESTAMPTZ_OID, 0)
    assert loader is UtcTimestamptzLoader
    with postgres.cursor() as cursor:
        value = _load(cursor, "2026-11-22 10:00:00+00")
    assert value == datetime.datetime(2026, 11, 22, 10, tzinfo=datetime.UTC)
    assert value.tzinfo is datetime.UTC  # exactly what Django's own loader pins


@pytest.mark.postgres
def test_the_fast_loader_returns_what_djangos_loader_returns(postgres):
    with postgres.cursor() as cursor:
        fast = [_load(cursor, literal) for literal in SAMPLES]
    raw = postgres.connection.cursor()
    register_tzloader(datetime.UTC, raw)  # Django's pure-Python loader, on this cursor only
    django = [_load(raw, literal) for literal in SAMPLES]
    assert fast == django
    assert [value.tzinfo for value in fast] == [value.tzinfo for value in django]
    assert [value.isoformat() for value in fast] == [value.isoformat() for value in django]


@pytest.mark.postgres
def test_model_datetimes_round_trip_aware_utc(postgres):
    team = TeamFactory()
    stored = type(team).objects.values_list("created_at", flat=True).get(pk=team.pk)
    assert stored == team.created_at
    assert stored.tzinfo is datetime.UTC


@pytest.mark.postgres
def test_repeated_statements_are_prepared(postgres):
    assert postgres.connection.prepare_threshold == 5
    with postgres.cursor() as cursor:
        for _ in range(7):
            cursor.execute("SELECT %s::int + 1 AS crewdesk_prepared_probe", [1])
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%crewdesk_prepared%"])
        assert cursor.fetchone()[0] == 1


def _database_options(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DB_")}
    clean.update(DEBUG="1", DATABASE_URL="postgres://user@db.example.com:5432/crewdesk", **env)
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    script = "import json; from django.conf import settings; d = settings.DATABASES['default']; "
    script += "print(json.dumps([d['ENGINE'], d['OPTIONS']]))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgres_urls_use_the_project_backend_with_prepared_statements():
    engine, options = _database_options()
    assert engine == "core.db.postgresql"
    assert options == {"server_side_binding": True, "prepare_threshold": 5}


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler():
    assert _database_options(DB_PREPARE_THRESHOLD="off")[1]["prepare_threshold"] is None
    assert _database_options(DB_PREPARE_THRESHOLD="0")[1]["prepare_threshold"] == 0
