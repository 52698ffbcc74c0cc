"""Crewdesk settings, read from the environment (12-factor).

Nothing is required for a local run: SQLite under var/, the console SMS backend and kombu's filesystem broker.
With DEBUG off (the default of gunicorn, the ASGI server and Celery), SECRET_KEY and ALLOWED_HOSTS must be set, and
a malformed value stops start-up.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CREWDESK_VAR_DIR", str(BASE_DIR / "var")))

# Tools and `manage.py` run in development mode unless told otherwise (no value is required for a local run);
# the production entry points — config.wsgi, config.asgi and the `celery` command — default DEBUG to off before
# settings load, so a server started without DEBUG=0 is still strict (SECRET_KEY and ALLOWED_HOSTS required).
DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off (set DEBUG=1 for a local run).")
    SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when DEBUG is off (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "config.apps.ConsoleAdminConfig",  # django.contrib.admin with the console site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "import_export",
    "core",
    "accounts",
    "messaging",
    "workforce",
    "inbox",
    "automations",
    "api",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.ConsoleTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'crewdesk.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60))}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with psycopg's C timestamp loader (core/db/postgresql/base.py says why).
    DATABASES["default"]["ENGINE"] = "core.db.postgresql"
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # Server-side binding plus a prepare threshold: a statement a connection runs that often is prepared, so
    # PostgreSQL stops re-planning the hot queries (credential lookup, list pages) on every request. Django turns
    # psycopg's preparing off unless asked; DB_PREPARE_THRESHOLD=off for a transaction-mode PgBouncer.
    options["server_side_binding"] = env_bool("DB_SERVER_SIDE_BINDING", True)
    prepare = env_str("DB_PREPARE_THRESHOLD", "5").strip().lower()
    options["prepare_threshold"] = None if prepare in ("off", "none") else env_int("DB_PREPARE_THRESHOLD", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one SQLite file in `make run`: WAL lets readers run beside the writer, and
    # IMMEDIATE transactions take the write lock up front, so concurrent writers wait (busy timeout) instead of
    # failing with "database is locked" on lock upgrade.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.LoginBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# django-import-export (the console's payroll CSV): exporting needs the model's view permission.
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# --- Email: codes and links never reach a log; production names a real backend or opts out with `dummy` -------------
EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "core.mail.ConsoleEmailBackend",  # codes masked on the console, whole mails under EMAIL_FILE_PATH
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",  # sends nothing: the explicit opt-out
}
_email_backend = env_str("EMAIL_BACKEND", "console" if DEBUG else None)
if _email_backend == "django.core.mail.backends.console.EmailBackend":
    raise ImproperlyConfigured(
        "EMAIL_BACKEND: Django's console backend prints verification codes and links into the log; "
        "use `console` (Crewdesk's: codes masked, whole mails under var/mail)."
    )
if not DEBUG and _email_backend is None:
    raise ImproperlyConfigured(
        "EMAIL_BACKEND is required when DEBUG is off: `smtp` (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, "
        "EMAIL_HOST_PASSWORD, EMAIL_USE_TLS) or a provider's backend path, or `dummy` to send no email at all."
    )
if not DEBUG and _email_backend in ("console", "core.mail.ConsoleEmailBackend"):
    raise ImproperlyConfigured(
        "EMAIL_BACKEND=console delivers nothing (a development outbox); with DEBUG off use `smtp`, a provider's "
        "backend, or `dummy` to send no email at all."
    )
EMAIL_BACKEND = EMAIL_BACKENDS.get(_email_backend, _email_backend)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Crewdesk <no-reply@localhost>")
# Production mail goes through a provider with django-anymail (EMAIL_BACKEND=anymail.backends.<esp>.EmailBackend);
# its settings come from ANYMAIL_<NAME> variables (ANYMAIL_POSTMARK_SERVER_TOKEN → ANYMAIL["POSTMARK_SERVER_TOKEN"]).
ANYMAIL = {name[len("ANYMAIL_") :]: value for name, value in os.environ.items() if name.startswith("ANYMAIL_")}

CACHES = {
    "default": (
        {"BACKEND": "core.cache.ReusingRedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Each process keeps the credential behind a secret this long, checked against the user's epoch in the shared cache
# on every request (accounts/services/credential_cache.py). Off (0) without Redis: a local-memory cache cannot
# carry a revocation from one process to the others.
CREDENTIAL_CACHE_SECONDS = env_int("CREDENTIAL_CACHE_SECONDS", 60 if env_str("REDIS_URL") else 0)
# The polled shift lists' response cache (workforce/services/shift_cache.py; only with a shared cache). Off: every
# list request is computed (the bench's "computed" server).
SHIFT_LIST_CACHE = env_bool("SHIFT_LIST_CACHE", True)

# --- Security (production) ---------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# --- REST framework ------------------------------------------------------------------------------------------------
# Each API family (core/api/<family>.py) sets its own authentication, renderers, parsers, exception handler and
# pagination on its base view; these defaults only apply to views outside the four families.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "core.api.openapi.FamilyAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "1200/minute"},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Crewdesk API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The documents show the bodies the family renderers send (tada's envelope, courier's JSON:API documents).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.openapi.family_envelopes",
    ],
    # Several resources have a `status` with its own choices: name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "MembershipStatusEnum": "accounts.models.Membership.Status",
        "ShiftStatusEnum": "workforce.models.Shift.Status",
        "ShiftRequestStatusEnum": "workforce.models.ShiftRequest.Status",
        "TimesheetStatusEnum": "workforce.models.Timesheet.Status",
        "AttendanceStatusEnum": "workforce.models.Attendance.Status",
        "DeviceTypeEnum": "accounts.models.Device.Type",
        "UserConsentTypeEnum": "messaging.models.UserConsent.Type",
        "OrgPreferenceTypeEnum": ["string", "json"],
        "OrgPreferenceNameEnum": "messaging.services.preferences.NAMES",
    },
}
JSON_API_FORMAT_FIELD_NAMES = "dasherize"
JSON_API_FORMAT_TYPES = False
JSON_API_PLURALIZE_TYPES = False

# Which credentials each family reads (DESIGN.md §1); resolved lazily so core/ never imports accounts/.
CREWDESK_AUTHENTICATION = {
    "tommy": [
        "api.authentication.ApiKeyHeaderAuthentication",
        "api.authentication.TokenHeaderAuthentication",
        "api.authentication.BasicLoginAuthentication",
        "api.authentication.SessionCookieAuthentication",
    ],
    "courier": ["api.authentication.BearerAuthentication"],
    "inbox": ["api.authentication.BearerAuthentication"],
    "tada": [
        "api.authentication.TokenHeaderAuthentication",
        "api.authentication.BearerAuthentication",
        "api.authentication.SessionCookieAuthentication",
    ],
}

# --- Phones, one-time codes ------------------------------------------------------------------------------------------
DEFAULT_PHONE_REGION = env_str("DEFAULT_PHONE_REGION", "RU")
OTP_CODE_LENGTH = env_int("OTP_CODE_LENGTH", 4)
OTP_TTL_SECONDS = env_int("OTP_TTL_SECONDS", 300)
OTP_MAX_ATTEMPTS = env_int("OTP_MAX_ATTEMPTS", 5)
OTP_RESEND_COOLDOWN_SECONDS = env_int("OTP_RESEND_COOLDOWN_SECONDS", 30)
OTP_HOURLY_LIMIT_PER_PHONE = env_int("OTP_HOURLY_LIMIT_PER_PHONE", 5)
OTP_HOURLY_LIMIT_PER_IP = env_int("OTP_HOURLY_LIMIT_PER_IP", 20)
QR_LOGIN_TTL_SECONDS = env_int("QR_LOGIN_TTL_SECONDS", 60)
# Per caller: phones/emails matched against users a day, invitations delivered an hour (accounts.services.discovery).
PEOPLE_LOOKUPS_PER_DAY = env_int("PEOPLE_LOOKUPS_PER_DAY", 10_000)
INVITATIONS_PER_HOUR = env_int("INVITATIONS_PER_HOUR", 100)

# --- SMS -----------------------------------------------------------------------------------------------------------
# A server with DEBUG off names its SMS backend: the console one delivers nothing (logins would silently fail) and
# writes into the log; `locmem`/`file` are for test servers, which say so by setting them.
SMS_BACKEND = env_str("SMS_BACKEND", "console" if DEBUG else None)
if not DEBUG and SMS_BACKEND in (None, "console", "messaging.sms.console.ConsoleBackend"):
    raise ImproperlyConfigured(
        "SMS_BACKEND is required when DEBUG is off and may not be `console`: `twilio` (TWILIO_ACCOUNT_SID, "
        "TWILIO_AUTH_TOKEN) or a provider's backend path (`locmem` or `file` only for test servers)."
    )
SMS_DEFAULT_SENDER = env_str("SMS_DEFAULT_SENDER", "+15005550006")
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(VAR_DIR / "sms.jsonl"))
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", "")
# Public base URL Twilio calls back on (e.g. https://crewdesk.example.com); no callback is requested when unset.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "")
SMS_STUCK_AFTER_SECONDS = env_int("SMS_STUCK_AFTER_SECONDS", 300)
# The console backend notes the references it printed here (never the bodies), to answer "did you send it?".
SMS_CONSOLE_JOURNAL = env_str("SMS_CONSOLE_JOURNAL", str(VAR_DIR / "sms-console-journal.jsonl"))
# Replies match a text sent with expected-responses to the same phone within this many days.
SMS_REPLY_WINDOW_DAYS = env_int("SMS_REPLY_WINDOW_DAYS", 7)

# --- Multicasts, push, email (issue 13; messaging/services/multicasts/) ---------------------------------------------
# Recipients per fan-out task; a multicast whose deliveries stay `sending` this long lost its worker (the sweeper).
MULTICAST_CHUNK_SIZE = env_int("MULTICAST_CHUNK_SIZE", 500)
MULTICAST_STUCK_AFTER_SECONDS = env_int("MULTICAST_STUCK_AFTER_SECONDS", 600)
# The estimate's SMS price: per segment (a decimal string) and its currency.
SMS_COST_PER_SEGMENT = env_str("SMS_COST_PER_SEGMENT", "0.0079")
SMS_COST_CURRENCY = env_str("SMS_COST_CURRENCY", "USD")
# console, locmem, file (PUSH_FILE_PATH), providers (Web Push + FCM HTTP v1), dummy (push switched off: each push
# delivery fails saying so) or a dotted path (messaging/push/). With DEBUG off the default is `dummy`, and `console`
# (which delivers nothing and writes messages into the log) is refused, as for SMS.
PUSH_BACKEND = env_str("PUSH_BACKEND", "console" if DEBUG else "dummy")
if not DEBUG and PUSH_BACKEND in ("console", "messaging.push.local.ConsoleBackend"):
    raise ImproperlyConfigured(
        "PUSH_BACKEND may not be `console` when DEBUG is off: `providers` (Web Push and FCM) or `dummy` (no push)."
    )
PUSH_FILE_PATH = env_str("PUSH_FILE_PATH", str(VAR_DIR / "push.jsonl"))
PUSH_TIMEOUT_SECONDS = env_int("PUSH_TIMEOUT_SECONDS", 10)
PUSH_TTL_SECONDS = env_int("PUSH_TTL_SECONDS", 86400)
# Web Push (VAPID): the application server's key pair (base64url; the public one is what browsers subscribe with).
WEBPUSH_VAPID_PRIVATE_KEY = env_str("WEBPUSH_VAPID_PRIVATE_KEY", "")
WEBPUSH_VAPID_PUBLIC_KEY = env_str("WEBPUSH_VAPID_PUBLIC_KEY", "")
WEBPUSH_VAPID_SUBJECT = env_str("WEBPUSH_VAPID_SUBJECT", "mailto:no-reply@localhost")
# FCM HTTP v1: where messages and service-account token requests go (never a URL a stored credential names).
FCM_API_URL = env_str("FCM_API_URL", "https://fcm.googleapis.com")
FCM_TOKEN_URI = env_str("FCM_TOKEN_URI", "https://oauth2.googleapis.com/token")
# Fernet keys for app-credentials at rest (comma-separated, newest first); derived from SECRET_KEY when unset.
APP_CREDENTIALS_KEYS = env_str("APP_CREDENTIALS_KEYS", "")
# Upload tickets (user-email-attachments): how long one stays valid, and the largest file taken.
UPLOAD_TICKET_TTL_SECONDS = env_int("UPLOAD_TICKET_TTL_SECONDS", 3600)
EMAIL_ATTACHMENT_MAX_BYTES = env_int("EMAIL_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)

# --- Outbound webhooks (messaging/services/webhooks.py) -------------------------------------------------------------
# A delivery is retried with exponential backoff (5 s doubling, at most 1 h apart) for this long, then `failed`.
WEBHOOK_RETRY_FOR_SECONDS = env_int("WEBHOOK_RETRY_FOR_SECONDS", 24 * 3600)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
# Callbacks never reach private, link-local or loopback addresses; loopback only where this is on (tests,
# `make run` with a receiver on the same machine). Never on in production.
WEBHOOK_ALLOW_LOOPBACK = env_bool("WEBHOOK_ALLOW_LOOPBACK", default=False)
# After a secret is rotated, deliveries are signed with the old one too for this long.
WEBHOOK_SECRET_ROTATION_GRACE_SECONDS = env_int("WEBHOOK_SECRET_ROTATION_GRACE_SECONDS", 24 * 3600)

# --- Automations (automations/services/runs.py) --------------------------------------------------------------------
# The shortest interval an install's schedule may repeat at (the dispatcher looks for due runs every 5 s).
AUTOMATIONS_MIN_INTERVAL_SECONDS = env_int("AUTOMATIONS_MIN_INTERVAL_SECONDS", 60)
# A run that fails for a transient reason is tried this many times in all (backoff 30 s doubling, at most 1 h).
AUTOMATIONS_MAX_ATTEMPTS = env_int("AUTOMATIONS_MAX_ATTEMPTS", 5)
# A scheduled run found this late (beat was down) is skipped as missed instead of running hours after its time.
AUTOMATIONS_MISSED_AFTER_SECONDS = env_int("AUTOMATIONS_MISSED_AFTER_SECONDS", 3600)

# --- Conversations inbox (inbox/) -------------------------------------------------------------------------------
# The document says its webhooks are retried "indefinitely"; Crewdesk retries (5 s doubling, at most 1 h apart) this
# long, then gives up (`failed`, replayable in the console).
INBOX_WEBHOOK_RETRY_FOR_SECONDS = env_int("INBOX_WEBHOOK_RETRY_FOR_SECONDS", 3 * 24 * 3600)
# WhatsApp's customer-care window: free-form messages only this long after the customer's last message.
INBOX_CARE_WINDOW_HOURS = 24
# Scheduled replies go at most this far ahead.
INBOX_SCHEDULE_MAX_DAYS = env_int("INBOX_SCHEDULE_MAX_DAYS", 30)
# One task drains a channel's waiting inbound events (woken through the cache) instead of one task per event:
# None = on where the cache is shared by every process (Redis), off with the per-process local-memory cache.
INBOX_COALESCE_WAKEUPS = None
# The same for inbound SMS: one task drains a number's waiting messages (messaging/services/inbound.py).
SMS_INBOUND_COALESCE_WAKEUPS = None
# Meta's Graph API (WhatsApp Cloud API); the tests point it at a local server that plays Meta.
WHATSAPP_GRAPH_URL = env_str("WHATSAPP_GRAPH_URL", "https://graph.facebook.com/v21.0")
WHATSAPP_TIMEOUT_SECONDS = env_int("WHATSAPP_TIMEOUT_SECONDS", 15)

# --- Celery --------------------------------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    # No server needed for a local run: kombu's filesystem transport under var/ (DESIGN.md §4).
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = None
    # Every process that publishes (web, shell, worker, beat) needs the folders, not only the ones `make run` starts:
    # without them each enqueue failed (a 500 from any request that sends an SMS).
    try:
        for _folder in ("queue", "processed", "control"):
            (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(f"REDIS_URL is unset and the local broker folder cannot be made: {exc}") from exc
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

# --- Logging: one line per record, carrying the request id ------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_id.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}
