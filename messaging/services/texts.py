"""Outbound texts: queue one (never to an opted-out phone), deliver it exactly once, apply provider status reports
and forward each status change to the text's `callback_status_url`, recover texts whose worker died mid-send."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import links
from core.exceptions import ValidationFailed
from core.phones import normalize_phone
from messaging import hooks, sms
from messaging.models import Text, TextAccount, TextNumber, TextUserNumberMap
from messaging.services import optouts
from messaging.services.webhooks import enqueue_webhook
from messaging.webhooks.addresses import validate_webhook_url

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
REDACTED_OTP_BODY = "[one-time code redacted after sending]"
OPTED_OUT_ERROR = "Not sent: the recipient opted out of texts from this organization (replied STOP)."
DELIVERY_UNKNOWN_ERROR = (
    "Delivery unknown: the worker stopped after handing the text to the provider, and the provider could not say "
    "whether it has it. Not resent automatically, to avoid a duplicate; resend it by hand if it did not arrive."
)
# Statuses a client hears about on callback_status_url; `accepted` and our own `sending` (claimed) are internal.
FORWARDED_STATUSES = (
    Text.Status.QUEUED,
    Text.Status.SENT,
    Text.Status.DELIVERED,
    Text.Status.UNDELIVERED,
    Text.Status.FAILED,
)


def _enqueue(text: Text) -> None:
    from messaging.tasks import text_send_task

    # robust: a broker that is down must not turn the committed write into a 500; texts_requeue_stuck re-enqueues
    # a text still `accepted` a minute on.
    transaction.on_commit(lambda: text_send_task.apply_async(args=[text.pk], queue=text.queue), robust=True)


def mapped_number(*, account: TextAccount | None, user) -> TextNumber | None:
    """The member's own number (text-user-number-maps) when it belongs to `account`."""
    if account is None or user is None or not getattr(user, "pk", None):
        return None
    found = (
        TextUserNumberMap.objects.filter(team_id=account.team_id, user=user, number__account=account)
        .select_related("number")
        .first()
    )
    return found.number if found else None


def sender_for(*, account: TextAccount | None, number: TextNumber | None) -> str:
    """The given number, else the account's number, else the configured default sender."""
    if number is not None:
        return number.phone_number
    if account is not None and account.phone_number:
        return account.phone_number
    return settings.SMS_DEFAULT_SENDER


@transaction.atomic
def text_queue(
    *,
    to: str,
    body: str,
    purpose: str = Text.Purpose.MESSAGE,
    team_id: int | None = None,
    account: TextAccount | None = None,
    number: TextNumber | None = None,
    created_by=None,
    **callbacks,
) -> Text:
    """Store an outbound SMS as `accepted` and enqueue its sending once the transaction commits.

    The sender is `number`, else the creator's own number on the account (text-user-number-maps), else the
    account's number, else the default sender. A text to a phone that opted out of the team is stored `failed`
    and never sent (answers to STOP/START/HELP themselves excepted).
    """
    if number is not None and account is not None and number.account_id != account.pk:
        raise ValidationFailed.for_field("number_id", "This number does not belong to the given text account.")
    for field in ("callback_url", "callback_status_url"):
        if callbacks.get(field):
            validate_webhook_url(callbacks[field], field=field)
    if number is None:
        number = mapped_number(account=account, user=created_by)
    team_id = team_id if team_id is not None else (account.team_id if account else None)
    refused = purpose != Text.Purpose.COMPLIANCE and optouts.is_opted_out(team_id=team_id, phone=to)
    text = Text.objects.create(
        team_id=team_id,
        account=account,
        number=number,
        created_by=created_by,
        to=to,
        from_number=sender_for(account=account, number=number),
        body=body,
        purpose=purpose,
        status=Text.Status.FAILED if refused else Text.Status.ACCEPTED,
        error=OPTED_OUT_ERROR if refused else "",
        **callbacks,
    )
    if refused:
        _forward_status(text)
    else:
        _enqueue(text)
    return text


def _forward_status(text: Text) -> None:
    """Queue the text's current status for its callback_status_url: once per status (idempotency key), and in the
    order the statuses were reached (ordering key), which is their rank order since statuses only move forward."""
    if not text.callback_status_url or text.team_id is None or text.status not in FORWARDED_STATUSES:
        return
    enqueue_webhook(
        team=text.team_id,
        url=text.callback_status_url,
        event_type="text.status",
        payload={
            "id": str(text.uid),
            "status": text.status,
            "error": text.error,
            "provider_id": text.provider_id,
            "from": text.from_number,
            "to": text.to,
        },
        ordering_key=f"text-status:{text.uid}",
        idempotency_key=f"text-status:{text.uid}:{text.status}",
        validate=False,  # checked when the text was created; checked again (resolved) before each attempt
    )


