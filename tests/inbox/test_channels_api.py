"""Channels, their WhatsApp profile, QR codes, templates and automated messages (sandbox and SMS channels)."""

import pytest

from inbox.models import AutomatedMessage, Channel, QrCode, Template, TemplateTranslation
from inbox.services import webhooks as inbox_webhooks
from tests.factories import TextAccountFactory, TextNumberFactory
from tests.inbox.conftest import assert_error, url
from tests.inbox.factories import approved_template, make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_channel(team):
    number = TextNumberFactory(account=TextAccountFactory(team=team), phone_number="+12025550123")
    return make_channel(team, kind="sms", name="SMS", sms_number=number)


# --- channels ------------------------------------------------------------------------------------------------------


def test_channels_are_the_companys(bearer_client, channel, other_channel):
    body = bearer_client.get(url("channels")).json()
    assert body == [{"dataRetentionInDays": 90, "jid": channel.jid, "name": "Sandbox", "priority": 0}]


@pytest.mark.parametrize("size", [2, 12])
def test_channel_list_query_count_is_constant(bearer_client, team, size, django_assert_max_num_queries):
    for _ in range(size):
        make_channel(team)
    with django_assert_max_num_queries(5):
        assert len(bearer_client.get(url("channels")).json()) == size


def test_channel_patch_name_and_priority(bearer_client, channel):
    response = bearer_client.patch(url(f"channels/{channel.jid}"), {"name": "Support line", "priority": 3})
    assert response.json()["name"] == "Support line"
    channel.refresh_from_db()
    assert channel.priority == 3


def test_channel_patch_reads_the_documents_integer_name(bearer_client, channel):
    assert bearer_client.patch(url(f"channels/{channel.jid}"), {"name": 0}, format="json").json()["name"] == "0"


def test_channel_patch_validates(bearer_client, channel):
    assert_error(bearer_client.patch(url(f"channels/{channel.jid}"), {"priority": "high"}, format="json"), 400, 1005)


def test_channel_patch_by_an_agent_is_1002(member_client, channel):
    assert_error(member_client.patch(url(f"channels/{channel.jid}"), {"name": "x"}, format="json"), 403, 1002)


def test_a_malformed_channel_jid_is_1005(bearer_client):
    assert bearer_client.patch(url("channels/not-a-jid"), {"name": "x"}).json()["error"] == {
        "code": 1005,
        "message": "Jid is invalid",
    }


# --- profile ------------------------------------------------------------------------------------------------------


def test_profile_post_replaces_and_patch_merges(bearer_client, channel, django_capture_on_commit_callbacks):
    full = {
        "about": "Welcome!",
        "businessProfile": {
            "address": "High St 1",
            "description": "Shop",
            "email": "a@example.com",
            "vertical": None,
            "websites": ["https://a.example"],
        },  # fmt: skip
    }
    assert bearer_client.post(url(f"channels/{channel.jid}/profile"), full, format="json").status_code == 200
    patched = bearer_client.patch(
        url(f"channels/{channel.jid}/profile"), {"businessProfile": {"description": "Bakery"}}, format="json"
    ).json()
    assert patched["about"] == "Welcome!"
    assert patched["businessProfile"]["description"] == "Bakery"
    assert patched["businessProfile"]["address"] == "High St 1"
    replaced = bearer_client.post(url(f"channels/{channel.jid}/profile"), {"about": "Only this"}, format="json")
    assert replaced.json()["businessProfile"]["address"] == ""  # left out of a POST: emptied
    assert bearer_client.get(url(f"channels/{channel.jid}/profile")).json()["about"] == "Only this"


def test_profile_validates(bearer_client, channel):
    body = {"businessProfile": {"email": "not an email"}}
    assert_error(bearer_client.patch(url(f"channels/{channel.jid}/profile"), body, format="json"), 400, 1005)
    three = {"businessProfile": {"websites": ["https://a.example", "https://b.example", "https://c.example"]}}
    assert_error(bearer_client.post(url(f"channels/{channel.jid}/profile"), three, format="json"), 400, 1005)


def test_whatsapp_features_on_an_sms_channel_are_1005(bearer_client, sms_channel):
    for path in ("profile", "qr-codes", "templates"):
        assert_error(bearer_client.get(url(f"channels/{sms_channel.jid}/{path}")), 400, 1005)


# --- QR codes -----------------------------------------------------------------------------------------------------


def test_qr_code_lifecycle_on_the_sandbox(bearer_client, channel):
    created = bearer_client.post(url(f"channels/{channel.jid}/qr-codes"), {"message": "About product ABC"})
    assert created.status_code == 201
    code = created.json()["code"]
    assert created.json()["image"].startswith("data:image/png;base64,")
    assert bearer_client.get(url(f"channels/{channel.jid}/qr-codes")).json()[0]["code"] == code
    patched = bearer_client.patch(url(f"channels/{channel.jid}/qr-codes/{code}"), {"message": "Changed"})
    assert patched.json()["message"] == "Changed"
    assert_error(bearer_client.patch(url(f"channels/{channel.jid}/qr-codes/{code}"), {}), 400, 1005)
    assert bearer_client.delete(url(f"channels/{channel.jid}/qr-codes/{code}")).status_code == 204
    assert not QrCode.objects.exists()
    assert_error(bearer_client.delete(url(f"channels/{channel.jid}/qr-codes/{code}")), 404, 1009)


