"""Issue 12 end to end with a real worker: a text with expected-responses, a matching inbound webhook posted twice
(plus a second matching reply), exactly one signed callback delivered to a local HTTP receiver."""

import json
import os
import time

import pytest
from django.db import transaction

from messaging.models import InboundText, Text, WebhookDelivery
from messaging.services import text_queue, webhooks
from tests.factories import TextAccountFactory, TextNumberFactory

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="integration: REDIS_URL is unset (a real worker needs Redis)"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_matching_reply_reaches_the_callback_once_signed(client, team, celery_worker, webhook_receiver):
    number = TextNumberFactory(account=TextAccountFactory(team=team), phone_number="+12025550123")
    with transaction.atomic():
        text = text_queue(
            to="+12025550177",
            body="Can you work Friday? Reply YES or NO",
            team_id=team.pk,
            account=number.account,
            number=number,
            expected_responses=["YES", "NO"],
            callback_url=f"{webhook_receiver.url}/replies",
            callback_json={"shift": 7},
            callback_one_off=True,
        )
    celery_worker.wait_for(lambda: Text.objects.get(pk=text.pk).status == Text.Status.SENT, what="the text sent")

    inbound_url = f"/courier/v1/text-account-numbers/{number.uid}/inbound/"
    reply = {"MessageSid": "SM" + "7" * 32, "From": "+12025550177", "To": number.phone_number, "Body": " yes "}
    for body in (reply, reply, {**reply, "MessageSid": "SM" + "8" * 32, "Body": "NO"}):
        response = client.post(inbound_url, body)  # form-encoded, as Twilio posts
        assert response.status_code == 200, response.content

    celery_worker.wait_for(
        lambda: InboundText.objects.filter(status=InboundText.Status.PROCESSED).count() == 2,
        what="both distinct replies processed",
    )
    celery_worker.wait_for(lambda: webhook_receiver.requests, what="the callback")
    celery_worker.wait_for(
        lambda: not WebhookDelivery.objects.exclude(status=WebhookDelivery.Status.DELIVERED).exists(),
        what="every delivery finished",
    )
    time.sleep(1)  # a second callback, if one were wrongly queued, would have had time to arrive

    assert InboundText.objects.count() == 2  # the retried webhook stored nothing new
    assert len(webhook_receiver.requests) == 1
    received = webhook_receiver.requests[0]
    assert received.path == "/replies"
    payload = received.verified_with(webhooks.webhook_secret_get(team=team).secret)
    assert payload["type"] == "text.reply"
    assert payload["data"]["text_id"] == str(text.uid)
    assert payload["data"]["response"] == "YES"
    assert payload["data"]["callback_json"] == {"shift": 7}
    assert json.loads(received.body) == payload
