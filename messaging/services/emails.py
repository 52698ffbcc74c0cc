"""Emails to one individual (courier `user-emails`) with attachments uploaded through upload tickets.

An email is a `draft` until sent; sending queues a Celery task (its id is the email's `task-id`) that claims the
row (`queued → sending`, conditional UPDATE), sends it through Django's email backend (console in `make run`, locmem
in tests, a provider through django-anymail in production) with its ready attachments, and records `sent` or
`failed` with the backend's answer in `result`.

Upload tickets: "start upload" makes the attachment row with a random token and an expiry and answers where to
upload (`upload-url`, this server's `/courier/v1/uploads/<token>/`) and the form fields to send with it
(`upload-data`); the file goes to the default storage (local files under MEDIA_ROOT in `make run`);
`process-upload` checks it arrived and marks the attachment ready to use.
"""

import logging
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from core.exceptions import NotFoundError, ValidationFailed
from messaging.models import UserEmail, UserEmailAttachment

logger = logging.getLogger(__name__)


@transaction.atomic
def user_email_create(
    *,
    individual: Membership,
    subject: str,
    message: str = "",
    message_html: str = "",
    to: str = "",
    auto_send: bool = False,
    by=None,
) -> UserEmail:
    """A draft to `individual` (at `to`, else their own address); with `auto_send` it is queued at once."""
    address = to or individual.user.email or ""
    if not address:
        raise ValidationFailed.for_field("to", "The individual has no email address: give `to`.")
    email = UserEmail.objects.create(
        team=individual.team,
        individual=individual,
        created_by=by if by is not None and by.pk else None,
        to=address,
        subject=subject,
        message=message,
        message_html=message_html,
    )
    if auto_send:
        user_email_send(email=email)
    return email


@transaction.atomic
def user_email_send(*, email: UserEmail) -> UserEmail:
    """Queue a draft (or a failed email, again) for sending. Sending twice is refused."""
    task_id = str(uuid.uuid4())
    moved = UserEmail.objects.filter(pk=email.pk, status__in=[UserEmail.Status.DRAFT, UserEmail.Status.FAILED]).update(
        status=UserEmail.Status.QUEUED, task_id=task_id, result="", updated_at=timezone.now()
    )
    if not moved:
        raise ValidationFailed.for_field("status", f"The email is already {email.status}.")
    from messaging.tasks import user_email_send_task

    transaction.on_commit(
        lambda: user_email_send_task.apply_async(args=[email.pk], task_id=task_id, queue="email"), robust=True
    )
    email.refresh_from_db()
    return email


def user_email_deliver(*, email_id: int) -> str:
    """Send one queued email exactly once (claimed by a conditional UPDATE)."""
    now = timezone.now()
    if not UserEmail.objects.filter(pk=email_id, status=UserEmail.Status.QUEUED).update(
        status=UserEmail.Status.SENDING, claimed_at=now, updated_at=now
    ):
        return "gone"
    email = UserEmail.objects.select_related("team").get(pk=email_id)
    message = mail.EmailMultiAlternatives(
        subject=email.subject,
        body=email.message,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"X-Crewdesk-Reference": str(email.uid)},
    )
    if email.message_html:
        message.attach_alternative(email.message_html, "text/html")
    for attachment in email.attachments.filter(ready=True).order_by("id"):
        with attachment.file.open("rb") as handle:
            message.attach(attachment.filename, handle.read(), attachment.content_type or None)
    try:
        sent = message.send()
    except Exception as exc:  # the backend refused or could not connect: recorded on the row, never raised
        logger.warning("user email %s failed: %s", email.uid, exc)
        status, result = UserEmail.Status.FAILED, f"{type(exc).__name__}: {exc}"[:500]
    else:
        status, result = (
            (UserEmail.Status.SENT, "accepted by the mail backend")
            if sent
            else (
                UserEmail.Status.FAILED,
                "the mail backend sent nothing",
            )
        )
    UserEmail.objects.filter(pk=email_id, status=UserEmail.Status.SENDING).update(
        status=status, result=result, sent_at=timezone.now() if status == UserEmail.Status.SENT else None
    )
    return status


# --- attachments and upload tickets -----------------------------------------------------------------------------------


@transaction.atomic
def attachment_start(*, email: UserEmail, filename: str, content_type: str = "") -> UserEmailAttachment:
    if email.status not in (UserEmail.Status.DRAFT, UserEmail.Status.FAILED):
        raise ValidationFailed.for_field("email_id", "Attachments can be added to a draft only.")
    name = filename.replace("/", "_").replace("\\", "_").strip() or "attachment"
    return UserEmailAttachment.objects.create(
        email=email,
        filename=name[:255],
        content_type=content_type[:255],
        upload_token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + timedelta(seconds=settings.UPLOAD_TICKET_TTL_SECONDS),
    )


def attachment_for_ticket(*, token: str) -> UserEmailAttachment:
    found = UserEmailAttachment.objects.filter(upload_token=token, expires_at__gt=timezone.now()).first()
    if found is None or found.ready:
        raise NotFoundError("No such upload ticket (or it expired).")
    return found


@transaction.atomic
def attachment_upload(*, attachment: UserEmailAttachment, content, size: int) -> UserEmailAttachment:
    """Store the uploaded bytes (a file-like object) under the attachment; a second upload replaces the first."""
    if size > settings.EMAIL_ATTACHMENT_MAX_BYTES:
        raise ValidationFailed.for_field(
            "file", f"The file is larger than {settings.EMAIL_ATTACHMENT_MAX_BYTES} bytes."
        )
    if attachment.file:
        attachment.file.delete(save=False)
    attachment.file.save(attachment.filename, File(content), save=False)
    attachment.size = size
    attachment.save(update_fields=["file", "size"])
    return attachment


@transaction.atomic
def attachment_process(*, attachment: UserEmailAttachment) -> UserEmailAttachment:
    """Finish an upload: the file must be there; the attachment becomes ready to use (idempotent)."""
    if attachment.ready:
        return attachment
    if not attachment.file or not attachment.file.storage.exists(attachment.file.name):
        raise ValidationFailed.for_field("file", "Nothing was uploaded to this ticket yet.")
    attachment.size = attachment.file.size
    attachment.ready = True
    attachment.save(update_fields=["size", "ready"])
    return attachment
