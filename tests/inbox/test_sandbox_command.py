"""`manage.py inbox_sandbox`: the customer of a sandbox channel, from the command line."""

import io

import pytest
from django.core.management import CommandError, call_command

from inbox.models import Conversation, InboxMessage

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("inbox_sandbox", *args, stdout=out)
    return out.getvalue()


def test_say_then_read_our_answer(channel, bearer_client, django_capture_on_commit_callbacks):
    assert "processed" in run("say", "Hi there", "--from", "+31600001111", "--name", "Ann", "--now")
    conversation = Conversation.objects.get()
    assert conversation.contact.name == "Ann"
    with django_capture_on_commit_callbacks(execute=True):
        sent = bearer_client.post(
            f"/inbox/v3/channels/{channel.jid}/messages/{conversation.contact.jid}",
            {"message": {"type": "text", "body": "Hello Ann"}},
            format="json",
        ).json()["id"]
    run("read", sent, "--channel", channel.jid, "--now")
    assert InboxMessage.objects.get(uid=sent).status == "read"


def test_bad_input_is_a_command_error(channel):
    with pytest.raises(CommandError):
        run("say", "x", "--from", "not a phone")
    with pytest.raises(CommandError):
        run("read")
    with pytest.raises(CommandError):
        run("say", "x", "--channel", "nobody@sandbox.eazy.im")
