"""Masks one-time secrets in text that is printed: what a console backend writes ends up in the server's log."""

import re

# Codes are digits (4 by default); links carry url-safe tokens (QR, invitations, resets) — long runs with a digit.
_SECRET = re.compile(r"\d{4,}|(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{16,}")


def mask_secrets(text: str) -> str:
    """`text` with every run of 4+ digits and every long token replaced by bullets of the same length."""
    return _SECRET.sub(lambda match: "•" * len(match.group()), text)
