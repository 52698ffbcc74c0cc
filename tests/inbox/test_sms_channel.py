"""SMS channels run on Crewdesk's two-way SMS: inbound texts to the bound number become inbox messages (messaging's
inbound hook); replies go out as Texts from that number and their statuses come back as receipts (its status
hook); a phone that replied STOP gets nothing (a failed receipt, 1011's reason)."""

import pytest

from inbox.models import Conversation, InboxMessage
from inbox.services import webhooks as inbox_webhooks
from messaging import sms
from messaging.models import Text
from messaging.services import optouts, text_apply_status
from tests.factories import TextAccountFactory, TextNumberFactory
from tests.inbox.conftest import url
from tests.inbox.factories import make_channel

pytestmark = pytest.mark.django_db

CUSTOMER = "+12025550177"


@pytest.fixture
def sms_channel(team):
    number = TextNumberFactory(account=TextAccountFactory(team=team), phone_number="+12025550123")
    return make_channel(team, kind="sms", name="SMS", sms_number=number)


def text_in(client, channel, body: str, sid: str = "SM0001"):
    number = channel.sms_number
    fields = {"MessageSid": sid, "From": CUSTOMER, "To": number.phone_number, "Body": body}
    return client.post(f"/courier/v1/text-account-numbers/{number.uid}/inbound/", fields, format="json")


def test_an_inbound_text_becomes_an_inbox_message_once(client, sms_channel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert text_in(client, sms_channel, "Is my order ready?").status_code == 200
        assert text_in(client, sms_channel, "Is my order ready?").status_code == 200  # Twilio retried
    conversation = Conversation.objects.get(contact__jid="12025550177@sms.eazy.im")
    assert conversation.channel == sms_channel
    assert conversation.messages_received == 1
    assert conversation.messages.get().content == {"body": "Is my order ready?"}


def test_a_text_to_a_number_with_no_channel_stays_in_messaging(client, team, django_capture_on_commit_callbacks):
    number = TextNumberFactory(account=TextAccountFactory(team=team), phone_number="+12025550199")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            f"/courier/v1/text-account-numbers/{number.uid}/inbound/",
            {"MessageSid": "SM9", "From": CUSTOMER, "To": number.phone_number, "Body": "hi"},
            format="json",
        )
    assert answer.status_code == 200
    assert not Conversation.objects.exists()


def test_a_reply_goes_out_as_a_text_and_its_status_comes_back_as_receipts(
    client, bearer_client, sms_channel, webhook_receiver, django_capture_on_commit_callbacks
):
    hook = inbox_webhooks.webhook_create(channel=sms_channel, url=webhook_receiver.url, events=["receipt"])
    with django_capture_on_commit_callbacks(execute=True):
        text_in(client, sms_channel, "Hello?")
        response = bearer_client.post(
            url(f"channels/{sms_channel.jid}/messages/12025550177@sms.eazy.im"),
            {"message": {"type": "text", "body": "Yes, ready at 5."}},
            format="json",
        )
    assert response.status_code == 202
    message = InboxMessage.objects.get(uid=response.json()["id"])
    assert message.text is not None
    assert [(m.to, m.from_number, m.body) for m in sms.outbox] == [(CUSTOMER, "+12025550123", "Yes, ready at 5.")]
    assert message.text.status == Text.Status.SENT
    message.refresh_from_db()
    assert message.status == "sent"
    with django_capture_on_commit_callbacks(execute=True):
        text_apply_status(text=message.text, status="delivered")
    message.refresh_from_db()
    assert message.status == "delivered"
    statuses = [r.verified_with(hook.cipher_key)["receipt"]["status"] for r in webhook_receiver.requests]
    assert statuses == ["sent", "delivered"]


def test_a_phone_that_replied_stop_gets_a_failed_receipt(
    client, bearer_client, team, sms_channel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        text_in(client, sms_channel, "Hi")
    optouts.phone_opt_out(team_id=team.pk, phone=CUSTOMER, reason="replied STOP")
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = bearer_client.post(
            url(f"channels/{sms_channel.jid}/messages/12025550177@sms.eazy.im"),
            {"message": {"type": "text", "body": "Offer!"}},
            format="json",
        )
    message = InboxMessage.objects.get(uid=response.json()["id"])
    assert message.status == "failed"
    assert message.error.startswith("MESSAGE_REJECTED")
    assert not sms.outbox


def test_sms_channels_cannot_send_media(bearer_client, sms_channel):
    body = {"message": {"type": "image", "mimeType": "image/png", "url": "https://cdn.example.com/a.png"}}
    response = bearer_client.post(url(f"channels/{sms_channel.jid}/messages/12025550177@sms.eazy.im"), body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == 1005
