"""Contacts of a channel, the blacklist, contact lists and notes (with their `note` events)."""

import pytest

from inbox.models import Contact, Note
from inbox.services import webhooks as inbox_webhooks
from tests.inbox.conftest import assert_error, url
from tests.inbox.factories import ContactFactory, ContactListFactory, NoteFactory

pytestmark = pytest.mark.django_db

JID = "31611111111@sandbox.eazy.im"


def test_contact_create_and_read(bearer_client, channel):
    body = {"jid": JID, "name": "John Doe", "reference": "Customer #545", "remarks": "VIP"}
    response = bearer_client.post(url(f"channels/{channel.jid}/contacts"), body, format="json")
    assert response.status_code == 201
    assert response.json() == {
        "jid": JID,
        "name": "John Doe",
        "names": ["John Doe"],
        "notes": [],
        "phoneNumber": 31611111111,
        "reference": "Customer #545",
        "remarks": "VIP",
        "type": "INDIVIDUAL",
    }
    assert bearer_client.get(url(f"channels/{channel.jid}/contacts/{JID}")).json()["remarks"] == "VIP"


@pytest.mark.parametrize(
    "jid", ["31611111111@whatsapp.eazy.im", "john@sandbox.eazy.im", "31611111111", "", "1@sandbox.eazy.im"]
)
def test_contact_create_needs_a_jid_of_the_channel(bearer_client, channel, jid):
    response = bearer_client.post(url(f"channels/{channel.jid}/contacts"), {"jid": jid}, format="json")
    assert_error(response, 400, 1005)
    assert not Contact.objects.exists()


def test_contact_create_twice_is_1014(bearer_client, channel):
    ContactFactory(channel=channel, jid=JID)
    assert_error(bearer_client.post(url(f"channels/{channel.jid}/contacts"), {"jid": JID}), 409, 1014)


def test_contact_patch(bearer_client, channel):
    ContactFactory(channel=channel, jid=JID, name="Old", remarks="keep")
    response = bearer_client.patch(url(f"channels/{channel.jid}/contacts/{JID}"), {"name": "New"}, format="json")
    assert response.json()["name"] == "New"
    assert response.json()["remarks"] == "keep"
    too_long = {"reference": "x" * 201}
    assert_error(bearer_client.patch(url(f"channels/{channel.jid}/contacts/{JID}"), too_long, format="json"), 400, 1005)


def test_unknown_contact_is_1009(bearer_client, channel):
    assert_error(bearer_client.get(url(f"channels/{channel.jid}/contacts/{JID}")), 404, 1009)


# --- blacklist ----------------------------------------------------------------------------------------------------


def test_block_and_unblock(bearer_client, channel):
    contact = ContactFactory(channel=channel, jid=JID)
    assert bearer_client.post(url(f"channels/{channel.jid}/contacts/blacklist/{JID}")).status_code == 204
    assert bearer_client.get(url(f"channels/{channel.jid}/contacts/blacklist")).json() == [JID]
    contact.refresh_from_db()
    assert contact.blacklisted
    assert bearer_client.delete(url(f"channels/{channel.jid}/contacts/blacklist/{JID}")).status_code == 204
    assert bearer_client.get(url(f"channels/{channel.jid}/contacts/blacklist")).json() == []


def test_a_number_can_be_blocked_before_it_writes(bearer_client, channel):
    assert bearer_client.post(url(f"channels/{channel.jid}/contacts/blacklist/{JID}")).status_code == 204
    assert Contact.objects.get(jid=JID).blacklisted


def test_blocking_a_malformed_jid_is_1005_and_unblocking_a_stranger_1009(bearer_client, channel):
    assert_error(bearer_client.post(url(f"channels/{channel.jid}/contacts/blacklist/nobody")), 400, 1005)
    assert_error(bearer_client.delete(url(f"channels/{channel.jid}/contacts/blacklist/{JID}")), 404, 1009)


@pytest.mark.parametrize("size", [2, 12])
def test_blacklist_query_count_is_constant(bearer_client, channel, size, django_assert_max_num_queries):
    from django.utils import timezone

    ContactFactory.create_batch(size, channel=channel, blacklisted_at=timezone.now())
    with django_assert_max_num_queries(5):
        assert len(bearer_client.get(url(f"channels/{channel.jid}/contacts/blacklist")).json()) == size


# --- lists --------------------------------------------------------------------------------------------------------