def _move_status(text_id: int, *, from_statuses, **changes) -> bool:
    """One conditional UPDATE of the text's status, and its forward, in one transaction: a status that moved is
    forwarded exactly once (a crash between the two loses neither)."""
    with transaction.atomic():
        moved = Text.objects.filter(pk=text_id, status__in=list(from_statuses)).update(**changes)
        if moved:
            text = Text.objects.get(pk=text_id)
            _forward_status(text)
            hooks.text_status_moved(text)  # e.g. the inbox turns it into a receipt of its message
    return bool(moved)


def system_text_queue(*, to: str, body: str, purpose: str, team_id: int | None = None) -> Text:
    """The implementation behind core.sms.send_text (login codes, invitations from lower layers)."""
    return text_queue(to=to, body=body, purpose=purpose, team_id=team_id)


def _status_callback_url(text: Text) -> str:
    if not settings.PUBLIC_BASE_URL:
        return ""
    return links.build("sms-status-callback", uid=text.uid)


def _message_of(text: Text) -> sms.SmsMessage:
    return sms.SmsMessage(
        to=text.to,
        from_number=text.from_number,
        body=text.body,
        reference=str(text.uid),
        status_callback=_status_callback_url(text),
    )


def text_deliver(*, text_id: int) -> bool:
    """Send one claimed text through the backend. Returns False when another delivery already claimed it.

    The claim is a conditional UPDATE (works on SQLite and PostgreSQL): a redelivered task finds the row no
    longer `accepted` and does nothing, so the provider is called once per text. The claim also records that the
    provider is about to be called (`provider_called_at`), which texts_requeue_stuck reads if the worker dies.
    """
    now = timezone.now()
    claimed = Text.objects.filter(pk=text_id, status=Text.Status.ACCEPTED).update(
        status=Text.Status.SENDING,
        claimed_at=now,
        provider_called_at=now,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    if not claimed:
        return False
    text = Text.objects.get(pk=text_id)
    if text.purpose != Text.Purpose.COMPLIANCE and optouts.is_opted_out(team_id=text.team_id, phone=text.to):
        # Opted out between queueing and sending.
        _move_status(text_id, from_statuses=[Text.Status.SENDING], status=Text.Status.FAILED, error=OPTED_OUT_ERROR)
        return True
    try:
        result = sms.get_backend().send(_message_of(text))
    except sms.TransientSmsError as exc:
        final = text.attempts >= MAX_ATTEMPTS
        _move_status(
            text_id,
            from_statuses=[Text.Status.SENDING],
            status=Text.Status.FAILED if final else Text.Status.ACCEPTED,
            error=str(exc)[:500],
            provider_called_at=None,  # the provider refused it: nothing to look for if the retry's worker dies
            updated_at=timezone.now(),
        )
        if final:
            return True
        raise
    except sms.PermanentSmsError as exc:
        _move_status(
            text_id,
            from_statuses=[Text.Status.SENDING],
            status=Text.Status.FAILED,
            error=str(exc)[:500],
            updated_at=timezone.now(),
        )
        logger.warning("SMS %s failed permanently: %s", text.uid, exc)
        return True
    _record_sent(text, result)
    return True


def _record_sent(text: Text, result: sms.SendResult) -> None:
    status = result.status if result.status in Text.RANK else Text.Status.SENT
    now = timezone.now()
    sent = {
        "provider_id": result.provider_id,
        "from_number": result.from_number or text.from_number,
        "sent_at": now,
        "updated_at": now,
    }
    if text.purpose == Text.Purpose.OTP:
        # Once handed to the provider, a login code has no reason to stay readable in our database.
        sent["body"] = REDACTED_OTP_BODY
    moved = _move_status(text.pk, from_statuses=[Text.Status.SENDING], status=status, error="", **sent)
    if not moved:
        # A provider status callback overtook this write (e.g. already "delivered"): keep its status, record the sid.
        Text.objects.filter(pk=text.pk).update(**sent)


def text_apply_status(*, text: Text, status: str, error: str = "") -> bool:
    """Apply a provider status report; only forward moves count (delivered never goes back to sent)."""
    status = (status or "").lower()
    if status not in Text.RANK:
        raise ValidationFailed.for_field("status", f"Unknown message status {status!r}.")
    lower_ranks = [s for s, rank in Text.RANK.items() if rank < Text.RANK[status]]
    changes = {"status": status, "updated_at": timezone.now()}
    if error:
        changes["error"] = error[:500]
    if status == Text.Status.DELIVERED:
        changes["delivered_at"] = timezone.now()
    moved = _move_status(text.pk, from_statuses=lower_ranks, **changes)
    text.refresh_from_db()
    return moved


STUCK_BATCH = 500


def texts_requeue_stuck() -> int:
    """Re-enqueue texts whose enqueue was lost (still `accepted` a minute on), and recover texts whose worker died
    mid-send (`sending` past SMS_STUCK_AFTER_SECONDS) without sending any of them twice (text_recover_stuck)."""
    now = timezone.now()
    deadline = now - timedelta(seconds=settings.SMS_STUCK_AFTER_SECONDS)
    stuck = Text.objects.filter(status=Text.Status.SENDING, claimed_at__lt=deadline).values_list("pk", flat=True)
    for text_id in list(stuck[:STUCK_BATCH]):
        text_recover_stuck(text_id=text_id, deadline=deadline)
    waiting = list(Text.objects.filter(status=Text.Status.ACCEPTED, created_at__lt=now - timedelta(seconds=60)))
    from messaging.tasks import text_send_task

    for text in waiting:
        text_send_task.apply_async(args=[text.pk], queue=text.queue)
    return len(waiting)


def text_recover_stuck(*, text_id: int, deadline) -> str:
    """Decide what happens to a text left in `sending` by a worker that died (issue 8, docs/decisions.md):

    - the provider was never called (no `provider_called_at`): back to `accepted`, sent again;
    - the backend has it (looked up by its reference; Twilio by the recorded call): recorded as sent, not resent;
    - the backend certainly does not have it: back to `accepted`;
    - the backend cannot tell: a login code is sent again (a duplicate code is harmless, a missing one locks the
      user out); any other text becomes `failed` with DELIVERY_UNKNOWN_ERROR, for a manager to resend by hand.

    Returns what was done. Every move is conditional on the row still being the stuck claim it was.
    """
    text = Text.objects.filter(pk=text_id, status=Text.Status.SENDING, claimed_at__lt=deadline).first()
    if text is None:
        return "gone"
    still_stuck = {"status__in": [Text.Status.SENDING], "claimed_at": text.claimed_at}
    back = {"status": Text.Status.ACCEPTED, "provider_called_at": None, "updated_at": timezone.now()}
    if text.provider_called_at is None:
        Text.objects.filter(pk=text_id, **still_stuck).update(**back)
        return "resend"
    try:
        found = sms.get_backend().find_sent(message=_message_of(text), called_at=text.provider_called_at)
    except sms.DeliveryUnknown as exc:
        if text.purpose == Text.Purpose.OTP:
            Text.objects.filter(pk=text_id, **still_stuck).update(**back)
            return "resend"
        logger.warning("SMS %s: delivery unknown after a worker stopped (%s); marked failed", text.uid, exc)
        _move_status(
            text_id,
            from_statuses=[Text.Status.SENDING],
            status=Text.Status.FAILED,
            error=DELIVERY_UNKNOWN_ERROR,
            updated_at=timezone.now(),
        )
        return "unknown"
    if found is None:
        Text.objects.filter(pk=text_id, **still_stuck).update(**back)
        return "resend"
    _record_sent(text, found)
    return "found"


@transaction.atomic
def text_resend(*, text: Text, created_by=None) -> Text:
    """A manager's "resend" of a failed text (the admin action): a new text with the same recipient, body, sender
    and callbacks, linked to the original, which stays as it was. Login codes are never resent by hand: the user
    asks for a new one."""
    if text.status != Text.Status.FAILED:
        raise ValidationFailed.for_field("status", "Only a failed text can be resent.")
    if text.purpose == Text.Purpose.OTP:
        raise ValidationFailed.for_field("purpose", "A login code is not resent by hand; the user asks for a new one.")
    return text_queue(
        to=text.to,
        body=text.body,
        purpose=text.purpose,
        team_id=text.team_id,
        account=text.account,
        number=text.number,
        created_by=created_by or text.created_by,
        resent_from=text,
        callback_status_url=text.callback_status_url,
        callback_url=text.callback_url,
        callback_json=text.callback_json,
        callback_one_off=text.callback_one_off,
        expected_responses=text.expected_responses,
    )


def _custom_number(*, allow_custom_number: bool, phone_number: str) -> str:
    """A text account sends from its own number only when custom numbers are allowed (spec/courier.md suggestion)."""
    if not phone_number:
        return ""
    if not allow_custom_number:
        raise ValidationFailed.for_field("phone_number", "Setting phone-number requires allow-custom-number=true.")
    return normalize_phone(phone_number, field="phone_number")


@transaction.atomic
def text_account_create(*, team_id: int, allow_custom_number: bool = False, phone_number: str = "") -> TextAccount:
    """A team's SMS account; without a custom number it sends from the configured default sender."""
    number = _custom_number(allow_custom_number=allow_custom_number, phone_number=phone_number)
    return TextAccount.objects.create(team_id=team_id, allow_custom_number=allow_custom_number, phone_number=number)


@transaction.atomic
def text_account_update(
    *, account: TextAccount, allow_custom_number: bool | None = None, phone_number: str | None = None
) -> TextAccount:
    """Change the sender settings; only the fields given are written."""
    allow = account.allow_custom_number if allow_custom_number is None else allow_custom_number
    changed = []
    if phone_number is not None:
        account.phone_number = _custom_number(allow_custom_number=allow, phone_number=phone_number)
        changed.append("phone_number")
    elif not allow and account.phone_number:
        account.phone_number = ""  # custom numbers switched off: back to the default sender
        changed.append("phone_number")
    if allow != account.allow_custom_number:
        account.allow_custom_number = allow
        changed.append("allow_custom_number")
    if changed:
        account.save(update_fields=[*changed, "updated_at"])
    return account
