"""Write-matrix rows for multicasts and notifications (issue 13).

Sending to people (multicasts, user-multicasts, a user's or an individual's multicast, emails) and push set-up
(app credentials) are for the organization's managers (Action.NOTIFY_PEOPLE / CONFIGURE_MESSAGING); a person's own
notifications, badge counts, devices, summary and attachments of emails to them are theirs and their managers';
a user's notification preferences are the person's own (a teammate sees them, 403); the upload ticket's target is
public (its token is the credential). Objects are the member's, in the matrix's team.
"""

import datetime

from django.utils import timezone

from accounts.models import Membership
from messaging.models import Delivery, Multicast, MulticastChunk, UserEmail, UserEmailAttachment, UserNotification
from messaging.services.push_setup import app_credential_create
from tests.factories import MessageTemplateFactory
from tests.permissions.matrix import Write


def _template_body(w, data_field="data"):
    return {"template-id": "shift-reminder", data_field: {"start": "9:00"}, "organization-id": w["team_uid"]}


def _jsonapi(resource_type, attributes):
    return {"data": {"type": resource_type, "attributes": attributes}}


WRITES = [
    Write("courier", "PATCH", "users/{member_user_uid}", "own_visible", lambda w: {
        "data": {"type": "users", "id": w["member_user_uid"], "attributes": {"notifications": ["sms"]}}
    }),
    Write("courier", "POST", "users/{member_user_uid}/multicast", "manager", _template_body),
    Write("courier", "POST", "users/{member_user_uid}/validate-multicast-params", "member", lambda w: {
        **_template_body(w), "individual-id": w["member_individual"]
    }),
    Write("courier", "POST", "individuals/{member_individual}/multicast", "manager",
          lambda w: _template_body(w, "template-data")),
    Write("courier", "POST", "individuals/{member_individual}/recalculate-communication-summary", "member", {}),
    Write("courier", "POST", "multicasts", "manager_body", lambda w: _jsonapi("multicasts", {
        **_template_body(w), "filter-type": "individuals", "filter-value": {"individual-ids": [w["member_individual"]]}
    })),
    Write("courier", "POST", "multicasts/estimate", "manager_body",
          lambda w: _jsonapi("multicasts", {**_template_body(w), "filter-type": "all-participants"})),
    Write("courier", "POST", "multicasts/{finished_multicast}/retry-failed", "manager", {}),
    Write("courier", "POST", "multicasts/{finished_multicast}/cancel", "manager", {}),
    Write("courier", "POST", "user-multicasts", "manager_body", lambda w: {
        **_template_body(w, "template-data"), "individual-ids": [w["member_individual"]]
    }),
    Write("courier", "POST", "user-notifications/{member_notification}/ack", "member", {"ack-previous": True}),
    Write("courier", "POST", "badge-counts", "member_body", lambda w: _jsonapi("badge-counts", {
        "count": 2, "individual-id": w["member_individual"], "type": "appointment"
    })),
    *(
        Write("courier", "POST", path, "member_body", lambda w: _jsonapi("bulk-badge-counts", {
            "values": [{"count": 2, "individual-id": w["member_individual"], "type": "appointment"}]
        }))
        for path in ("bulk-badge-counts/", "bulk-badge-counts")
    ),
    Write("courier", "POST", "user-devices", "member_body", lambda w: _jsonapi("user-devices", {
        "individual-id": w["member_individual"], "token": "fcm-matrix", "type": "fcm"
    })),
    Write("courier", "POST", "app-credentials", "manager_body", lambda w: _jsonapi("app-credentials", {
        "organization-id": w["team_uid"], "type": "fcm",
        "data": {"project_id": "p", "client_email": "a@b.c", "private_key": "k"},
    })),
    Write("courier", "PATCH", "app-credentials/{app_credential}", "manager", lambda w: {
        "data": {"type": "app-credentials", "id": w["app_credential"], "attributes": {"display-name": "x"}}
    }),
    Write("courier", "POST", "user-emails", "manager_body", lambda w: _jsonapi("user-emails", {
        "individual-id": w["member_individual"], "subject": "Hi", "message": "Hello"
    })),
    Write("courier", "POST", "user-emails/{member_email}/send", "manager", {}),
    Write("courier", "POST", "user-email-attachments", "manager_body", lambda w: _jsonapi("user-email-attachments", {
        "email-id": w["member_email"], "filename": "a.txt"
    })),
    Write("courier", "POST", "user-email-attachments/{member_attachment}/process-upload", "member", {}),
    Write("courier", "POST", "uploads/{upload_token}/", "public"),
    Write("courier", "POST", "uploads/{upload_token}", "public"),
]  # fmt: skip


def extend_world(world) -> dict:
    objects = world["objects"]
    team, owner, member = objects["team"], objects["owner"], objects["member"]
    MessageTemplateFactory(team=team, template_id="shift-reminder")
    individual = Membership.objects.get(team=team, user=member)
    multicast = Multicast.objects.create(
        team=team, created_by=owner, template_id="shift-reminder", parts={"sms_body": "hi"}, filter_type="individuals",
        filter_value={"individual-ids": [str(individual.uid)]}, channels=["sms"], status=Multicast.Status.COMPLETE,
        recipients_total=1, chunks_total=1,
    )  # fmt: skip
    chunk = MulticastChunk.objects.create(
        multicast=multicast, seq=0, first_member_id=individual.pk, last_member_id=individual.pk, size=1,
        status=MulticastChunk.Status.PLANNED,
    )  # fmt: skip
    Delivery.objects.create(
        multicast=multicast, chunk=chunk, individual=individual, user=member, channel="sms", status="sent"
    )
    notification = UserNotification.objects.create(
        team=team, multicast=multicast, chunk=chunk, individual=individual, user=member, data={}
    )
    credential = app_credential_create(
        team=team, type="fcm", data={"project_id": "p", "client_email": "a", "private_key": "k"}
    )
    email = UserEmail.objects.create(team=team, individual=individual, to="member@example.com", subject="Hi")
    attachment = UserEmailAttachment.objects.create(
        email=email, filename="a.txt", upload_token="matrix-upload-token",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )  # fmt: skip
    return {
        "member_user_uid": str(member.uid),
        "member_individual": str(individual.uid),
        "finished_multicast": str(multicast.uid),
        "member_notification": str(notification.uid),
        "app_credential": str(credential.uid),
        "member_email": str(email.uid),
        "member_attachment": str(attachment.uid),
        "upload_token": attachment.upload_token,
    }