@pytest.mark.parametrize("size", [2, 12])
def test_qr_code_list_query_count_is_constant(bearer_client, channel, size, django_assert_max_num_queries):
    for n in range(size):
        QrCode.objects.create(channel=channel, code=f"C{n}", url="https://sandbox.invalid/x")
    with django_assert_max_num_queries(6):
        assert len(bearer_client.get(url(f"channels/{channel.jid}/qr-codes")).json()) == size


# --- templates ----------------------------------------------------------------------------------------------------


def test_template_on_the_sandbox_is_approved_and_told(
    bearer_client, channel, webhook_receiver, django_capture_on_commit_callbacks
):
    hook = inbox_webhooks.webhook_create(channel=channel, url=webhook_receiver.url, events=["template_pack"])
    body = {
        "name": "support_after_24hours",
        "language": "en",
        "category": "ISSUE_RESOLUTION",
        "components": '[{"type": "BODY", "text": "We are back, {{1}}."}]',
    }  # the document types it as a string
    with django_capture_on_commit_callbacks(execute=True):
        response = bearer_client.post(url(f"channels/{channel.jid}/templates"), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["translations"] == [
        {
            "components": [{"type": "body", "text": "We are back, {{1}}."}],
            "localeName": "en",
            "status": "PENDING",
            "rejectedReason": "NONE",
        }  # fmt: skip
    ]
    assert TemplateTranslation.objects.get().status == "APPROVED"
    assert webhook_receiver.requests[0].verified_with(hook.cipher_key)["template"]["status"] == "APPROVED"
    listed = bearer_client.get(url(f"channels/{channel.jid}/templates")).json()
    assert listed["namespace"] == channel.template_namespace
    assert listed["templates"][0]["translations"][0]["status"] == "APPROVED"


@pytest.mark.parametrize(
    "body",
    [
        {"language": "en", "category": "X"},
        {"name": "Has Spaces", "language": "en", "category": "X"},
        {"name": "ok", "language": "english", "category": "X"},
        {"name": "ok", "language": "en", "category": "X", "components": [{"type": "SIDEBAR"}]},
        {"name": "ok", "language": "en", "category": "X", "components": "not json"},
    ],
)
def test_template_create_validates(bearer_client, channel, body):
    assert_error(bearer_client.post(url(f"channels/{channel.jid}/templates"), body, format="json"), 400, 1005)
    assert not Template.objects.exists()


def test_a_second_language_joins_the_template_and_a_repeat_is_1014(bearer_client, channel):
    approved_template(channel, name="hello")
    nl = {"name": "hello", "language": "nl", "category": "ACCOUNT_UPDATE"}
    assert bearer_client.post(url(f"channels/{channel.jid}/templates"), nl, format="json").status_code == 201
    assert_error(bearer_client.post(url(f"channels/{channel.jid}/templates"), nl, format="json"), 409, 1014)
    assert Template.objects.get().translations.count() == 2


def test_template_delete_removes_every_language(bearer_client, channel):
    approved_template(channel, name="hello")
    approved_template(channel, name="hello", language="nl")
    assert bearer_client.delete(url(f"channels/{channel.jid}/templates/hello")).status_code == 204
    assert not TemplateTranslation.objects.exists()
    assert_error(bearer_client.delete(url(f"channels/{channel.jid}/templates/hello")), 404, 1009)


@pytest.mark.parametrize("size", [2, 12])
def test_template_list_query_count_is_constant(bearer_client, channel, size, django_assert_max_num_queries):
    for n in range(size):
        approved_template(channel, name=f"t{n}")
    with django_assert_max_num_queries(6):
        assert len(bearer_client.get(url(f"channels/{channel.jid}/templates")).json()["templates"]) == size


# --- automated messages -------------------------------------------------------------------------------------------


def test_every_channel_has_both_automated_messages(bearer_client, channel):
    body = bearer_client.get(url(f"channels/{channel.jid}/automated-messages")).json()
    assert sorted(m["type"] for m in body) == ["AWAY", "GREETING"]
    assert all(m["enabled"] is False for m in body)


def test_automated_message_patch(bearer_client, channel):
    path = url(f"channels/{channel.jid}/automated-messages/AWAY")
    response = bearer_client.patch(path, {"body": "We are closed.", "enabled": True}, format="json")
    assert response.json()["body"] == "We are closed."
    assert AutomatedMessage.objects.get(channel=channel, type="AWAY").enabled is True
    assert bearer_client.get(path).json()["enabled"] is True


def test_automated_message_validates_and_unknown_types_are_1009(bearer_client, channel):
    assert_error(
        bearer_client.patch(url(f"channels/{channel.jid}/automated-messages/AWAY"), {"enabled": "sure"}), 400, 1005
    )
    assert_error(bearer_client.get(url(f"channels/{channel.jid}/automated-messages/FAREWELL")), 404, 1009)


def test_sms_channel_has_the_numbers_jid(sms_channel):
    assert sms_channel.jid == "12025550123@sms.eazy.im"
    assert Channel.objects.get(pk=sms_channel.pk).sms_number.phone_number == "+12025550123"
