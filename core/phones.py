"""Phone normalisation to E.164 with the phonenumbers library (`"+7 (916) 6660002"` → `"+79166660002"`)."""

import phonenumbers
from django.conf import settings

from core.exceptions import ValidationFailed


def normalize_phone(raw: str, *, field: str = "phone", region: str | None = None) -> str:
    """Return the E.164 form of `raw`, or raise ValidationFailed naming `field`.

    Numbers without a country code are read in DEFAULT_PHONE_REGION (the tada document's default country, +7).
    """
    text = (raw or "").strip()
    if not text:
        raise ValidationFailed.for_field(field, "A phone number is required.")
    digits_only = "".join(ch for ch in text if ch.isdigit())
    if not text.startswith("+") and len(digits_only) > 10:
        # "79166660002": a full international number typed without the plus.
        text = "+" + digits_only
    try:
        number = phonenumbers.parse(text, region or settings.DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationFailed.for_field(field, f"{raw!r} is not a phone number.") from None
    if not phonenumbers.is_possible_number(number):
        raise ValidationFailed.for_field(field, f"{raw!r} is not a phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """The display form the tada document shows: `+7 (916) 666-0002` (the library's international format)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
