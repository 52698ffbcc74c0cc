"""Numbers of a text account (provision through the SMS backend, change, release, their traffic log), the maps that
make a member's texts go out from their number, and carrier lookups (courier text-account-numbers, claim-number,
text-number-logs, text-user-number-maps, text-number-info)."""

import logging
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.selectors import active_member_get
from core import links
from core.exceptions import NotFoundError, ProviderUnavailable, ValidationFailed
from core.phones import normalize_phone
from messaging import sms
from messaging.models import TextAccount, TextNumber, TextNumberInfo, TextNumberLog, TextUserNumberMap

logger = logging.getLogger(__name__)

UNKNOWN_NUMBER_ACTIONS = ("accept", "reply", "drop")
PROVISION_TRIES = 5


def inbound_url(number_uid: uuid.UUID) -> str:
    """Where the provider posts this number's inbound messages (empty when no public URL is configured)."""
    if not settings.PUBLIC_BASE_URL:
        return ""
    return links.build("sms-inbound", uid=number_uid)


def _area_code(value: str) -> str:
    value = (value or "").strip()
    if value and (len(value) > 3 or not value.isdigit()):
        raise ValidationFailed.for_field("area_code", "An area code is up to 3 digits.")
    return value


def _forward_to(value: str | None) -> str:
    return normalize_phone(value, field="forward_to") if value else ""


def validate_events(events) -> dict:
    """`{"unknown-number": {"action": "accept" | "reply" | "drop", "message": "…"}}` (every key optional)."""
    if events is None:
        return {}
    if not isinstance(events, dict) or set(events) - {"unknown-number"}:
        raise ValidationFailed.for_field("events", 'events takes one key, "unknown-number".')
    rule = events.get("unknown-number", {})
    if not isinstance(rule, dict) or set(rule) - {"action", "message"}:
        raise ValidationFailed.for_field("events", 'unknown-number takes "action" and "message".')
    if rule.get("action", "accept") not in UNKNOWN_NUMBER_ACTIONS:
        actions = ", ".join(UNKNOWN_NUMBER_ACTIONS)
        raise ValidationFailed.for_field("events", f"unknown-number action is one of {actions}.")
    message = rule.get("message", "")
    if not isinstance(message, str) or len(message) > 1600:
        raise ValidationFailed.for_field("events", "unknown-number message is a text of at most 1600 characters.")
    if rule.get("action") == "reply" and not message:
        raise ValidationFailed.for_field("events", 'unknown-number action "reply" needs a message.')
    return events


def text_number_provision(
    *,
    account: TextAccount,
    area_code: str = "",
    alert: bool = False,
    forward_to: str = "",
    logging: bool = False,
    notes: str = "",
) -> TextNumber:
    """Buy a number in `area_code` from the provider and store it with what the provider told about it.

    The provider call runs before (outside) the database transaction, so no lock is held during it; a row that
    then cannot be stored gives the number back. A refusal is a validation error on `area_code`, an unreachable
    provider a 502 — never a 500.
    """
    area = _area_code(area_code)
    forward = _forward_to(forward_to)
    backend = sms.get_backend()
    for _ in range(PROVISION_TRIES):
        uid = uuid.uuid4()
        try:
            bought = backend.provision_number(area_code=area, inbound_url=inbound_url(uid))
        except sms.PermanentSmsError as exc:
            raise ValidationFailed.for_field("area_code", str(exc)) from None
        except sms.TransientSmsError as exc:
            raise ProviderUnavailable(f"The SMS provider is unavailable: {exc}") from None
        try:
            with transaction.atomic():
                if TextNumber.objects.filter(phone_number=bought.phone_number).exists():
                    raise IntegrityError("number already in use")  # the local backends' fictional range is small
                return TextNumber.objects.create(
                    uid=uid,
                    account=account,
                    phone_number=bought.phone_number,
                    twilio_id=bought.provider_id,
                    alert=alert,
                    forward_to=forward,
                    logging=logging,
                    notes=notes,
                    capability_sms=bool(bought.capabilities.get("sms")),
                    capability_mms=bool(bought.capabilities.get("mms")),
                    capability_voice=bool(bought.capabilities.get("voice")),
                    lata=bought.lata,
                    latitude=bought.latitude,
                    longitude=bought.longitude,
                    postal_code=bought.postal_code,
                    rate_center=bought.rate_center,
                    region=bought.region,
                )
        except IntegrityError:
            _release_quietly(backend, bought)
    raise ProviderUnavailable("No free number could be provisioned; try again or another area code.")


def _release_quietly(backend, bought: sms.ProvisionedNumber) -> None:
    try:
        backend.release_number(provider_id=bought.provider_id, phone_number=bought.phone_number)
    except sms.SmsError:
        logger.exception("could not give back number %s (%s)", bought.phone_number, bought.provider_id)


