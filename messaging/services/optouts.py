"""Opt-outs per organization: a phone that replied STOP gets no text from that team until it replies START."""

from django.db import transaction
from django.utils import timezone

from messaging.models import SmsOptOut, UserConsent


def is_opted_out(*, team_id: int | None, phone: str) -> bool:
    """Checked before every send. Texts without a team (login codes) answer to no organization's opt-out."""
    if team_id is None:
        return False
    return SmsOptOut.objects.filter(team_id=team_id, phone=phone, opted_out=True).exists()


@transaction.atomic
def phone_opt_out(*, team_id: int, phone: str, reason: str) -> bool:
    """Opt `phone` out of `team_id`'s texts; its SMS consents there become `declined`. False when it already was."""
    changed = _set(team_id=team_id, phone=phone, opted_out=True, reason=reason)
    UserConsent.objects.filter(team_id=team_id, target_id=phone, type=UserConsent.Type.SMS).exclude(
        state=UserConsent.State.DECLINED
    ).update(state=UserConsent.State.DECLINED, updated_at=timezone.now())
    return changed


@transaction.atomic
def phone_opt_in(*, team_id: int, phone: str, reason: str) -> bool:
    """Opt `phone` back in (START). Consents stay as they are: a new consent request asks again."""
    return _set(team_id=team_id, phone=phone, opted_out=False, reason=reason)


def _set(*, team_id: int, phone: str, opted_out: bool, reason: str) -> bool:
    row, created = SmsOptOut.objects.select_for_update(of=("self",)).get_or_create(
        team_id=team_id,
        phone=phone,
        defaults={"opted_out": opted_out, "reason": reason[:200], "changed_at": timezone.now()},
    )
    if created:
        return opted_out  # a first START changes nothing: the phone was never opted out
    if row.opted_out == opted_out:
        return False
    row.opted_out, row.reason, row.changed_at = opted_out, reason[:200], timezone.now()
    row.save(update_fields=["opted_out", "reason", "changed_at"])
    return True
