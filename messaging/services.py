"""Every write of the SMS domain: queue a text, deliver it exactly once, apply provider status callbacks."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core import links
from core.exceptions import ValidationFailed
from core.phones import normalize_phone
from messaging import sms
from messaging.models import Text, TextAccount, TextNumber

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
REDACTED_OTP_BODY = "[one-time code redacted after sending]"


def _enqueue(text: Text) -> None:
    from messaging.tasks import text_send_task

    # robust: a broker that is down must not turn the committed write into a 500; texts_requeue_stuck re-enqueues
    # a text still `accepted` a minute on.
    transaction.on_commit(lambda: text_send_task.apply_async(args=[text.pk], queue=text.queue), robust=True)


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
    """Store an outbound SMS as `accepted` and enqueue its sending once the transaction commits."""
    if number is not None and account is not None and number.account_id != account.pk:
        raise ValidationFailed.for_field("number_id", "This number does not belong to the given text account.")
    text = Text.objects.create(
        team_id=team_id if team_id is not None else (account.team_id if account else None),
        account=account,
        number=number,
        created_by=created_by,
        to=to,
        from_number=sender_for(account=account, number=number),
        body=body,
        purpose=purpose,
        **callbacks,
    )
    _enqueue(text)
    return text


def system_text_queue(*, to: str, body: str, purpose: str, team_id: int | None = None) -> Text:
    """The implementation behind core.sms.send_text (login codes, invitations from lower layers)."""
    return text_queue(to=to, body=body, purpose=purpose, team_id=team_id)


def _status_callback_url(text: Text) -> str:
    if not settings.PUBLIC_BASE_URL:
        return ""
    return links.build("sms-status-callback", uid=text.uid)


def text_deliver(*, text_id: int) -> bool:
    """Send one claimed text through the backend. Returns False when another delivery already claimed it.

    The claim is a conditional UPDATE (works on SQLite and PostgreSQL): a redelivered task finds the row no
    longer `accepted` and does nothing, so the provider is called once per text.
    """
    claimed = Text.objects.filter(pk=text_id, status=Text.Status.ACCEPTED).update(
        status=Text.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:
        return False
    text = Text.objects.get(pk=text_id)
    message = sms.SmsMessage(
        to=text.to,
        from_number=text.from_number,
        body=text.body,
        reference=str(text.uid),
        status_callback=_status_callback_url(text),
    )
    try:
        result = sms.get_backend().send(message)
    except sms.TransientSmsError as exc:
        final = text.attempts >= MAX_ATTEMPTS
        Text.objects.filter(pk=text_id, status=Text.Status.SENDING).update(
            status=Text.Status.FAILED if final else Text.Status.ACCEPTED,
            error=str(exc)[:500],
            updated_at=timezone.now(),
        )
        if final:
            return True
        raise
    except sms.PermanentSmsError as exc:
        Text.objects.filter(pk=text_id, status=Text.Status.SENDING).update(
            status=Text.Status.FAILED, error=str(exc)[:500], updated_at=timezone.now()
        )
        logger.warning("SMS %s failed permanently: %s", text.uid, exc)
        return True
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
    moved = Text.objects.filter(pk=text_id, status=Text.Status.SENDING).update(status=status, error="", **sent)
    if not moved:
        # A provider status callback overtook this write (e.g. already "delivered"): keep its status, record the sid.
        Text.objects.filter(pk=text_id).update(**sent)
    return True


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
    moved = Text.objects.filter(pk=text.pk, status__in=lower_ranks).update(**changes)
    text.refresh_from_db()
    return bool(moved)


def texts_requeue_stuck() -> int:
    """Re-enqueue texts whose enqueue was lost (still `accepted` a minute on) or whose worker died mid-send."""
    now = timezone.now()
    stuck_sending = Q(
        status=Text.Status.SENDING, claimed_at__lt=now - timedelta(seconds=settings.SMS_STUCK_AFTER_SECONDS)
    )
    Text.objects.filter(stuck_sending).update(status=Text.Status.ACCEPTED, updated_at=now)
    waiting = list(Text.objects.filter(status=Text.Status.ACCEPTED, created_at__lt=now - timedelta(seconds=60)))
    from messaging.tasks import text_send_task

    for text in waiting:
        text_send_task.apply_async(args=[text.pk], queue=text.queue)
    return len(waiting)


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
