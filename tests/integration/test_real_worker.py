"""A real Celery worker delivers a queued SMS exactly once, even when its task is delivered twice."""

import json
import os
import re

import pytest
from django.db import transaction

from messaging.models import Text
from messaging.services import text_queue
from messaging.tasks import text_send_task

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="integration: REDIS_URL is unset (a real worker needs Redis)"
    ),
    pytest.mark.django_db(transaction=True),
]

SUCCEEDED = re.compile(r"Task messaging\.text_send_task\[[0-9a-f-]+\] succeeded")


def test_text_sent_once_although_its_task_is_published_twice(celery_worker):
    with transaction.atomic():
        text = text_queue(to="+79161234567", body="Your code: 4711", purpose=Text.Purpose.OTP)
    # Committed: the on-commit hook has published the first task. Publish a duplicate, as a redelivery would.
    text_send_task.apply_async(args=[text.pk], queue=text.queue)

    celery_worker.wait_for(
        lambda: len(SUCCEEDED.findall(celery_worker.log())) >= 2, what="both deliveries of text_send_task to finish"
    )

    lines = celery_worker.sent_sms()
    assert len(lines) == 1, lines
    sent = json.loads(lines[0])
    assert sent["to"] == "+79161234567"
    assert sent["body"] == "Your code: 4711"
    assert sent["reference"] == str(text.uid)
    text.refresh_from_db()
    assert text.status == Text.Status.SENT
    assert text.attempts == 1
    assert text.provider_id == f"file-{text.uid}"


def test_sms_login_code_reaches_the_phone_through_a_real_worker(client, celery_worker):
    response = client.post("/api/v3/sms-login", {"phone": "+7 (916) 666-0002"}, format="json")

    assert response.status_code == 200, response.content
    lines = celery_worker.wait_for(celery_worker.sent_sms, what="the login code SMS")
    sms = json.loads(lines[0])
    assert sms["to"] == "+79166660002"
    assert re.search(r"\b\d{4}\b", sms["body"])
    text = Text.objects.get(uid=sms["reference"])
    assert text.purpose == Text.Purpose.OTP
    celery_worker.wait_for(lambda: Text.objects.get(pk=text.pk).status == Text.Status.SENT, what="status sent")