def test_add_to_and_remove_from_a_list_answer_200(bearer_client, channel):
    contact = ContactFactory(channel=channel, jid=JID)
    members = ContactListFactory(channel=channel, name="Mailing list")
    path = url(f"channels/{channel.jid}/lists/{members.jid}/{JID}")
    response = bearer_client.post(path)
    assert response.status_code == 200
    assert response.content == b""
    assert list(members.contacts.all()) == [contact]
    assert bearer_client.delete(path).status_code == 200
    assert not members.contacts.exists()


def test_list_membership_needs_known_list_and_contact(bearer_client, channel):
    members = ContactListFactory(channel=channel)
    assert_error(bearer_client.post(url(f"channels/{channel.jid}/lists/{members.jid}/{JID}")), 404, 1009)
    ContactFactory(channel=channel, jid=JID)
    assert_error(bearer_client.post(url(f"channels/{channel.jid}/lists/nope@list.eazy.im/{JID}")), 404, 1009)
    assert_error(bearer_client.post(url(f"channels/{channel.jid}/lists/{members.jid}/bad")), 400, 1005)


@pytest.mark.parametrize("size", [2, 12])
def test_contact_lists_query_count_is_constant(bearer_client, channel, size, django_assert_max_num_queries):
    ContactListFactory.create_batch(size, channel=channel)
    with django_assert_max_num_queries(5):
        assert len(bearer_client.get(url(f"channels/{channel.jid}/lists")).json()) == size


# --- notes --------------------------------------------------------------------------------------------------------


def test_note_create_update_delete_with_events(
    bearer_client, owner, channel, conversation, webhook_receiver, django_capture_on_commit_callbacks
):
    hook = inbox_webhooks.webhook_create(channel=channel, url=webhook_receiver.url, events=["note"])
    base = url(f"channels/{channel.jid}/contacts/{conversation.contact.jid}/notes")
    with django_capture_on_commit_callbacks(execute=True):
        created = bearer_client.post(base, {"body": "Customer number #63553", "referenceId": "CUSTOMER_NUMBER"})
    assert created.status_code == 201
    note = created.json()
    assert note["createdBy"] == owner.email  # an API key acts as the manager who made it
    updated = bearer_client.post(f"{base}/{note['id']}", {"isPinned": True}, format="json")
    assert updated.status_code == 201  # as documented
    assert updated.json()["isPinned"] is True
    assert updated.json()["body"] == "Customer number #63553"
    with django_capture_on_commit_callbacks(execute=True):
        assert bearer_client.delete(f"{base}/{note['id']}").status_code == 204
    assert not Note.objects.exists()
    events = [r.verified_with(hook.cipher_key) for r in webhook_receiver.requests]
    assert [(e["type"], e["note"]["action"]) for e in events] == [("note", "created"), ("note", "deleted")]
    assert events[0]["note"]["id"] == note["id"]
    assert events[0]["from"]["jid"] == conversation.contact.jid


def test_a_read_only_note_only_changes_its_flag(bearer_client, channel, conversation):
    note = NoteFactory(contact=conversation.contact, is_read_only=True)
    base = url(f"channels/{channel.jid}/contacts/{conversation.contact.jid}/notes/{note.uid}")
    assert_error(bearer_client.post(base, {"body": "changed"}, format="json"), 403, 1002)
    assert_error(bearer_client.delete(base), 403, 1002)
    assert bearer_client.post(base, {"isReadOnly": False}, format="json").status_code == 201
    assert bearer_client.post(base, {"body": "changed"}, format="json").json()["body"] == "changed"


def test_note_validation_and_unknown_note(bearer_client, channel, conversation):
    base = url(f"channels/{channel.jid}/contacts/{conversation.contact.jid}/notes")
    assert_error(bearer_client.post(base, {"body": ["a list"]}, format="json"), 400, 1005)
    assert_error(bearer_client.post(f"{base}/not-a-uuid", {"body": "x"}, format="json"), 404, 1009)


@pytest.mark.parametrize("size", [2, 12])
def test_note_list_query_count_is_constant(bearer_client, channel, conversation, size, django_assert_max_num_queries):
    NoteFactory.create_batch(size, contact=conversation.contact)
    with django_assert_max_num_queries(6):
        response = bearer_client.get(url(f"channels/{channel.jid}/contacts/{conversation.contact.jid}/notes"))
    assert len(response.json()) == size


@pytest.mark.parametrize("size", [2, 12])
def test_contact_read_query_count_is_constant(
    bearer_client, channel, conversation, size, django_assert_max_num_queries
):
    NoteFactory.create_batch(size, contact=conversation.contact)
    with django_assert_max_num_queries(7):
        response = bearer_client.get(url(f"channels/{channel.jid}/contacts/{conversation.contact.jid}"))
    assert len(response.json()["notes"]) == size
