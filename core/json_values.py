"""Limits on JSON values that come in from clients: one check for request bodies and for free-form stored JSON.

Why: PostgreSQL `jsonb` keeps any number exactly (it is `numeric`), so a client could store 2^70 or 1e400; reading
it back gives a Python int that orjson refuses to render ("Integer exceeds 64-bit range") or an infinite float
that JSON cannot express — and every list showing that row answered 500 (issue 8, item 4). Deep nesting made the
stdlib parser raise RecursionError. So values are checked on the way in:

- every JSON request body (core/api/parsers.py): integers within int64 — the type the documents give their ids
  and the largest integer orjson renders both signed and unsigned — finite numbers, bounded nesting;
- free-form JSON a client stores (settings `data`, shift `data`, ui-settings, address books, …): integers within
  ±(2^53 − 1), the range every JSON reader keeps exactly (RFC 7493 I-JSON; a JavaScript client reads numbers as
  doubles, so a larger integer comes back as a different number), bounded depth and serialised size.
"""

import math
from dataclasses import dataclass

import orjson

from core.exceptions import ValidationFailed

SAFE_INTEGER = 2**53 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class JsonLimits:
    max_depth: int
    min_int: int
    max_int: int
    max_bytes: int | None = None  # compact UTF-8 serialisation; None: bounded by the request body limit only


# Any JSON request body, whatever the endpoint does with it.
REQUEST_BODY = JsonLimits(max_depth=64, min_int=INT64_MIN, max_int=INT64_MAX)
# Free-form JSON a client stores and reads back (and other clients read: I-JSON numbers).
FREEFORM = JsonLimits(max_depth=16, min_int=-SAFE_INTEGER, max_int=SAFE_INTEGER, max_bytes=64_000)
# A device's address book: up to 10,000 contacts, so its size is bounded by that count and the request body limit.
ADDRESS_BOOK = JsonLimits(max_depth=16, min_int=-SAFE_INTEGER, max_int=SAFE_INTEGER)


def json_value_problem(value, limits: JsonLimits = FREEFORM) -> str | None:
    """Why `value` (a parsed JSON document) breaks `limits`, or None when it is fine. Iterative: any depth is safe."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, bool) or item is None or isinstance(item, str):
            continue
        if isinstance(item, int):
            if not limits.min_int <= item <= limits.max_int:
                return f"numbers must be integers between {limits.min_int} and {limits.max_int}."
        elif isinstance(item, float):
            if not math.isfinite(item):
                return "numbers must be finite."
        elif isinstance(item, dict | list):
            if depth > limits.max_depth:
                return f"must not nest deeper than {limits.max_depth} levels."
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
            if isinstance(item, dict) and not all(isinstance(key, str) for key in item):
                return "object keys must be strings."
        else:
            return f"is not a JSON value ({type(item).__name__})."
    if limits.max_bytes is not None and len(orjson.dumps(value)) > limits.max_bytes:
        return f"must be at most {limits.max_bytes} bytes as JSON."
    return None


def check_json_value(value, *, field: str, limits: JsonLimits = FREEFORM):
    """`value` unchanged, or ValidationFailed naming `field` (for services that store client JSON)."""
    problem = json_value_problem(value, limits)
    if problem is not None:
        raise ValidationFailed.for_field(field, problem)
    return value


RENDER_MAX_DEPTH = 200  # below orjson's own limit (255 levels)


def json_safe_copy(value, depth: int = 0):
    """A copy of `value` that any JSON encoder renders: integers beyond int64 become their decimal strings,
    non-finite floats null, nesting beyond RENDER_MAX_DEPTH null. Renderers fall back to it when a stored value
    (written before these checks, or by a path that skipped them) cannot be encoded, so one bad row never turns
    a whole list into a 500."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if INT64_MIN <= value <= INT64_MAX else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict | list | tuple):
        if depth >= RENDER_MAX_DEPTH:
            return None
        if isinstance(value, dict):
            return {key: json_safe_copy(item, depth + 1) for key, item in value.items()}
        return [json_safe_copy(item, depth + 1) for item in value]
    return value
