"""The Celery application: `celery -A config worker -Q sms_otp,sms,multicast,push,email,webhooks,default`."""

import os
import sys

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if os.path.basename(sys.argv[0]) == "celery":
    # A worker or beat started by the `celery` command is production unless DEBUG=1 is given (`make run` gives it).
    # Other processes import this module too (config/__init__.py), so only the command itself sets the default.
    os.environ.setdefault("DEBUG", "0")

app = Celery("crewdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")

# Queues by workload (DESIGN.md §4): a 100k-recipient multicast must never delay a login code.
QUEUES = ("sms_otp", "sms", "multicast", "push", "email", "webhooks", "default")
app.conf.task_queues = [Queue(name) for name in QUEUES]
app.conf.task_routes = {
    "messaging.text_send_task": {"queue": "sms"},  # login codes are re-routed to sms_otp at enqueue time
    "messaging.webhook_deliver_task": {"queue": "webhooks"},
    "messaging.webhooks_dispatch_due_task": {"queue": "webhooks"},
    "messaging.multicast_plan_task": {"queue": "multicast"},
    "messaging.multicast_chunk_task": {"queue": "multicast"},
    "messaging.multicasts_sweep_task": {"queue": "multicast"},
    "messaging.delivery_sms_task": {"queue": "sms"},
    "messaging.delivery_push_task": {"queue": "push"},
    "messaging.delivery_email_task": {"queue": "email"},
    "messaging.user_email_send_task": {"queue": "email"},
    "messaging.*": {"queue": "sms"},
    "workforce.*": {"queue": "default"},
    "inbox.*": {"queue": "default"},
    "automations.*": {"queue": "default"},
}
# Beat's schedule, synced into django_celery_beat's tables on start (editable in the admin afterwards).
app.conf.beat_schedule = {
    "texts-requeue-stuck": {
        "task": "messaging.texts_requeue_stuck_task",
        "schedule": 60.0,
        "options": {"expires": 50},  # a sweep that waited longer than its period is skipped, not stacked
    },
    "inbound-requeue-stuck": {  # inbound SMS whose processing was lost or rolled back
        "task": "messaging.inbound_requeue_stuck_task",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    "webhooks-dispatch-due": {  # webhook retries are rows with next_attempt_at, sent when due (no long countdowns)
        "task": "messaging.webhooks_dispatch_due_task",
        "schedule": 10.0,
        "options": {"expires": 9},
    },
    "multicasts-sweep": {  # lost plans/fan-outs/sends, deliveries a dead worker left `sending` (fanout.py)
        "task": "messaging.multicasts_sweep_task",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    "automations-syncs-sweep": {  # fail syncs whose worker died, re-enqueue lost ones (automations/services/demo.py)
        "task": "automations.syncs_sweep_task",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
    "automations-runs-tick": {  # due action runs, watched triggers, lost runs (automations/services/runs.py)
        "task": "automations.runs_tick_task",
        "schedule": 5.0,
        "options": {"expires": 4},
    },
    "inbox-scheduled-replies": {  # scheduled inbox replies: due rows claimed once (inbox/services/scheduled.py)
        "task": "inbox.scheduled_replies_dispatch_task",
        "schedule": 10.0,
        "options": {"expires": 9},
    },
    "inbox-sweep": {  # inbox events and messages whose enqueue was lost or whose worker died
        "task": "inbox.sweep_task",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    "workforce-notices-tick": {  # shift reminders: plan rows + send the due ones (workforce/services/notices.py)
        "task": "workforce.notices_tick_task",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
}
app.autodiscover_tasks()
