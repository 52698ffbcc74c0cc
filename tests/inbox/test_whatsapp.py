"""The WhatsApp Cloud API adapter against a local server playing Meta (tests/inbox/fake_meta.py): sends, templates,
profile, QR codes, media, and the inbound webhook (handshake, signature, messages, receipts, template decisions)."""

import pytest

from inbox.models import Conversation, InboundEvent, InboxMessage, TemplateTranslation
from inbox.services import webhooks as inbox_webhooks
from tests.inbox.conftest import assert_error, url
from tests.inbox.factories import ConversationFactory, approved_template
from tests.inbox.fake_meta import notification, signed

pytestmark = pytest.mark.django_db


def send(client, channel, jid, message, capture, **body):
    with capture(execute=True):
        return client.post(url(f"channels/{channel.jid}/messages/{jid}"), {"message": message, **body}, format="json")


def test_text_goes_to_the_cloud_api_and_records_the_wamid(
    bearer_client, whatsapp, meta, django_capture_on_commit_callbacks
):
    conversation = ConversationFactory(contact__channel=whatsapp, contact__jid="447700900001@whatsapp.eazy.im")
    response = send(bearer_client, whatsapp, conversation.contact.jid, {"type": "text", "body": "Hello"},
                    django_capture_on_commit_callbacks)  # fmt: skip
    assert response.status_code == 202
    assert meta.sends() == [
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "447700900001",
            "type": "text",
            "text": {"body": "Hello", "preview_url": False},
        }
    ]
    assert meta.calls[0].path == "/v21.0/PN-1/messages"
    message = InboxMessage.objects.get(uid=response.json()["id"])
    assert message.status == "sent"
    assert message.provider_id == "wamid.TEST000001"


