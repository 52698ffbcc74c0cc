"""Inbox inbound ingestion against ping, in one run, driven by wrk (issue 15; DESIGN.md §6).

Starts its own gunicorn (harness.py: config/gunicorn.py, 2 sync workers, DEBUG off, PostgreSQL when DATABASE_URL is
set, else a temporary SQLite file; the broker is REDIS_URL when set, else a file broker in a temporary folder), makes
a team with a sandbox channel, then runs wrk against `GET /api/v3/ping` and against the channel's provider webhook
`POST /inbox/v3/providers/sandbox/{uid}` (a customer's JSON message; every request a new provider id, and every tenth
one a retry of the previous id, as a provider retries). The webhook's work in the request is the same as WhatsApp's
(one INSERT ignoring a stored id, then the processing task is queued); WhatsApp's only adds the HMAC check of the
body, which wrk's Lua cannot compute. It prints both rates, their ratio (target >= 0.3x ping), p50/p99 latency, and
checks that the stored events equal the distinct ids sent (none lost, none duplicated).

    .venv/bin/python bench/bench_inbox_inbound.py [--seconds 10] [--connections 8] [--threads 2] [--rounds 2]

With REDIS_URL, processing tasks pile up in that Redis database's `default` queue (no worker runs): they are purged
at the end, so give the bench a Redis database of its own.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import webhooks

SETUP = """
import json
from accounts.models import Membership, Team, User
from inbox.services.channels import channel_create
user = User.objects.create_user(email="bench-inbox-{tag}@example.com", first_name="Bench", last_name="Owner")
team = Team.objects.create(name="Bench inbox {tag}", created_by=user)
Membership.objects.create(team=team, user=user, status=Membership.Status.OWNER, is_manager=True)
channel = channel_create(team=team, kind="sandbox", name="Bench", phone="+1555{digits}")
print(json.dumps({{"uid": str(channel.uid)}}))
"""

COUNT = """
from inbox.models import InboundEvent
print(InboundEvent.objects.filter(channel__uid="{uid}").count())
"""

MESSAGE = '{"id":"%s%d","from":"+31612345678","name":"Bench","message":{"type":"text","body":"Where is my order?"}}'

SANDBOX = webhooks.Webhook(
    label="POST /inbox/v3/providers/sandbox/{uid}",
    path="/inbox/v3/providers/sandbox/{uid}",
    setup=SETUP,
    count=COUNT,
    content_type="application/json",
    prefix="RUN%04d-",
    body=lambda info: MESSAGE,
    stored="stored events",
    sent="provider ids",
)

if __name__ == "__main__":
    webhooks.main(SANDBOX, __doc__.split("\n\n")[0])
