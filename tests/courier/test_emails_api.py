"""courier user-emails (list, create with auto-send, get, send) and user-email-attachments (list, start upload with
an upload ticket, upload, get with link, process-upload); the email leaves through Django's email backend."""

import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.services.credentials import auth_token_issue
from messaging.models import UserEmail, UserEmailAttachment
from tests.courier.conftest import document, errors_of

pytestmark = pytest.mark.django_db

EMAILS = "/courier/v1/user-emails/"
ATTACHMENTS = "/courier/v1/user-email-attachments/"


def post(api, url, resource_type, attributes):
    return api.post(url, json.dumps(document(resource_type, attributes)), content_type="application/json")


def draft(api, team, individual, **attributes):
    body = {
        "auto-send": False,
        "individual-id": str(individual.uid),
        "message": "See you at 9.",
        "message-html": "<p>See you at <b>9</b>.</p>",
        "sender-organization-id": str(team.uid),
        "subject": "Tomorrow",
        "to": "crew@example.com",
        **attributes,
    }
    return post(api, EMAILS, "user-emails", body)


def test_auto_send_emails_at_once(bearer_client, team, crew, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = draft(bearer_client, team, crew[0], **{"auto-send": True})
    assert response.status_code == 201, response.content
    attributes = response.json()["data"]["attributes"]
    assert attributes["to"] == ["crew@example.com"]
    assert attributes["task-id"]
    [sent] = mail.outbox
    assert (sent.to, sent.subject, sent.alternatives[0][0]) == (
        ["crew@example.com"],
        "Tomorrow",
        "<p>See you at <b>9</b>.</p>",
    )
    email = UserEmail.objects.get(uid=response.json()["data"]["id"])
    assert email.status == "sent"
    assert bearer_client.get(f"{EMAILS}{email.uid}/").json()["data"]["attributes"]["status"] == "sent"


def test_draft_with_an_uploaded_attachment_then_send(
    bearer_client, client, team, crew, settings, tmp_path, django_capture_on_commit_callbacks
):
    created = draft(bearer_client, team, crew[0], to="")
    email_id = created.json()["data"]["id"]
    assert created.json()["data"]["attributes"]["status"] == "draft"
    assert created.json()["data"]["attributes"]["to"] == [crew[0].user.email]

    ticket = post(
        bearer_client,
        ATTACHMENTS,
        "user-email-attachments",
        {"email-id": email_id, "filename": "rota.csv", "content-type": "text/csv"},
    )
    assert ticket.status_code == 201, ticket.content
    assert set(ticket.json()) == {"expiration-time", "id", "upload-data", "upload-url"}
    url = ticket.json()["upload-url"]
    not_yet = bearer_client.post(f"{ATTACHMENTS}{ticket.json()['id']}/process-upload/", {}, format="json")
    assert errors_of(not_yet)[0]["source"] == {"pointer": "/data/attributes/file"}
    uploaded = client.post(
        url, {**ticket.json()["upload-data"], "file": SimpleUploadedFile("rota.csv", b"a,b\n1,2\n")}, format="multipart"
    )
    assert uploaded.status_code == 204, uploaded.content
    processed = bearer_client.post(f"{ATTACHMENTS}{ticket.json()['id']}/process-upload/", {}, format="json")
    assert processed.status_code == 201
    attributes = processed.json()["data"]["attributes"]
    assert (attributes["ready-to-use"], attributes["size"]) == (True, 8)
    assert attributes["download-link"].startswith("http://testserver/media/email-attachments/")
    listed = bearer_client.get(ATTACHMENTS, {"email-id": email_id, "with-link": "true"}).json()["data"]
    assert len(listed) == 1
    assert client.post(url, {"file": SimpleUploadedFile("x", b"x")}, format="multipart").status_code == 404  # used

    with django_capture_on_commit_callbacks(execute=True):
        sent = bearer_client.post(f"{EMAILS}{email_id}/send/", {}, format="json")
    assert sent.status_code == 201
    [message] = mail.outbox
    assert message.attachments[0][:2] == ("rota.csv", "a,b\n1,2\n")
    assert bearer_client.post(f"{EMAILS}{email_id}/send/", {}, format="json").status_code == 400  # not twice


def test_email_validation_and_access(bearer_client, outsider_bearer_client, client, team, crew):
    assert errors_of(draft(bearer_client, team, crew[0], subject=""))[0]["source"] == {
        "pointer": "/data/attributes/subject"
    }
    assert errors_of(draft(bearer_client, team, crew[0], to="not-an-email"))[0]["source"] == {
        "pointer": "/data/attributes/to"
    }
    member = APIClient()
    member.credentials(HTTP_AUTHORIZATION=f"Bearer {auth_token_issue(user=crew[1].user)[1]}")
    assert draft(member, team, crew[0]).status_code == 403
    email_id = draft(bearer_client, team, crew[0]).json()["data"]["id"]
    assert outsider_bearer_client.get(f"{EMAILS}{email_id}/").status_code == 404
    assert draft(outsider_bearer_client, team, crew[0]).status_code == 404
    assert client.get(EMAILS).status_code == 401
    assert bearer_client.get(EMAILS).status_code == 400  # individual-id is required
    bad_ticket = post(bearer_client, ATTACHMENTS, "user-email-attachments", {"email-id": email_id, "filename": ""})
    assert errors_of(bad_ticket)[0]["source"] == {"pointer": "/data/attributes/filename"}
    assert client.post("/courier/v1/uploads/nope/", {}, format="multipart").status_code == 404


def test_email_lists_count_queries(bearer_client, team, crew, django_assert_max_num_queries):
    for n in range(3):
        draft(bearer_client, team, crew[0], subject=f"s{n}")
    email = UserEmail.objects.first()
    for n in range(3):
        UserEmailAttachment.objects.create(
            email=email, filename=f"f{n}", upload_token=f"t{n}", expires_at=email.created_at
        )
    for limit in (1, 100):
        with django_assert_max_num_queries(7):
            response = bearer_client.get(EMAILS, {"individual-id": str(crew[0].uid), "page[limit]": limit})
        assert len(response.json()["data"]) == min(limit, 3)
        with django_assert_max_num_queries(7):
            response = bearer_client.get(ATTACHMENTS, {"email-id": str(email.uid), "page[limit]": limit})
        assert len(response.json()["data"]) == min(limit, 3)
