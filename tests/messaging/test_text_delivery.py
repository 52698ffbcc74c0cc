"""Exactly-once SMS delivery: text_queue, text_deliver, the send task, texts_requeue_stuck, forward-only status."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ValidationFailed
from messaging import services, sms
from messaging.models import Text
from messaging.sms import TransientSmsError
from messaging.tasks import text_send_task, texts_requeue_stuck_task
from tests.factories import TextAccountFactory, TextNumberFactory

pytestmark = pytest.mark.django_db


def stored_text(**fields) -> Text:
    """A text row as text_queue leaves it, without enqueueing (the test decides when delivery runs)."""
    return Text.objects.create(**{"to": "+12025550142", "from_number": "+12025550100", "body": "hi", **fields})


def test_text_queue_stores_accepted_and_sends_on_commit(team, django_capture_on_commit_callbacks):
    account = TextAccountFactory(team=team, phone_number="+12025550100")

    with django_capture_on_commit_callbacks(execute=True):
        text = services.text_queue(to="+12025550142", body="hello", account=account)
        assert Text.objects.get(pk=text.pk).status == Text.Status.ACCEPTED
        assert sms.outbox == []

    text.refresh_from_db()
    assert text.status == Text.Status.SENT
    assert text.provider_id == f"locmem-{text.uid}"
    assert text.sent_at is not None
    assert [(m.to, m.from_number, m.reference) for m in sms.outbox] == [("+12025550142", "+12025550100", str(text.uid))]


def test_a_broker_outage_after_commit_keeps_the_text_for_the_sweeper(
    team, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """The write committed, so the caller is not told it failed; the text waits `accepted` and the sweeper sends it."""

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    account = TextAccountFactory(team=team, phone_number="+12025550100")
    with monkeypatch.context() as patch, caplog.at_level("ERROR"):
        patch.setattr(text_send_task, "apply_async", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            text = services.text_queue(to="+12025550142", body="hello", account=account)
    assert "broker unreachable" in caplog.text
    assert Text.objects.get(pk=text.pk).status == Text.Status.ACCEPTED
    Text.objects.filter(pk=text.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    assert services.texts_requeue_stuck() == 1
    assert Text.objects.get(pk=text.pk).status == Text.Status.SENT


def test_text_queue_refuses_a_number_of_another_account(team):
    account = TextAccountFactory(team=team)
    number = TextNumberFactory(account=TextAccountFactory(team=team))

    with pytest.raises(ValidationFailed) as excinfo:
        services.text_queue(to="+12025550142", body="x", account=account, number=number)

    assert "number_id" in excinfo.value.details
    assert not Text.objects.exists()


def test_text_deliver_twice_sends_once():
    text = stored_text()

    assert services.text_deliver(text_id=text.pk) is True
    assert services.text_deliver(text_id=text.pk) is False

    assert len(sms.outbox) == 1
    text.refresh_from_db()
    assert (text.status, text.attempts) == (Text.Status.SENT, 1)


def test_redelivered_task_does_not_resend():
    text = stored_text()

    text_send_task.delay(text.pk)
    text_send_task.delay(text.pk)

    assert len(sms.outbox) == 1


def test_twilio_success_stores_sid_and_requests_the_status_callback(twilio, settings):
    settings.PUBLIC_BASE_URL = "https://crewdesk.example.com/"
    text = stored_text()

    services.text_deliver(text_id=text.pk)

    text.refresh_from_db()
    assert text.status == Text.Status.QUEUED  # Twilio's answer right after accepting
    assert text.provider_id.startswith("SM")
    callback = "https://crewdesk.example.com" + reverse("courier:text-callback", kwargs={"uid": text.uid})
    assert twilio.calls == [{"to": "+12025550142", "from_": "+12025550100", "body": "hi", "status_callback": callback}]


def test_transient_error_puts_the_text_back_for_a_retry(twilio):
    twilio.failures = [503]
    text = stored_text()

    with pytest.raises(TransientSmsError):
        services.text_deliver(text_id=text.pk)

    text.refresh_from_db()
    assert text.status == Text.Status.ACCEPTED
    assert text.attempts == 1
    assert "503" in text.error


def test_task_retries_transient_errors_then_sends_once(twilio, eager_retries):
    twilio.failures = [503, 429]
    text = stored_text()

    text_send_task.delay(text.pk)  # eager: each autoretry re-runs the task in place

    text.refresh_from_db()
    assert len(twilio.calls) == 3
    assert (text.status, text.attempts, text.error) == (Text.Status.QUEUED, 3, "")


def test_task_gives_up_after_max_attempts(twilio, eager_retries):
    twilio.failures = [503] * 10
    text = stored_text()

    text_send_task.delay(text.pk)

    text.refresh_from_db()
    assert len(twilio.calls) == services.MAX_ATTEMPTS
    assert text.status == Text.Status.FAILED
    assert "503" in text.error


def test_permanent_error_fails_without_retry(twilio):
    twilio.failures = [400]
    text = stored_text()

    text_send_task.delay(text.pk)

    text.refresh_from_db()
    assert len(twilio.calls) == 1
    assert text.status == Text.Status.FAILED
    assert "400" in text.error
    assert services.text_deliver(text_id=text.pk) is False  # a failed text is never claimed again


def test_status_callback_overtaking_the_send_keeps_the_later_status(twilio):
    text = stored_text()
    twilio.on_create = lambda kwargs: services.text_apply_status(text=text, status="delivered")

    services.text_deliver(text_id=text.pk)

    text.refresh_from_db()
    assert text.status == Text.Status.DELIVERED
    assert text.provider_id.startswith("SM")


def test_requeue_stuck_resends_lost_and_abandoned_texts(settings):
    settings.SMS_STUCK_AFTER_SECONDS = 300
    now = timezone.now()
    lost = stored_text(to="+12025550001")
    abandoned = stored_text(to="+12025550002", status=Text.Status.SENDING, claimed_at=now - timedelta(minutes=10))
    fresh = stored_text(to="+12025550003")
    in_flight = stored_text(to="+12025550004", status=Text.Status.SENDING, claimed_at=now - timedelta(seconds=30))
    Text.objects.filter(pk__in=[lost.pk, abandoned.pk]).update(created_at=now - timedelta(minutes=15))

    assert texts_requeue_stuck_task.delay().get() == 2

    assert sorted(m.to for m in sms.outbox) == ["+12025550001", "+12025550002"]
    statuses = dict(Text.objects.values_list("pk", "status"))
    assert statuses[lost.pk] == statuses[abandoned.pk] == Text.Status.SENT
    assert statuses[fresh.pk] == Text.Status.ACCEPTED
    assert statuses[in_flight.pk] == Text.Status.SENDING


def test_requeue_stuck_twice_sends_once():
    text = stored_text()
    Text.objects.filter(pk=text.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    services.texts_requeue_stuck()
    services.texts_requeue_stuck()

    assert len(sms.outbox) == 1


def test_status_moves_forward_only():
    text = stored_text(status=Text.Status.SENT)

    assert services.text_apply_status(text=text, status="delivered") is True
    assert services.text_apply_status(text=text, status="sent") is False

    text.refresh_from_db()
    assert text.status == Text.Status.DELIVERED
    assert text.delivered_at is not None


def test_final_statuses_do_not_replace_each_other():
    text = stored_text(status=Text.Status.SENT)

    services.text_apply_status(text=text, status="undelivered", error="Error 30003")
    assert services.text_apply_status(text=text, status="delivered") is False

    text.refresh_from_db()
    assert (text.status, text.error) == (Text.Status.UNDELIVERED, "Error 30003")


def test_unknown_status_is_a_validation_error():
    with pytest.raises(ValidationFailed):
        services.text_apply_status(text=stored_text(), status="teleported")


def test_login_code_is_redacted_from_the_row_once_sent(django_capture_on_commit_callbacks):
    from messaging import sms
    from messaging.models import Text
    from messaging.services import REDACTED_OTP_BODY, system_text_queue

    with django_capture_on_commit_callbacks(execute=True):
        text = system_text_queue(to="+79160000099", body="Your Crewdesk login code: 4821", purpose="otp")
    text.refresh_from_db()
    assert text.status == Text.Status.SENT
    assert text.body == REDACTED_OTP_BODY
    assert sms.outbox[-1].body == "Your Crewdesk login code: 4821"
