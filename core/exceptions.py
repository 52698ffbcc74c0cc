"""Domain errors raised by services. Each API family renders them in its own envelope (core/api/errors.py)."""


class ApplicationError(Exception):
    """A business rule refused the operation. `details` maps field names to lists of messages."""

    status_code = 400
    code = "BAD_REQUEST"
    location = "body"

    def __init__(self, message: str, *, details: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}


class ValidationFailed(ApplicationError):
    status_code = 400
    code = "VALIDATION_ERROR"

    @classmethod
    def for_field(cls, field: str, message: str) -> "ValidationFailed":
        return cls(message, details={field: [message]})


class InvalidQueryParameter(ValidationFailed):
    """A query-string parameter is malformed or out of range (courier points at it with `source.parameter`)."""

    location = "query"

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}", details={name: [message]})


class NotFoundError(ApplicationError):
    status_code = 404
    code = "NOT_FOUND"


class PermissionDeniedError(ApplicationError):
    status_code = 403
    code = "FORBIDDEN"


class AuthenticationError(ApplicationError):
    status_code = 401
    code = "UNAUTHORIZED"


class ConflictError(ApplicationError):
    status_code = 409
    code = "CONFLICT"


class RateLimited(ApplicationError):
    status_code = 429
    code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class ProviderUnavailable(ApplicationError):
    """A provider (SMS, lookups) did not answer or failed on its side: try again later."""

    status_code = 502
    code = "PROVIDER_ERROR"
