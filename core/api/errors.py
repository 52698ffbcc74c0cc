"""Turn any exception raised while serving an API request into one neutral `Problem`.

Each family's exception handler (core/api/<family>.py) only formats a Problem in its documented envelope, so
the mapping from exceptions to statuses lives in one place and no error can escape as an HTML page.
"""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from rest_framework import exceptions as drf

from core.exceptions import ApplicationError, RateLimited

logger = logging.getLogger("crewdesk.api")

_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    409: "CONFLICT",
    411: "LENGTH_REQUIRED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
}


@dataclass
class Problem:
    status: int
    code: str
    message: str
    details: dict[str, list[str]] = field(default_factory=dict)
    retry_after: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    location: str = "body"  # "query" when the details name query-string parameters

    @property
    def is_validation(self) -> bool:
        return self.code == "VALIDATION_ERROR"


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF error detail (nested dicts/lists) → {"field.sub": ["message", …]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for k, v in _flatten(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            out[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                for k, v in _flatten(item, f"{prefix}.{index}" if prefix else str(index)).items():
                    out.setdefault(k, []).extend(v)
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def _first_message(details: dict[str, list[str]], fallback: str) -> str:
    for name, messages in details.items():
        if messages:
            return messages[0] if name == "non_field_errors" else f"{name}: {messages[0]}"
    return fallback


def problem_from_exception(exc: Exception) -> Problem:
    if isinstance(exc, RateLimited):
        return Problem(
            429, exc.code, exc.message, retry_after=exc.retry_after, headers={"Retry-After": str(exc.retry_after)}
        )
    if isinstance(exc, ApplicationError):
        return Problem(exc.status_code, exc.code, exc.message, dict(exc.details), location=exc.location)
    if isinstance(exc, DjangoValidationError):
        details = _flatten(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
        return Problem(400, "VALIDATION_ERROR", _first_message(details, "Validation failed"), details)
    if isinstance(exc, drf.ValidationError):
        details = _flatten(exc.detail)
        return Problem(400, "VALIDATION_ERROR", _first_message(details, "Validation failed"), details)
    if isinstance(exc, RequestDataTooBig):
        return Problem(413, "PAYLOAD_TOO_LARGE", "The request body is too large.")
    if isinstance(exc, SuspiciousOperation):  # e.g. too many form fields or files: a client error, not ours
        return Problem(400, "BAD_REQUEST", "The request was refused as malformed.")
    if isinstance(exc, DataError | OverflowError):
        # The database refused a value (too long for its column, out of an integer's range) that validation let
        # through: still the client's input, so a validation error, never a 500 — logged, as the missing check
        # belongs in a serializer or service. SQLite does not enforce lengths, so only PostgreSQL shows these;
        # SQLite's driver refuses a too-large integer with OverflowError instead (found by Schemathesis on the
        # live server: a form-encoded id of 25 digits), as does date arithmetic pushed out of range by an input.
        logger.warning("The database refused a value: %s", exc)
        return Problem(400, "VALIDATION_ERROR", "A value is too long or out of range for its field.")
    if isinstance(exc, Http404):
        return Problem(404, "NOT_FOUND", "Not found.")
    if isinstance(exc, DjangoPermissionDenied):
        return Problem(403, "FORBIDDEN", "You do not have permission to perform this action.")
    if isinstance(exc, drf.Throttled):
        wait = int(exc.wait or 1)
        return Problem(429, "RATE_LIMITED", "Too many requests.", retry_after=wait, headers={"Retry-After": str(wait)})
    if isinstance(exc, drf.APIException):
        status = exc.status_code
        headers = {}
        if isinstance(exc, (drf.NotAuthenticated, drf.AuthenticationFailed)):
            status = 401
        if isinstance(exc, drf.MethodNotAllowed):
            headers["Allow"] = ""
        message = str(exc.detail) if not isinstance(exc.detail, (list, dict)) else "Request failed"
        return Problem(status, _CODES.get(status, "ERROR"), message, headers=headers)
    logger.exception("Unhandled error while serving an API request")
    return Problem(500, "INTERNAL_ERROR", "Internal server error.")
