"""The outbound webhook outbox: signed deliveries to a real local HTTP receiver, retries with backoff for a bounded
time, every attempt logged, ordering and idempotency keys, secret rotation, replay, and refused addresses."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.exceptions import ValidationFailed
from messaging.models import WebhookAttempt, WebhookDelivery
from messaging.services import webhooks
from messaging.webhooks.addresses import validate_webhook_url

pytestmark = pytest.mark.django_db


def enqueue(team, url, **kwargs):
    return webhooks.enqueue_webhook(
        team=team, url=url, event_type=kwargs.pop("event_type", "test.ping"), payload={"n": 1}, **kwargs
    )


def test_delivery_is_signed_with_the_teams_secret_and_logged(
    team, webhook_receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = enqueue(team, webhook_receiver.url + "/hook", headers={"X-Extra": "1"})

    received = webhook_receiver.requests[0]
    secret = webhooks.webhook_secret_get(team=team).secret
    assert received.verified_with(secret) == {
        "type": "test.ping",
        "timestamp": delivery.created_at.isoformat(),
        "data": {"n": 1},
    }
    assert received.headers["webhook-id"] == delivery.message_id
    assert received.headers["X-Extra"] == "1"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 1)
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert (attempt.status_code, attempt.response_excerpt, attempt.error) == (200, "ok", "")


def test_a_forged_signature_does_not_verify(team, other_team, webhook_receiver, django_capture_on_commit_callbacks):
    from standardwebhooks.webhooks import WebhookVerificationError

    with django_capture_on_commit_callbacks(execute=True):
        enqueue(team, webhook_receiver.url)

    with pytest.raises(WebhookVerificationError):
        webhook_receiver.requests[0].verified_with(webhooks.webhook_secret_get(team=other_team).secret)


def test_failures_are_retried_later_with_backoff_then_delivered(
    team, webhook_receiver, django_capture_on_commit_callbacks
):
    webhook_receiver.statuses = [500, 503]
    with django_capture_on_commit_callbacks(execute=True):
        delivery = enqueue(team, webhook_receiver.url)

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert "HTTP 500" in delivery.last_error
    first_gap = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 3 <= first_gap <= 5
    assert webhooks.webhooks_dispatch_due() == 0  # not due yet

    for _ in range(2):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        webhooks.webhooks_dispatch_due()  # eager: the task runs now

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 3)
    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 503, 200]
    assert len(webhook_receiver.requests) == 3
    assert len({r.headers["webhook-id"] for r in webhook_receiver.requests}) == 1


def test_backoff_doubles_and_is_capped():
    assert [round(webhooks.retry_delay(n) / 0.9 / 5) for n in (1, 2, 3)] in ([1, 2, 4], [1, 2, 3], [1, 2, 5])
    assert all(webhooks.retry_delay(n) <= webhooks.MAX_RETRY_GAP_SECONDS for n in range(1, 40))


def test_a_delivery_past_its_window_fails_for_good(team, webhook_receiver, django_capture_on_commit_callbacks):
    webhook_receiver.statuses = [500]
    with django_capture_on_commit_callbacks(execute=True):
        delivery = enqueue(team, webhook_receiver.url)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(give_up_at=timezone.now() + timedelta(seconds=1))

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert "HTTP 500" in delivery.last_error


def test_a_duplicate_task_sends_once(team, webhook_receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = enqueue(team, webhook_receiver.url)
    assert webhooks.webhook_deliver(delivery_id=delivery.pk) == "not-due"
    assert len(webhook_receiver.requests) == 1


def test_same_idempotency_key_queues_one_delivery(team, webhook_receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue(team, webhook_receiver.url, idempotency_key="k1")
        second = enqueue(team, webhook_receiver.url, idempotency_key="k1")
    assert first.pk == second.pk
    assert len(webhook_receiver.requests) == 1


def test_deliveries_with_one_ordering_key_go_in_order(team, webhook_receiver, django_capture_on_commit_callbacks):
    webhook_receiver.statuses = [500]  # the first one fails once; the second must wait for it
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue(team, webhook_receiver.url + "/1", ordering_key="text:1")
        second = enqueue(team, webhook_receiver.url + "/2", ordering_key="text:1")

    assert WebhookDelivery.objects.get(pk=second.pk).status == WebhookDelivery.Status.PENDING
    assert [r.path for r in webhook_receiver.requests] == ["/1"]
    with django_capture_on_commit_callbacks(execute=True):
        WebhookDelivery.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
        webhooks.webhooks_dispatch_due()

    assert [r.path for r in webhook_receiver.requests] == ["/1", "/1", "/2"]
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {WebhookDelivery.Status.DELIVERED}


def test_rotation_signs_with_both_secrets_for_the_grace_period(
    team, webhook_receiver, django_capture_on_commit_callbacks
):
    old = webhooks.webhook_secret_get(team=team).secret
    new = webhooks.webhook_secret_rotate(team=team).secret
    assert new != old
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(team, webhook_receiver.url)

    received = webhook_receiver.requests[0]
    assert received.verified_with(old)["data"] == {"n": 1}
    assert received.verified_with(new)["data"] == {"n": 1}
    assert len(received.headers["webhook-signature"].split(" ")) == 2


def test_replay_sends_a_finished_delivery_again(team, webhook_receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = enqueue(team, webhook_receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.webhook_replay(delivery=delivery) is True
    assert len(webhook_receiver.requests) == 2
    assert WebhookDelivery.objects.get(pk=delivery.pk).attempts == 2


def test_a_worker_lost_mid_attempt_is_tried_again(team, webhook_receiver):
    delivery = enqueue(team, webhook_receiver.url)  # not committed-and-sent: no on-commit capture
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.SENDING, claimed_at=timezone.now() - timedelta(minutes=5)
    )
    webhooks.webhooks_dispatch_due()
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == WebhookDelivery.Status.DELIVERED


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[fe80::1]/hook",
        "http://[::ffff:10.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "ftp://example.com/hook",
        "https://user:pw@example.com/hook",
        "not a url",
    ],
)
def test_private_link_local_and_malformed_urls_are_refused_at_creation(team, url):
    with pytest.raises(ValidationFailed):
        enqueue(team, url)
    assert not WebhookDelivery.objects.exists()


def test_loopback_is_refused_unless_allowed(settings, team):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    for url in ("http://127.0.0.1:8000/hook", "http://localhost/hook", "http://[::1]/hook"):
        with pytest.raises(ValidationFailed):
            validate_webhook_url(url)
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    assert validate_webhook_url("http://127.0.0.1:8000/hook")


def test_a_name_resolving_to_loopback_is_refused_at_the_attempt(
    settings, team, webhook_receiver, django_capture_on_commit_callbacks
):
    """The name passes at creation (not resolved there); resolving before the attempt refuses it, for good."""
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    url = webhook_receiver.url.replace("127.0.0.1", "localhost")
    with django_capture_on_commit_callbacks(execute=True):
        delivery = enqueue(team, url, validate=False)

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert "loopback" in delivery.last_error
    assert webhook_receiver.requests == []
    assert WebhookAttempt.objects.get(delivery=delivery).status_code is None