def test_template_and_media_bodies(bearer_client, whatsapp, meta, django_capture_on_commit_callbacks):
    approved_template(whatsapp, name="ticket", text="Ticket {{1}}")
    jid = "447700900002@whatsapp.eazy.im"
    template = {"type": "template", "template": {"name": "ticket", "language": "en", "parameters": ["42"]}}
    assert send(bearer_client, whatsapp, jid, template, django_capture_on_commit_callbacks).status_code == 202
    ConversationFactory(contact__channel=whatsapp, contact__jid="447700900003@whatsapp.eazy.im")
    document = {"type": "document", "mimeType": "application/pdf", "fileName": "a.pdf", "title": "Invoice",
                "url": "https://cdn.example.com/a.pdf"}  # fmt: skip
    send(bearer_client, whatsapp, "447700900003@whatsapp.eazy.im", document, django_capture_on_commit_callbacks)
    first, second = meta.sends()
    assert first["template"] == {
        "name": "ticket",
        "language": {"code": "en"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": "42"}]}],
    }
    assert second["type"] == "document"
    assert second["document"] == {"link": "https://cdn.example.com/a.pdf", "filename": "a.pdf"}


def test_a_refused_send_fails_with_the_mapped_reason_and_a_failed_receipt(
    bearer_client, whatsapp, meta, webhook_receiver, django_capture_on_commit_callbacks
):
    hook = inbox_webhooks.webhook_create(channel=whatsapp, url=webhook_receiver.url, events=["receipt"])
    conversation = ConversationFactory(contact__channel=whatsapp, contact__jid="447700900004@whatsapp.eazy.im")
    meta.failures.append((400, 131026, "Message undeliverable"))
    response = send(bearer_client, whatsapp, conversation.contact.jid, {"type": "text", "body": "x"},
                    django_capture_on_commit_callbacks)  # fmt: skip
    assert response.status_code == 202  # refused later, by the network
    message = InboxMessage.objects.get(uid=response.json()["id"])
    assert message.status == "failed"
    assert message.error.startswith("NO_WHATSAPP")
    receipt = webhook_receiver.requests[0].verified_with(hook.cipher_key)
    assert receipt["receipt"]["status"] == "failed"
    assert receipt["receipt"]["error"].startswith("NO_WHATSAPP")


def test_an_outage_leaves_the_message_queued_for_the_retry(bearer_client, whatsapp, meta, settings):
    from inbox.providers import TransientProviderError
    from inbox.services.sending import message_deliver
    from inbox.tasks import message_deliver_task

    conversation = ConversationFactory(contact__channel=whatsapp, contact__jid="447700900005@whatsapp.eazy.im")
    response = bearer_client.post(
        url(f"channels/{whatsapp.jid}/messages/{conversation.contact.jid}"),
        {"message": {"type": "text", "body": "x"}},
        format="json",
    )
    message = InboxMessage.objects.get(uid=response.json()["id"])
    meta.failures.append((503, 2, "Service temporarily unavailable"))
    with pytest.raises(TransientProviderError):
        message_deliver(message_id=message.pk, final=False)
    message.refresh_from_db()
    assert message.status == "queued"  # Celery's retry (with backoff) takes it again
    assert "temporarily unavailable" in message.error
    message_deliver_task.apply(args=[message.pk])
    message.refresh_from_db()
    assert message.status == "sent"
    assert len(meta.sends()) == 2


def test_the_last_retry_fails_the_message(bearer_client, whatsapp, meta):
    from inbox.services.sending import message_deliver

    conversation = ConversationFactory(contact__channel=whatsapp, contact__jid="447700900006@whatsapp.eazy.im")
    response = bearer_client.post(
        url(f"channels/{whatsapp.jid}/messages/{conversation.contact.jid}"),
        {"message": {"type": "text", "body": "x"}},
        format="json",
    )
    meta.failures.append((500, 1, "An unknown error occurred"))
    assert message_deliver(message_id=InboxMessage.objects.get(uid=response.json()["id"]).pk, final=True) == "failed"
    assert InboxMessage.objects.get(uid=response.json()["id"]).status == "failed"


# --- inbound webhook -----------------------------------------------------------------------------------------------


def test_subscription_handshake(client, whatsapp):
    path = url(f"providers/whatsapp/{whatsapp.uid}")
    ok = client.get(path, {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"})
    assert ok.status_code == 200
    assert ok.content == b"1158201444"
    wrong = client.get(path, {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"})
    assert_error(wrong, 403, 1002)


def _post(client, channel, payload, *, signature=None):
    body, good = signed(payload)
    return client.generic(
        "POST",
        url(f"providers/whatsapp/{channel.uid}"),
        body,
        "application/json",
        HTTP_X_HUB_SIGNATURE_256=signature if signature is not None else good,
    )


INBOUND = {
    "from": "447700900010",
    "id": "wamid.IN1",
    "timestamp": "1764700000",
    "type": "text",
    "text": {"body": "Where is my order?"},
}


def test_inbound_message_opens_a_conversation_once(client, whatsapp, meta, django_capture_on_commit_callbacks):
    payload = notification("PN-1", messages=[INBOUND], contacts=[{"profile": {"name": "Ann"}, "wa_id": "447700900010"}])
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, whatsapp, payload).status_code == 200
        assert _post(client, whatsapp, payload).status_code == 200  # Meta retries: stored once
    assert InboundEvent.objects.count() == 1
    conversation = Conversation.objects.get(contact__jid="447700900010@whatsapp.eazy.im")
    assert conversation.contact.name == "Ann"
    assert conversation.messages_received == 1
    assert conversation.unread_count == 1
    message = conversation.messages.get()
    assert message.content == {"body": "Where is my order?"}
    assert int(message.sent_at.timestamp()) == 1764700000


@pytest.mark.parametrize("signature", ["", "sha256=" + "0" * 64, "md5=abc"])
def test_a_forged_webhook_is_403_and_stores_nothing(client, whatsapp, signature):
    response = _post(client, whatsapp, notification("PN-1", messages=[INBOUND]), signature=signature)
    assert_error(response, 403, 1002)
    assert not InboundEvent.objects.exists()


def test_status_receipts_move_the_message_forward(client, whatsapp, meta, django_capture_on_commit_callbacks):
    conversation = ConversationFactory(contact__channel=whatsapp, contact__jid="447700900011@whatsapp.eazy.im")
    sent = InboxMessage.objects.create(
        team=whatsapp.team, channel=whatsapp, conversation=conversation, direction="out", type="text",
        content={"body": "x"}, status="sent", sender="agent", provider_id="wamid.OUT1",
    )  # fmt: skip
    statuses = [
        {"id": "wamid.OUT1", "status": "read", "timestamp": "1764700100", "recipient_id": "447700900011"},
        {"id": "wamid.OUT1", "status": "delivered", "timestamp": "1764700050", "recipient_id": "447700900011"},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, whatsapp, notification("PN-1", statuses=statuses)).status_code == 200
    sent.refresh_from_db()
    assert sent.status == "read"  # a late `delivered` never takes `read` back


def test_media_is_looked_up_at_the_network(client, whatsapp, meta, django_capture_on_commit_callbacks):
    image = {"from": "447700900012", "id": "wamid.IMG", "timestamp": "1764700000", "type": "image",
             "image": {"id": "MEDIA-9", "mime_type": "image/jpeg", "caption": "Broken box"}}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, whatsapp, notification("PN-1", messages=[image]))
    message = InboxMessage.objects.get(provider_id="wamid.IMG")
    assert message.type == "image"
    assert message.content == {
        "mimeType": "image/jpeg",
        "caption": "Broken box",
        "media": {"url": "https://lookaside.example.com/media/MEDIA-9", "size": 2048},
    }


def test_a_button_reply_is_a_postback(client, whatsapp, meta, webhook_receiver, django_capture_on_commit_callbacks):
    hook = inbox_webhooks.webhook_create(channel=whatsapp, url=webhook_receiver.url, events=["postback", "message"])
    button = {"from": "447700900013", "id": "wamid.BTN", "timestamp": "1764700000", "type": "button",
              "button": {"payload": "CONFIRM", "text": "Confirm"}}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, whatsapp, notification("PN-1", messages=[button]))
    [event] = [r.verified_with(hook.cipher_key) for r in webhook_receiver.requests]
    assert event["type"] == "postback"
    assert event["postback"]["payload"] == "CONFIRM"
    assert event["postback"]["text"] == "Confirm"


# --- templates, profile, QR codes ----------------------------------------------------------------------------------


def test_template_is_submitted_and_its_approval_is_a_template_pack(
    bearer_client, client, whatsapp, meta, webhook_receiver, django_capture_on_commit_callbacks
):
    hook = inbox_webhooks.webhook_create(channel=whatsapp, url=webhook_receiver.url, events=["template_pack"])
    body = {"name": "ticket", "language": "en", "category": "TICKET_UPDATE",
            "components": [{"type": "BODY", "text": "Ticket {{1}}"}]}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = bearer_client.post(url(f"channels/{whatsapp.jid}/templates"), body, format="json")
    assert response.status_code == 201
    assert response.json()["translations"][0]["status"] == "PENDING"
    submitted = next(c for c in meta.calls if c.path.endswith("/message_templates"))
    assert submitted.body == {"name": "ticket", "language": "en", "category": "TICKET_UPDATE",
                              "components": [{"type": "BODY", "text": "Ticket {{1}}"}]}  # fmt: skip
    decision = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA-1", "changes": [{"field": "message_template_status_update", "value": {
            "event": "APPROVED", "message_template_id": 9001, "message_template_name": "ticket",
            "message_template_language": "en", "reason": "NONE"}}]}],
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, whatsapp, decision).status_code == 200
    assert TemplateTranslation.objects.get().status == "APPROVED"
    pack = webhook_receiver.requests[0].verified_with(hook.cipher_key)
    assert pack["template"] == {"name": "ticket", "category": "TICKET_UPDATE", "localeName": "en",
                                "status": "APPROVED", "rejectedReason": "NONE"}  # fmt: skip


