"""The inbox's business refusals. Codes are the domain's words; the inbox family renders each with the document's
numeric code (api/inbox/base.py: TEMPLATE_NOT_FOUND → 1006, PARAMETER_COUNT_MISMATCH → 1013, MESSAGE_REJECTED →
1011, WINDOW_EXPIRED → 1015, NOT_CONVERSATION_OWNER → 1010, MEDIA_INVALID → 1008, CONFLICT → 1014)."""

from core.exceptions import ApplicationError, ConflictError, PermissionDeniedError, ValidationFailed


class TemplateNotFound(ValidationFailed):
    code = "TEMPLATE_NOT_FOUND"


class ParameterCountMismatch(ValidationFailed):
    code = "PARAMETER_COUNT_MISMATCH"


class MediaInvalid(ValidationFailed):
    code = "MEDIA_INVALID"


class MessageRejected(ApplicationError):
    """The message cannot go to this contact (blacklisted, opted out of SMS)."""

    status_code = 422
    code = "MESSAGE_REJECTED"


class WindowExpired(ApplicationError):
    """More than 24 hours since the customer last wrote: only a template may be sent."""

    status_code = 422
    code = "WINDOW_EXPIRED"


class NotConversationOwner(PermissionDeniedError):
    """An assistant acting on a conversation assigned to someone else."""

    code = "NOT_CONVERSATION_OWNER"


class AlreadyExists(ConflictError):
    pass
