"""Tada helpers: ask for an SMS login code and read it back from the locmem outbox."""

import re

import pytest
from rest_framework.test import APIClient

from accounts.services.credentials import auth_token_issue
from messaging import sms

PHONE_RAW = "+7 (916) 6660002"
PHONE = "+79166660002"


def outbox_code(phone: str = PHONE) -> str:
    """The code in the last SMS sent to `phone`."""
    bodies = [message.body for message in sms.outbox if message.to == phone]
    assert bodies, f"no SMS to {phone} in the outbox"
    return re.search(r"(\d{4,})\s*$", bodies[-1]).group(1)


@pytest.fixture
def request_code(client, django_capture_on_commit_callbacks):
    """POST /sms-login for a phone (SMS runs on commit) and return the code the SMS carried."""

    def ask(phone_raw: str = PHONE_RAW, *, api_client=None, **extra) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = (api_client or client).post("/api/v3/sms-login", {"phone": phone_raw}, format="json", **extra)
        assert response.status_code == 200, response.content
        return outbox_code(response.json()["result"]["phone"])

    return ask


@pytest.fixture
def token_client():
    """Builds a client sending `token: <token>`."""

    def make(token: str) -> APIClient:
        c = APIClient()
        c.credentials(HTTP_TOKEN=token)
        return c

    return make


@pytest.fixture
def teammate_client(teammate, token_client):
    """`token` header of a plain member of `team`."""
    return token_client(auth_token_issue(user=teammate)[1])


@pytest.fixture
def outsider_client(outsider_token, token_client):
    """`token` header of the owner of `other_team` (not a member of `team`)."""
    return token_client(outsider_token)
