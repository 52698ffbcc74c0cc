"""Settings for the test suite: the production settings with fast, in-process parts.

PostgreSQL and Redis are used when DATABASE_URL / REDIS_URL are set (CI); SQLite in memory otherwise.
"""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

from config.env import env_bool, env_str
from config.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Eager unless told otherwise: the integration tests start a real worker with CELERY_TASK_ALWAYS_EAGER=0.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
CELERY_TASK_EAGER_PROPAGATES = True
# The in-process suite reads the locmem outbox; a real worker (eager off) takes SMS_BACKEND from the environment.
SMS_BACKEND = "locmem" if CELERY_TASK_ALWAYS_EAGER else env_str("SMS_BACKEND", "locmem")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
SECURE_SSL_REDIRECT = False
# The tests' webhook receivers listen on 127.0.0.1.
WEBHOOK_ALLOW_LOOPBACK = env_bool("WEBHOOK_ALLOW_LOOPBACK", True)
# Pushes go to messaging.push.outbox in-process; a real worker (eager off) takes PUSH_BACKEND from the environment.
PUSH_BACKEND = "locmem" if CELERY_TASK_ALWAYS_EAGER else env_str("PUSH_BACKEND", "locmem")
