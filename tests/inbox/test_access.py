"""Every documented inbox endpoint: without a credential 401 / 1001; called by another company on this company's
objects 404 / 1009 — in the inbox envelope, changing nothing (the calls of tests/contract/inbox_calls.py)."""

import json
from pathlib import Path

import pytest

from inbox.models import Contact, Conversation, InboxMessage, InboxTeam, Label, Note
from tests.contract.inbox_calls import build_world, call

pytestmark = pytest.mark.django_db

SAMPLES = json.loads((Path(__file__).parents[1] / "contract" / "samples" / "inbox.json").read_text())
OWN_COMPANY = ("/keys", "/companies", "/channels", "/companies/current/quick-replies")
CASES = [pytest.param(e, id=f"{e['method']} {e['path']}") for e in SAMPLES]
FOREIGN = [c for c in CASES if not c.values[0]["path"].startswith(OWN_COMPANY) or "{" in c.values[0]["path"]]


def _send(client, entry, world):
    path, body = call(entry, world)
    data = json.dumps(body) if body is not None else ""
    return client.generic(entry["method"], "/inbox/v3" + path, data, "application/json")


def _state():
    return (
        Contact.objects.count(),
        Conversation.objects.filter(status="OPEN").count(),
        InboxMessage.objects.count(),
        Note.objects.count(),
        Label.objects.count(),
        InboxTeam.objects.count(),
    )


@pytest.mark.parametrize("entry", CASES)
def test_without_a_credential_is_1001(entry, client, team, owner):
    world = build_world(team, owner)
    before = _state()
    response = _send(client, entry, world)
    assert response.status_code == 401
    assert response.json()["error"] == {"code": 1001, "message": response.json()["error"]["message"]}
    assert response.json()["traceId"]
    assert _state() == before


@pytest.mark.parametrize("entry", FOREIGN)
def test_another_companys_object_is_1009(entry, outsider_bearer_client, team, owner):
    world = build_world(team, owner)
    before = _state()
    response = _send(outsider_bearer_client, entry, world)
    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == 1009
    assert _state() == before
