"""Inbound SMS ingestion against ping, in one run, driven by wrk (issue 12; DESIGN.md §6).

Starts its own gunicorn (harness.py: config/gunicorn.py, 2 sync workers, DEBUG off, PostgreSQL when DATABASE_URL is
set, else a temporary SQLite file; the broker is REDIS_URL when set, else a file broker in a temporary folder), makes
a team with a text account and a number, then runs wrk against `GET /api/v3/ping` and against the number's inbound
webhook `POST /courier/v1/text-account-numbers/{id}/inbound/` (Twilio's form fields; every request a new MessageSid,
and every tenth one a retry of the previous MessageSid, as a provider retries). It prints both rates, their ratio
(target >= 0.3x ping), p50/p99 latency, and checks that the stored messages equal the distinct MessageSids sent.

    .venv/bin/python bench/bench_inbound_sms.py [--seconds 10] [--connections 8] [--threads 2] [--rounds 2]

With REDIS_URL, processing tasks pile up in that Redis database's `sms` queue (no worker runs): they are purged at
the end, so give the bench a Redis database of its own.
"""

import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import webhooks

SETUP = """
import json
from accounts.models import Membership, Team, User
from messaging.services import numbers, text_account_create
user = User.objects.create_user(email="bench-sms-{tag}@example.com", first_name="Bench", last_name="Owner")
team = Team.objects.create(name="Bench SMS {tag}", created_by=user)
Membership.objects.create(team=team, user=user, status=Membership.Status.OWNER, is_manager=True)
number = numbers.text_number_provision(account=text_account_create(team_id=team.pk), area_code="303")
print(json.dumps({{"uid": str(number.uid), "phone": number.phone_number}}))
"""

COUNT = """
from messaging.models import InboundText
print(InboundText.objects.filter(number__uid="{uid}").count())
"""


def twilio_form(info: dict) -> str:
    """Twilio's form fields as a printf format of the MessageSid's prefix and number, sent to the bench's number."""
    to = quote(info["phone"]).replace("%", "%%")
    return f"MessageSid=%s%022d&From=%%2B12025550177&To={to}&Body=yes"


SMS = webhooks.Webhook(
    label="POST …/text-account-numbers/{id}/inbound/",
    path="/courier/v1/text-account-numbers/{uid}/inbound/",
    setup=SETUP,
    count=COUNT,
    content_type="application/x-www-form-urlencoded",
    prefix="SMRUN%04d",
    body=twilio_form,
    stored="stored messages",
    sent="MessageSids",
)

if __name__ == "__main__":
    webhooks.main(SMS, __doc__.split("\n\n")[0])
