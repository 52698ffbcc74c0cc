"""The real TwilioBackend maps provider errors to retryable or permanent ones (its REST client is faked)."""

import pytest

from messaging import sms
from messaging.sms import PermanentSmsError, SmsMessage, TransientSmsError

MESSAGE = SmsMessage(to="+12025550142", from_number="+12025550100", body="hi", reference="ref-1")


@pytest.mark.parametrize("status", [503, 500, 429])
def test_server_errors_and_rate_limits_are_transient(twilio, status):
    twilio.failures = [status]

    with pytest.raises(TransientSmsError, match=str(status)):
        sms.get_backend().send(MESSAGE)


@pytest.mark.parametrize("status", [400, 404])
def test_client_errors_are_permanent(twilio, status):
    twilio.failures = [status]

    with pytest.raises(PermanentSmsError, match=str(status)):
        sms.get_backend().send(MESSAGE)


def test_success_returns_the_sid_and_twilios_status(twilio):
    result = sms.get_backend().send(MESSAGE)

    assert result.provider_id.startswith("SM")
    assert (result.status, result.from_number) == ("queued", "+12025550100")
    assert "status_callback" not in twilio.calls[0]  # no public URL configured


def test_twilio_backend_requires_credentials(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = ""

    with pytest.raises(ImproperlyConfigured):
        sms.get_backend()
