"""Tommy API v1 at /api/v1/: plain JSON, `api_key` header or HTTP Basic, int ids, bare-array lists.

Error envelope: {"error": true, "code", "message", "request_id", "details"} (spec/tommy-1 "Conventions").
"""

from rest_framework import parsers, viewsets
from rest_framework.views import APIView

from api.tommy.context import EmployeeMixin, ManagerMixin, TommyContextMixin
from core.api.base import CallerScopeMixin, FamilyViewMixin, OrjsonRenderer, UnknownPathMixin
from core.api.errors import Problem
from core.api.openapi import FIELD_MESSAGES
from core.api.pagination import PagePerPagination
from core.api.parsers import JSONParser


class TommyViewMixin(TommyContextMixin, CallerScopeMixin, FamilyViewMixin):
    family = "tommy"
    # The document labels validation failures without a number; 422 is its suggested mapping.
    validation_status = 422
    www_authenticate = 'Basic realm="crewdesk"'
    renderer_classes = [OrjsonRenderer]
    parser_classes = [JSONParser, parsers.FormParser, parsers.MultiPartParser]
    pagination_class = PagePerPagination
    error_component = "TommyError"
    error_schema = {
        "type": "object",
        "required": ["error", "code", "message", "request_id"],
        "properties": {
            "error": {"type": "boolean", "enum": [True]},
            "code": {"type": "string", "example": "VALIDATION_ERROR"},
            "message": {"type": "string"},
            "request_id": {"type": "string"},
            "details": FIELD_MESSAGES,
        },
    }

    def render_problem(self, problem: Problem) -> dict:
        body = {"error": True, "code": problem.code, "message": problem.message, "request_id": self.request_id()}
        if problem.details:
            body["details"] = problem.details
        return body


class TommyAPIView(TommyViewMixin, APIView):
    pass


class TommyViewSet(TommyViewMixin, viewsets.GenericViewSet):
    pass


class TommyUnknownPath(UnknownPathMixin, TommyAPIView):
    pass


class EmployeeViewSet(EmployeeMixin, TommyViewSet):
    """`/workforce/*` and the caller's own records in the current team (api/tommy/context.py)."""


class ManagerAPIView(ManagerMixin, TommyAPIView):
    """Manager-only calls on the current team."""


class ManagerViewSet(ManagerMixin, TommyViewSet):
    """`/workforce/manager/*`: team-wide records for managers of the current team."""
