"""Phone normalisation to E.164 with the phonenumbers library (`"+7 (916) 6660002"` → `"+79166660002"`)."""

import phonenumbers
from django.conf import settings

from core.exceptions import ValidationFailed


def _parse(candidate: str, region: str):
    try:
        return phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None


def normalize_phone(raw: str, *, field: str = "phone", region: str | None = None) -> str:
    """Return the E.164 form of `raw`, or raise ValidationFailed naming `field`.

    Numbers without a country code are read in DEFAULT_PHONE_REGION (the tada document's default country, +7), so
    `8 916 666-00-02` is Russian; a long number typed without its plus (`79166660002`) is also tried as
    international. A valid reading wins over a merely possible one.
    """
    text = (raw or "").strip()
    if not text:
        raise ValidationFailed.for_field(field, "A phone number is required.")
    region = region or settings.DEFAULT_PHONE_REGION
    digits = "".join(ch for ch in text if ch.isdigit())
    candidates = [text] if text.startswith("+") or len(digits) <= 10 else [text, "+" + digits]
    parsed = [number for number in (_parse(c, region) for c in candidates) if number is not None]
    for check in (phonenumbers.is_valid_number, phonenumbers.is_possible_number):
        for number in parsed:
            if check(number):
                return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    raise ValidationFailed.for_field(field, f"{raw!r} is not a phone number.")


def display_phone(e164: str) -> str:
    """The display form the tada document shows: `+7 (916) 666-0002` (the library's international format)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
