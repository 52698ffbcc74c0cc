"""The one fake allowed here: a Twilio REST client, so the real TwilioBackend's mapping runs without a network."""

from types import SimpleNamespace

from twilio.base.exceptions import TwilioRestException

from messaging.sms.twilio import TwilioBackend


class FakeTwilioMessages:
    def __init__(self):
        self.calls: list[dict] = []
        self.failures: list[int] = []  # HTTP statuses to raise, one per call, before succeeding
        self.on_create = None  # called with the kwargs before answering (to simulate a racing callback)

    def create(self, **kwargs):
        self.calls.append(kwargs)
        if self.on_create is not None:
            self.on_create(kwargs)
        if self.failures:
            status = self.failures.pop(0)
            raise TwilioRestException(status, "/2010-04-01/Accounts/AC/Messages.json", msg=f"HTTP {status}", code=21211)
        return SimpleNamespace(sid=f"SM{len(self.calls):032d}", status="queued", from_=kwargs["from_"])


class FakeTwilioBackend(TwilioBackend):
    """TwilioBackend with `client()` answered by FakeTwilioMessages (set per test through the fixture)."""

    messages = FakeTwilioMessages()

    def client(self):
        return SimpleNamespace(messages=type(self).messages)


class FakeTwilioMessageLog(FakeTwilioMessages):
    """Twilio's message log too: `list()` answers what `create()` accepted (or raises `list_error`)."""

    def __init__(self):
        super().__init__()
        self.sent: list[SimpleNamespace] = []
        self.list_error: Exception | None = None
        self.list_calls: list[dict] = []

    def create(self, **kwargs):
        message = super().create(**kwargs)
        self.sent.append(SimpleNamespace(**vars(message), to=kwargs["to"], body=kwargs["body"], date_created=None))
        return message

    def list(self, **kwargs):
        self.list_calls.append(kwargs)
        if self.list_error is not None:
            raise self.list_error
        return [m for m in self.sent if m.to == kwargs["to"] and m.from_ == kwargs["from_"]]
