"""Issue 8 item 6: a worker killed between the provider call and the status write must not send the SMS twice.

A text found stuck in `sending` is not blindly resent: the backend is asked whether it already has the text; when it
cannot tell, login codes are resent and other texts become `failed` ("delivery unknown") for a manager to resend.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from messaging import services, sms
from messaging.models import Text
from messaging.sms.locmem import LocMemBackend
from tests.factories import MembershipFactory, TextAccountFactory, UserFactory
from tests.messaging.fakes import FakeTwilioBackend, FakeTwilioMessageLog

pytestmark = pytest.mark.django_db


class ForgetfulBackend(LocMemBackend):
    """Sends like locmem but keeps no record to look in (the port's default answer: it cannot tell)."""

    def find_sent(self, *, message, called_at):
        raise sms.DeliveryUnknown("no record")


def killed_mid_send(**fields) -> Text:
    """A text whose worker called the provider and died before writing the outcome, ten minutes ago."""
    text = Text.objects.create(**{"to": "+12025550142", "from_number": "+12025550100", "body": "hi", **fields})
    Text.objects.filter(pk=text.pk).update(status=Text.Status.ACCEPTED)
    services.text_deliver(text_id=text.pk)  # the real provider call (locmem) ...
    long_ago = timezone.now() - timedelta(minutes=10)
    # ... whose status write never happened: the row is as the claim left it.
    Text.objects.filter(pk=text.pk).update(
        status=Text.Status.SENDING,
        body=text.body,  # a login code is redacted by the status write, which never happened
        provider_id="",
        sent_at=None,
        claimed_at=long_ago,
        provider_called_at=long_ago,
        created_at=long_ago,
    )
    return Text.objects.get(pk=text.pk)


def test_text_the_provider_already_has_is_recorded_not_sent_again():
    """Regression: the sweeper used to reset every stuck text to `accepted` and send it a second time."""
    text = killed_mid_send()
    assert len(sms.outbox) == 1

    services.texts_requeue_stuck()
    services.texts_requeue_stuck()

    assert len(sms.outbox) == 1
    text.refresh_from_db()
    assert text.status == Text.Status.SENT
    assert text.provider_id == f"locmem-{text.uid}"


def test_text_the_provider_does_not_have_is_sent_once():
    text = killed_mid_send()
    sms.outbox.clear()  # the provider never got it

    services.texts_requeue_stuck()
    services.texts_requeue_stuck()

    assert [m.reference for m in sms.outbox] == [str(text.uid)]
    text.refresh_from_db()
    assert (text.status, text.attempts) == (Text.Status.SENT, 2)


def test_text_claimed_but_never_handed_over_is_sent(settings):
    long_ago = timezone.now() - timedelta(minutes=10)
    text = Text.objects.create(
        to="+12025550142", body="hi", status=Text.Status.SENDING, claimed_at=long_ago, provider_called_at=None
    )
    Text.objects.filter(pk=text.pk).update(created_at=long_ago)

    services.texts_requeue_stuck()

    assert [m.reference for m in sms.outbox] == [str(text.uid)]


def test_unknown_delivery_fails_a_message_with_a_clear_error(settings):
    text = killed_mid_send(purpose=Text.Purpose.NOTIFICATION)
    settings.SMS_BACKEND = "tests.messaging.test_sms_redelivery.ForgetfulBackend"

    services.texts_requeue_stuck()

    text.refresh_from_db()
    assert text.status == Text.Status.FAILED
    assert text.error == services.DELIVERY_UNKNOWN_ERROR
    assert text.error.startswith("Delivery unknown")
    assert len(sms.outbox) == 1


def test_unknown_delivery_resends_a_login_code(settings):
    text = killed_mid_send(purpose=Text.Purpose.OTP, body="Your Crewdesk login code: 4821")
    settings.SMS_BACKEND = "tests.messaging.test_sms_redelivery.ForgetfulBackend"

    services.texts_requeue_stuck()
    services.texts_requeue_stuck()

    assert [m.body for m in sms.outbox] == ["Your Crewdesk login code: 4821"] * 2  # once before the kill, once now
    text.refresh_from_db()
    assert text.status == Text.Status.SENT


def test_file_and_console_backends_find_what_they_sent(settings, tmp_path):
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    message = sms.SmsMessage(to="+12025550142", from_number="+12025550100", body="hi", reference="ref-1")
    other = sms.SmsMessage(to="+12025550142", from_number="+12025550100", body="hi", reference="ref-2")
    for name in ("file", "console"):
        backend = sms.get_backend(name)
        if name == "console":
            import io

            backend.stream = io.StringIO()
        backend.send(message)
        assert backend.find_sent(message=message, called_at=timezone.now()).provider_id == f"{name}-ref-1"
        assert backend.find_sent(message=other, called_at=timezone.now()) is None


@pytest.fixture
def twilio_log(settings):
    settings.SMS_BACKEND = "tests.messaging.fakes.FakeTwilioBackend"
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    FakeTwilioBackend.messages = FakeTwilioMessageLog()
    return FakeTwilioBackend.messages


def test_twilio_finds_the_recorded_call_in_its_message_log(twilio_log):
    text = Text.objects.create(to="+12025550142", from_number="+12025550100", body="Shift at 9")
    services.text_deliver(text_id=text.pk)
    sid = Text.objects.get(pk=text.pk).provider_id
    long_ago = timezone.now() - timedelta(minutes=10)
    Text.objects.filter(pk=text.pk).update(
        status=Text.Status.SENDING, provider_id="", claimed_at=long_ago, provider_called_at=long_ago
    )

    services.texts_requeue_stuck()

    text.refresh_from_db()
    assert (text.status, text.provider_id) == (Text.Status.QUEUED, sid)
    assert len(twilio_log.calls) == 1  # not sent again
    assert twilio_log.list_calls[0]["date_sent_after"] <= long_ago


def test_twilio_log_unavailable_is_delivery_unknown(twilio_log):
    from twilio.base.exceptions import TwilioException

    text = Text.objects.create(to="+12025550142", from_number="+12025550100", body="Shift at 9")
    services.text_deliver(text_id=text.pk)
    long_ago = timezone.now() - timedelta(minutes=10)
    Text.objects.filter(pk=text.pk).update(status=Text.Status.SENDING, claimed_at=long_ago, provider_called_at=long_ago)
    twilio_log.list_error = TwilioException("HTTP 503")

    services.texts_requeue_stuck()

    text.refresh_from_db()
    assert (text.status, text.error) == (Text.Status.FAILED, services.DELIVERY_UNKNOWN_ERROR)
    assert len(twilio_log.calls) == 1


# --- resending by hand -------------------------------------------------------------------------------------------


def test_resend_queues_a_copy_and_keeps_the_original(team, django_capture_on_commit_callbacks):
    account = TextAccountFactory(team=team)
    failed = Text.objects.create(
        team=team,
        account=account,
        to="+12025550142",
        body="Shift at 9",
        status=Text.Status.FAILED,
        error=services.DELIVERY_UNKNOWN_ERROR,
    )

    with django_capture_on_commit_callbacks(execute=True):
        copy = services.text_resend(text=failed)

    assert copy.resent_from == failed
    assert Text.objects.get(pk=copy.pk).status == Text.Status.SENT
    assert [m.body for m in sms.outbox] == ["Shift at 9"]
    assert Text.objects.get(pk=failed.pk).status == Text.Status.FAILED


def test_login_codes_and_live_texts_are_not_resent_by_hand():
    from core.exceptions import ValidationFailed

    otp = Text.objects.create(to="+12025550142", body="code", purpose=Text.Purpose.OTP, status=Text.Status.FAILED)
    live = Text.objects.create(to="+12025550142", body="hi", status=Text.Status.SENT)
    for text in (otp, live):
        with pytest.raises(ValidationFailed):
            services.text_resend(text=text)
    assert Text.objects.count() == 2


def test_admin_resend_action_calls_the_service(team, django_capture_on_commit_callbacks):
    manager = UserFactory(is_staff=True)
    MembershipFactory(team=team, user=manager, status=Membership.Status.ADMIN)
    manager.user_permissions.set(Permission.objects.filter(content_type__app_label="messaging"))
    browser = Client()
    browser.force_login(manager)
    failed = Text.objects.create(team=team, to="+12025550142", body="Shift at 9", status=Text.Status.FAILED)

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            reverse("admin:messaging_text_changelist"),
            {"action": "resend_texts", "_selected_action": [failed.pk]},
        )

    assert response.status_code == 302
    assert Text.objects.filter(resent_from=failed).count() == 1
    assert [m.body for m in sms.outbox] == ["Shift at 9"]
