"""Channels: provisioned in the console (the document has no create call), renamed and re-prioritised by the API;
the WhatsApp business profile (kept here and pushed to the network in Celery), QR codes (made by the network, so
synchronous: its answer carries the code) and the automated messages of each channel."""

from django.db import transaction

from core.exceptions import NotFoundError, ValidationFailed
from core.exceptions import ProviderUnavailable as BadGateway
from inbox import jids
from inbox.models import Channel, QrCode
from inbox.models.channels import new_namespace
from inbox.providers import PermanentProviderError, TransientProviderError, provider_for
from inbox.services.automated import automated_defaults
from inbox.services.templates import require_whatsapp_like

BUSINESS_FIELDS = ("address", "description", "email", "vertical", "websites")


@transaction.atomic
def channel_create(*, team, kind: str, name: str, phone: str = "", local: str = "", sms_number=None, **whatsapp):
    """A channel of `kind` with its JID: a phone-numbered network's JID is its number (an SMS channel's, the bound
    TextNumber's); other networks take `local` (their account id)."""
    if kind not in Channel.Kind.values:
        raise ValidationFailed.for_field("kind", "Unknown channel kind.")
    if kind == Channel.Kind.SMS:
        if sms_number is None:
            raise ValidationFailed.for_field("sms_number", "An SMS channel needs one of the team's numbers.")
        if sms_number.account.team_id != team.pk:
            raise ValidationFailed.for_field("sms_number", "The number belongs to another team.")
        phone = sms_number.phone_number
    if kind in Channel.PHONE_KINDS:
        local = (phone or "").strip().lstrip("+")
        if not jids.PHONE_LOCAL.match(local):
            raise ValidationFailed.for_field("phone", "A phone number in international format.")
    elif not jids.NAME_LOCAL.match(local or ""):
        raise ValidationFailed.for_field("local", "The network's account id (letters, digits, . _ -).")
    jid = f"{local}@{jids.kind_domain(kind)}"
    if Channel.objects.filter(jid=jid).exists():
        raise ValidationFailed.for_field("phone", f"A channel {jid} exists already.")
    allowed = {f"wa_{k}" for k in ("phone_number_id", "business_account_id", "access_token", "app_secret",
                                   "verify_token")}  # fmt: skip
    channel = Channel.objects.create(
        team=team,
        kind=kind,
        name=name or jid,
        jid=jid,
        sms_number=sms_number if kind == Channel.Kind.SMS else None,
        template_namespace=new_namespace(),
        **{k: v for k, v in whatsapp.items() if k in allowed},
    )
    automated_defaults(channel)
    return channel


@transaction.atomic
def channel_update(*, channel: Channel, name=None, priority=None) -> Channel:
    if name is not None:
        if isinstance(name, bool) or not isinstance(name, str | int) or not str(name).strip():
            raise ValidationFailed.for_field("name", "A name.")
        channel.name = str(name).strip()[:100]
    if priority is not None:
        if isinstance(priority, bool) or not isinstance(priority, int):
            raise ValidationFailed.for_field("priority", "An integer.")
        channel.priority = priority
    channel.save()
    return channel


# --- profile -------------------------------------------------------------------------------------------------------


def _business(value) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationFailed.for_field("businessProfile", "An object.")
    unknown = set(value) - set(BUSINESS_FIELDS)
    if unknown:
        raise ValidationFailed.for_field("businessProfile", f"Unknown fields: {', '.join(sorted(unknown))}.")
    websites = value.get("websites")
    if websites is not None and (not isinstance(websites, list) or not all(isinstance(w, str) for w in websites)):
        raise ValidationFailed.for_field("businessProfile.websites", "A list of URLs.")
    if websites is not None and len(websites) > 2:
        raise ValidationFailed.for_field("businessProfile.websites", "At most two websites (WhatsApp's limit).")
    return value


@transaction.atomic
def profile_set(*, channel: Channel, about=None, business_profile=None, partial: bool) -> Channel:
    """POST replaces the writable profile (fields left out become empty); PATCH changes only what is given."""
    require_whatsapp_like(channel)
    if about is not None and not isinstance(about, str):
        raise ValidationFailed.for_field("about", "A string.")
    business = _business(business_profile)
    profile = dict(channel.profile or {}) if partial else {"pictureUrl": (channel.profile or {}).get("pictureUrl", "")}
    if about is not None or not partial:
        profile["about"] = about or ""
    merged = dict(profile.get("businessProfile") or {}) if partial else {}
    merged.update(business)
    profile["businessProfile"] = {key: merged.get(key) for key in BUSINESS_FIELDS}
    channel.profile = profile
    channel.save(update_fields=["profile", "updated_at"])
    from inbox.tasks import profile_push_task

    transaction.on_commit(lambda: profile_push_task.delay(channel.pk), robust=True)
    return channel


def profile_push(*, channel_id: int) -> None:
    channel = Channel.objects.get(pk=channel_id)
    provider_for(channel).push_profile(channel)


# --- QR codes (the network makes them: called in the request, its failure is 502 / 1012) --------------------------


def _network(call):
    try:
        return call()
    except (TransientProviderError, PermanentProviderError) as exc:
        raise BadGateway(f"The network refused or did not answer: {exc}") from None


@transaction.atomic
def qr_create(*, channel: Channel, message: str = "") -> QrCode:
    require_whatsapp_like(channel)
    answer = _network(lambda: provider_for(channel).qr_create(channel, message or ""))
    return QrCode.objects.create(channel=channel, **answer)


def qr_find(*, channel: Channel, code: str) -> QrCode:
    require_whatsapp_like(channel)
    found = QrCode.objects.filter(channel=channel, code=code).first()
    if found is None:
        raise NotFoundError("QR code not found.")
    return found


@transaction.atomic
def qr_update(*, qr: QrCode, message: str) -> QrCode:
    if not isinstance(message, str):
        raise ValidationFailed.for_field("message", "This field is required.")
    answer = _network(lambda: provider_for(qr.channel).qr_update(qr.channel, qr.code, message))
    for key in ("message", "url", "image"):
        if answer.get(key):
            setattr(qr, key, answer[key])
    qr.message = message
    qr.save()
    return qr


@transaction.atomic
def qr_delete(*, qr: QrCode) -> None:
    _network(lambda: provider_for(qr.channel).qr_delete(qr.channel, qr.code))
    qr.delete()
