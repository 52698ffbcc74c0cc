"""The SMS console: numbers provisioned and released through the services, inbound messages, consents, opt-outs,
webhook deliveries (replay) and signing secrets (rotate) — each scoped to the teams the staff member manages."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from messaging.models import (
    InboundText,
    SmsOptOut,
    TextNumber,
    UserConsent,
    WebhookDelivery,
    WebhookSecret,
)
from messaging.services import webhooks
from tests.factories import MembershipFactory, TextAccountFactory, TextNumberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(team):
    manager = UserFactory(is_staff=True)
    MembershipFactory(team=team, user=manager, status=Membership.Status.ADMIN)
    manager.user_permissions.set(Permission.objects.filter(content_type__app_label="messaging"))
    client = Client()
    client.force_login(manager)
    return client


@pytest.fixture
def rows(team, other_team, owner, outsider):
    """One row of each journal in the manager's team and one in another team."""
    made = {}
    for key, which, user in (("mine", team, owner), ("theirs", other_team, outsider)):
        number = TextNumberFactory(account=TextAccountFactory(team=which))
        made[key] = {
            "textnumber": number,
            "inboundtext": InboundText.objects.create(
                team=which, number=number, sid=f"SM-{key}", sender="+12025550177", to=number.phone_number
            ),
            "userconsent": UserConsent.objects.create(team=which, user=user, target_id="+12025550177"),
            "smsoptout": SmsOptOut.objects.create(
                team=which, phone="+12025550177", reason="replied STOP", changed_at=timezone.now()
            ),
            "webhookdelivery": webhooks.enqueue_webhook(
                team=which, url="https://hooks.example.com/x", event_type="t", payload={}
            ),
        }
    return made


@pytest.mark.parametrize("model", ["textnumber", "inboundtext", "userconsent", "smsoptout", "webhookdelivery"])
def test_pages_list_only_the_managers_team(browser, rows, model):
    response = browser.get(reverse(f"admin:messaging_{model}_changelist"))
    assert response.status_code == 200
    assert [obj.pk for obj in response.context["cl"].result_list] == [rows["mine"][model].pk]
    assert browser.get(reverse(f"admin:messaging_{model}_change", args=[rows["mine"][model].pk])).status_code == 200
    assert browser.get(reverse(f"admin:messaging_{model}_change", args=[rows["theirs"][model].pk])).status_code == 302


def test_adding_a_number_provisions_it(browser, team):
    account = TextAccountFactory(team=team)
    response = browser.post(
        reverse("admin:messaging_textnumber_add"),
        {"account": account.pk, "area_code": "415", "forward_to": "", "notes": "desk", "events": "{}"},
    )
    assert response.status_code == 302, response.content[:2000]
    number = TextNumber.objects.get()
    assert number.phone_number.startswith("+1415555")
    assert number.twilio_id.startswith("PN")


def test_release_action_gives_the_number_back(browser, rows):
    number = rows["mine"]["textnumber"]
    browser.post(
        reverse("admin:messaging_textnumber_changelist"),
        {"action": "release_numbers", "_selected_action": [number.pk]},
    )
    assert not TextNumber.objects.filter(pk=number.pk).exists()


def test_replay_and_rotate_actions(browser, team, rows, webhook_receiver, django_capture_on_commit_callbacks):
    delivery = rows["mine"]["webhookdelivery"]
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.FAILED, url=webhook_receiver.url
    )
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(
            reverse("admin:messaging_webhookdelivery_changelist"),
            {"action": "replay", "_selected_action": [delivery.pk]},
        )
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == WebhookDelivery.Status.DELIVERED
    assert len(webhook_receiver.requests) == 1

    secret = webhooks.webhook_secret_get(team=team)
    browser.post(
        reverse("admin:messaging_webhooksecret_changelist"), {"action": "rotate", "_selected_action": [secret.pk]}
    )
    rotated = WebhookSecret.objects.get(pk=secret.pk)
    assert rotated.secret != secret.secret
    assert rotated.previous_secret == secret.secret
