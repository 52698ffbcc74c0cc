"""What the development and test backends (console, locmem, file) share: numbers from a reserved fictional range
and deterministic carrier lookups, so `make run` and the tests need no provider."""

import hashlib
import secrets

from messaging.sms.base import NumberLookup, PermanentSmsError, ProvisionedNumber

DEFAULT_AREA_CODE = "202"
# NANP 555-0100…555-0199 is reserved for fiction: these numbers can never reach a real phone.
FICTIONAL_LINES = range(100, 200)
CARRIERS = ("Fictional Mobile", "Example Wireless", "Sample Telecom")
LINE_TYPES = ("mobile", "mobile", "mobile", "mobile", "mobile", "mobile", "landline", "landline", "voip", "mobile")


class LocalNumbersMixin:
    def provision_number(self, *, area_code: str = "", inbound_url: str = "") -> ProvisionedNumber:
        area = area_code or DEFAULT_AREA_CODE
        if len(area) != 3 or not area.isdigit() or area[0] in "01":
            raise PermanentSmsError(f"No numbers available in area code {area!r}.")
        line = secrets.choice(FICTIONAL_LINES)
        phone = f"+1{area}555{line:04d}"
        return ProvisionedNumber(
            phone_number=phone,
            provider_id="PN" + hashlib.sha256(phone.encode()).hexdigest()[:32],
            capabilities={"sms": True, "mms": True, "voice": True},
            region="DC" if area == "202" else "",
            rate_center="FICTIONAL",
        )

    def lookup(self, *, number: str) -> NumberLookup:
        """Deterministic by the digits; a number ending in 0000 is "not found" (the error path, on purpose)."""
        if number.endswith("0000"):
            raise PermanentSmsError(f"Lookup: {number} was not found.")
        digest = int(hashlib.sha256(number.encode()).hexdigest(), 16)
        line_type = LINE_TYPES[int(number[-1])]
        if line_type != "mobile":
            return NumberLookup(carrier_name=CARRIERS[digest % len(CARRIERS)], type=line_type)
        return NumberLookup(
            carrier_name=CARRIERS[digest % len(CARRIERS)],
            type="mobile",
            mobile_country_code="310",
            mobile_network_code=f"{digest % 1000:03d}",
        )
