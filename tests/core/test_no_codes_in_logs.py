"""Codes never reach a log (issue 8, item 9): the development console backends print messages with their codes
and tokens masked; the whole message goes to the local outbox files a developer reads."""

import json
import re

import pytest
from django.core.mail import send_mail

from core.redaction import mask_secrets
from tests.helpers import user_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def console_backends(settings, tmp_path):
    settings.SMS_BACKEND = "console"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    settings.EMAIL_BACKEND = "core.mail.ConsoleEmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    return tmp_path


def test_a_login_code_is_masked_on_the_console_and_whole_in_the_outbox(
    client, console_backends, capsys, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v3/sms-login", {"phone": "+79160000001"}, format="json")
    assert response.status_code == 200
    code = re.search(r"(\d{4})", json.loads((console_backends / "sms.jsonl").read_text())["body"]).group(1)
    printed = capsys.readouterr()
    assert "Your Crewdesk login code: ••••" in printed.out
    assert code not in printed.out + printed.err + caplog.text


def test_a_verification_email_is_masked_on_the_console_and_whole_in_the_outbox(
    console_backends, capsys, caplog, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    user = UserFactory(email="fresh@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client(user).post(f"/api/v1/users/{user.pk}/send_verification_email")
    assert response.status_code == 200
    saved = "".join(path.read_text() for path in (console_backends / "mail").iterdir())
    code = re.search(r"code: (\d{4})", saved).group(1)
    printed = capsys.readouterr()
    assert "fresh@example.com" in printed.out
    assert code not in printed.out + printed.err + caplog.text


def test_the_email_console_backend_masks_links_with_tokens(console_backends, capsys):
    send_mail("Join", "Open https://crew.example.com/join/Xq3_vB9dK2LmN7pQ1rSt?pin=482913", None, ["a@example.com"])
    printed = capsys.readouterr().out
    assert "Xq3_vB9dK2LmN7pQ1rSt" not in printed
    assert "482913" not in printed


def test_mask_secrets_keeps_words_and_masks_codes_and_tokens():
    assert mask_secrets("Your Crewdesk login code: 3193") == "Your Crewdesk login code: ••••"
    assert mask_secrets("token abcdefghij0123456789xyz") == "token " + "•" * 23
    assert mask_secrets("send_verification_email at 9:30") == "send_verification_email at 9:30"