@transaction.atomic
def text_number_update(
    *,
    number: TextNumber,
    alert: bool | None = None,
    events=None,
    forward_to: str | None = None,
    logging: bool | None = None,
    notes: str | None = None,
) -> TextNumber:
    """Change the number's settings; only the fields given are written."""
    changes = {}
    if alert is not None:
        changes["alert"] = alert
    if events is not None:
        changes["events"] = validate_events(events)
    if forward_to is not None:
        changes["forward_to"] = _forward_to(forward_to)
    if logging is not None:
        changes["logging"] = logging
    if notes is not None:
        changes["notes"] = notes
    for field, value in changes.items():
        setattr(number, field, value)
    if changes:
        number.save(update_fields=list(changes))
    return number


def text_number_release(*, number: TextNumber) -> None:
    """Give the number back to the provider, then forget it (texts keep their `from`; inbound rows stay)."""
    try:
        sms.get_backend().release_number(provider_id=number.twilio_id, phone_number=number.phone_number)
    except sms.TransientSmsError as exc:
        raise ProviderUnavailable(f"The SMS provider is unavailable: {exc}") from None
    except sms.PermanentSmsError as exc:
        raise ValidationFailed(str(exc)) from None
    number.delete()


def text_number_log(*, number: TextNumber, line: str) -> None:
    """One line of the number's traffic log, only while its `logging` is on."""
    if number.logging:
        TextNumberLog.objects.create(number=number, log=line)


def text_number_reset_logs(*, number: TextNumber) -> int:
    deleted, _ = TextNumberLog.objects.filter(number=number).delete()
    return deleted


# --- maps: a member's texts go out from their number --------------------------------------------------------------


@transaction.atomic
def text_user_number_map_set(*, team, number: TextNumber, user_uid: uuid.UUID) -> TextUserNumberMap:
    """Map a member to a number of the team (one number per member: a new map replaces the old one)."""
    if number.account.team_id != team.pk:
        raise NotFoundError("No such text account number.", details={"number_id": ["No such text account number."]})
    user = active_member_get(team_id=team.pk, user_uid=user_uid)
    if user is None:
        raise NotFoundError("No such member.", details={"user_id": ["No such member of this organization."]})
    row, _ = TextUserNumberMap.objects.update_or_create(team=team, user=user, defaults={"number": number})
    return row


# --- carrier lookups ---------------------------------------------------------------------------------------------


def _enqueue_lookup(info_id: int) -> None:
    from messaging.tasks import text_number_lookup_task

    transaction.on_commit(lambda: text_number_lookup_task.apply_async(args=[info_id]), robust=True)


@transaction.atomic
def text_number_info_request(*, team, number: str, reresolve: bool = False) -> TextNumberInfo:
    """The team's cached lookup of `number`; a lookup runs (in Celery) the first time, or again with `reresolve`."""
    number = normalize_phone(number, field="number", region="US")
    info, created = TextNumberInfo.objects.get_or_create(team=team, number=number)
    if created or reresolve:
        if not created:
            info.status, info.error = TextNumberInfo.Status.PENDING, ""
            info.carrier_name = info.type = info.mobile_country_code = info.mobile_network_code = ""
            info.save()
        _enqueue_lookup(info.pk)
    return info


def text_number_info_resolve(*, info_id: int, final: bool = True) -> str:
    """Ask the backend about a pending lookup. A transient error raises (the task retries) unless `final`; a
    refusal, or the last transient error, is stored as the row's `error` with status `failed`."""
    info = TextNumberInfo.objects.filter(pk=info_id, status=TextNumberInfo.Status.PENDING).first()
    if info is None:
        return "done"
    try:
        found = sms.get_backend().lookup(number=info.number)
    except sms.TransientSmsError as exc:
        if not final:
            raise
        return _lookup_failed(info_id, str(exc))
    except sms.PermanentSmsError as exc:
        return _lookup_failed(info_id, str(exc))
    TextNumberInfo.objects.filter(pk=info_id, status=TextNumberInfo.Status.PENDING).update(
        status=TextNumberInfo.Status.RESOLVED,
        carrier_name=found.carrier_name[:200],
        type=found.type[:32],
        mobile_country_code=found.mobile_country_code[:8],
        mobile_network_code=found.mobile_network_code[:8],
        error="",
        updated_at=timezone.now(),
    )
    return "resolved"


def _lookup_failed(info_id: int, error: str) -> str:
    TextNumberInfo.objects.filter(pk=info_id, status=TextNumberInfo.Status.PENDING).update(
        status=TextNumberInfo.Status.FAILED, error=error[:500], updated_at=timezone.now()
    )
    return "failed"
