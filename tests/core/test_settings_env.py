"""Production settings refuse to start on a missing or malformed value, with a message naming it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNSET = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_BACKEND", "SMS_BACKEND"}
# What a production deployment names besides its secrets (README "Production").
DELIVERY = {"EMAIL_BACKEND": "smtp", "SMS_BACKEND": "twilio"}


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('ok')"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_key_in_production_stops_start_up():
    result = load_settings(DEBUG="0", ALLOWED_HOSTS="example.com", **DELIVERY)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_missing_allowed_hosts_in_production_stops_start_up():
    result = load_settings(DEBUG="0", SECRET_KEY="x" * 60, **DELIVERY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is required" in result.stderr


@pytest.mark.parametrize(("name", "value"), [("DEBUG", "maybe"), ("OTP_CODE_LENGTH", "four")])
def test_malformed_values_are_refused_by_name(name, value):
    result = load_settings(**{"DEBUG": "1", name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_complete_production_environment_starts():
    result = load_settings(DEBUG="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.com", **DELIVERY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_deploy_check_is_clean_with_a_production_environment():
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    clean.update(
        **DELIVERY,
        DEBUG="0",
        SECRET_KEY="k" * 20 + "-production-secret-" + "z" * 30,
        ALLOWED_HOSTS="crewdesk.example.com",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.update(env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)


def test_tools_and_manage_py_need_no_environment():
    # e.g. the shared endpoint_coverage tool, or `python manage.py ...` on a fresh clone
    result = run_python(
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; import django; django.setup();"
        "from django.conf import settings; print(settings.DEBUG)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_the_wsgi_entry_point_is_production_unless_told_otherwise():
    result = run_python("import config.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr
    started = run_python(
        "import config.wsgi; print('served')", SECRET_KEY="s" * 60, ALLOWED_HOSTS="example.com", **DELIVERY
    )
    assert started.returncode == 0, started.stderr


def _variables_the_settings_read() -> set[str]:
    import re

    source = "\n".join((ROOT / "config" / name).read_text() for name in ("settings.py", "test_settings.py"))
    return set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', source))


def test_every_variable_the_settings_read_is_documented():
    names = _variables_the_settings_read()
    assert {"DATABASE_URL", "DB_PREPARE_THRESHOLD", "REDIS_URL"} <= names  # the pattern still finds them
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    assert sorted(name for name in names if f"\n{name}=" not in example) == []
    assert sorted(name for name in names if f"`{name}`" not in readme) == []


def test_without_redis_any_process_finds_the_local_broker_folders(tmp_path):
    """Not only `make run`: a bare runserver or gunicorn without REDIS_URL must be able to enqueue."""
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG"}}
    clean.update(DEBUG="1", CREWDESK_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings")
    script = "from django.conf import settings; print(settings.CELERY_BROKER_URL)"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=clean, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "filesystem://"
    assert sorted(p.name for p in (tmp_path / "broker").iterdir()) == ["control", "processed", "queue"]


# Email and SMS backends in production; codes never reach a log (issue 8, item 9)

PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "example.com"}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SMS_BACKEND": "twilio"}, "EMAIL_BACKEND is required"),
        ({"SMS_BACKEND": "twilio", "EMAIL_BACKEND": "console"}, "EMAIL_BACKEND=console delivers nothing"),
        ({"EMAIL_BACKEND": "smtp"}, "SMS_BACKEND is required"),
        ({"EMAIL_BACKEND": "smtp", "SMS_BACKEND": "console"}, "may not be `console`"),
    ],
)
def test_production_refuses_to_start_without_real_email_and_sms_backends(env, message):
    result = load_settings(**PRODUCTION, **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_may_opt_out_of_email_explicitly():
    assert load_settings(**PRODUCTION, EMAIL_BACKEND="dummy", SMS_BACKEND="twilio").returncode == 0


@pytest.mark.parametrize("debug", ["0", "1"])
def test_djangos_console_email_backend_is_refused_in_any_mode(debug):
    env = {**PRODUCTION, "DEBUG": debug, "SMS_BACKEND": "twilio"}
    result = load_settings(**env, EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    assert result.returncode != 0
    assert "prints verification codes" in result.stderr
