import pytest

from tests.messaging.fakes import FakeTwilioBackend, FakeTwilioMessages


@pytest.fixture
def twilio(settings):
    """The real Twilio backend with a fake REST client: `twilio.failures = [503]`, `twilio.calls`."""
    settings.SMS_BACKEND = "tests.messaging.fakes.FakeTwilioBackend"
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    FakeTwilioBackend.messages = FakeTwilioMessages()
    return FakeTwilioBackend.messages


@pytest.fixture
def eager_retries(settings):
    """Eager tasks re-run in place on autoretry only when eager exceptions do not propagate (Celery's apply())."""
    settings.CELERY_TASK_EAGER_PROPAGATES = False
