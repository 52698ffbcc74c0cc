"""Conversations Inbox API v3 at /inbox/v3/: plain JSON, bare arrays, `Authorization: Bearer <api key>`.

Error envelope: {"error": {"code": <int>, "message"}, "traceId"} with the document's numeric codes.
"""

from rest_framework import viewsets
from rest_framework.views import APIView

from api.inbox.context import InboxContextMixin
from core.api.base import CallerScopeMixin, FamilyViewMixin, OrjsonRenderer, UnknownPathMixin
from core.api.errors import Problem
from core.api.parsers import JSONParser

# The document's code table (spec/inbox.md "Error codes") keyed by HTTP status; its suggested mapping.
INBOX_CODES = {
    400: 1005,
    401: 1001,
    403: 1002,
    404: 1009,
    405: 1005,
    409: 1014,
    411: 1005,
    413: 1005,
    415: 1005,
    422: 1005,
    429: 1003,
    500: 1004,
    502: 1012,
    503: 1003,
}


class InboxViewMixin(InboxContextMixin, CallerScopeMixin, FamilyViewMixin):
    family = "inbox"
    renderer_classes = [OrjsonRenderer]
    parser_classes = [JSONParser]
    pagination_class = None
    error_component = "InboxError"
    error_schema = {
        "type": "object",
        "required": ["error", "traceId"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "integer", "enum": sorted(set(INBOX_CODES.values()))},
                    "message": {"type": "string"},
                },
            },
            "traceId": {"type": "string"},
        },
    }

    def render_problem(self, problem: Problem) -> dict:
        code = INBOX_CODES.get(problem.status, 1004 if problem.status >= 500 else 1005)
        return {"error": {"code": code, "message": problem.message}, "traceId": self.request_id()}


class InboxAPIView(InboxViewMixin, APIView):
    pass


class InboxViewSet(InboxViewMixin, viewsets.GenericViewSet):
    pass


class InboxUnknownPath(UnknownPathMixin, InboxAPIView):
    pass