def test_template_delete_reaches_the_network(bearer_client, whatsapp, meta, django_capture_on_commit_callbacks):
    approved_template(whatsapp, name="ticket")
    with django_capture_on_commit_callbacks(execute=True):
        assert bearer_client.delete(url(f"channels/{whatsapp.jid}/templates/ticket")).status_code == 204
    deleted = next(c for c in meta.calls if c.method == "DELETE")
    assert deleted.path == "/v21.0/WABA-1/message_templates"
    assert deleted.query == {"name": ["ticket"]}


def test_profile_is_pushed_to_the_network(bearer_client, whatsapp, meta, django_capture_on_commit_callbacks):
    body = {"about": "We help", "businessProfile": {"email": "info@example.com", "websites": ["https://a.example"]}}
    with django_capture_on_commit_callbacks(execute=True):
        response = bearer_client.post(url(f"channels/{whatsapp.jid}/profile"), body, format="json")
    assert response.status_code == 200
    assert response.json()["phoneNumber"] == 15550001234
    pushed = next(c for c in meta.calls if c.path.endswith("/whatsapp_business_profile"))
    assert pushed.body == {"messaging_product": "whatsapp", "about": "We help", "email": "info@example.com",
                           "websites": ["https://a.example"]}  # fmt: skip


def test_qr_codes_are_made_by_the_network(bearer_client, whatsapp, meta):
    response = bearer_client.post(url(f"channels/{whatsapp.jid}/qr-codes"), {"message": "Hi"}, format="json")
    assert response.status_code == 201
    code = response.json()["code"]
    assert response.json()["url"] == f"https://wa.me/message/{code}"
    assert response.json()["image"] == f"https://scontent.example.com/qr/{code}.png"
    meta.failures.append((500, 1, "An unknown error occurred"))
    failed = bearer_client.delete(url(f"channels/{whatsapp.jid}/qr-codes/{code}"))
    assert_error(failed, 502, 1012)
    assert bearer_client.delete(url(f"channels/{whatsapp.jid}/qr-codes/{code}")).status_code == 204
    assert meta.calls[-1].path == f"/v21.0/PN-1/message_qrdls/{code}"
