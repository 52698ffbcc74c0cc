"""courier API at /courier/v1/: JSON:API 1.0 through djangorestframework-jsonapi.

Requests are accepted as `application/vnd.api+json` and as `application/json` (every sample in the document
uses the latter); attribute names are dasherized; ids are uuids; lists take `page[limit]`/`page[offset]`.
Where the document departs from JSON:API it wins (DESIGN.md §1): the error `status` is an integer, list meta uses
the `page[limit]`-style keys, and every document carries `"meta": {}`.
"""

from http import HTTPStatus

from rest_framework import parsers as drf_parsers
from rest_framework import renderers as drf_renderers
from rest_framework import viewsets
from rest_framework.views import APIView
from rest_framework_json_api import parsers as jsonapi_parsers
from rest_framework_json_api import renderers as jsonapi_renderers
from rest_framework_json_api.utils import format_field_name

from api.courier.context import CourierContextMixin
from core.api.base import CallerScopeMixin, FamilyViewMixin, UnknownPathMixin
from core.api.errors import Problem
from core.api.filters import DocumentedQueryFilterBackend
from core.api.pagination import PageLimitOffsetPagination


class _AlwaysMeta(drf_renderers.JSONRenderer):
    """Sits under the JSON:API renderer in the MRO: the document shows `"meta": {}` on every data document."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "data" in data:
            data.setdefault("meta", {})
        return super().render(data, accepted_media_type, renderer_context)


class CourierRenderer(jsonapi_renderers.JSONRenderer, _AlwaysMeta):
    pass


class CourierPlainJSONRenderer(CourierRenderer):
    """The same documents under `application/json`, for clients that ask for it."""

    media_type = "application/json"
    format = "json"


class CourierParser(jsonapi_parsers.JSONParser):
    pass


class CourierPlainJSONParser(jsonapi_parsers.JSONParser):
    media_type = "application/json"


class CourierViewMixin(CourierContextMixin, CallerScopeMixin, FamilyViewMixin):
    family = "courier"
    renderer_classes = [CourierRenderer, CourierPlainJSONRenderer]
    parser_classes = [CourierParser, CourierPlainJSONParser]
    pagination_class = PageLimitOffsetPagination
    filter_backends = [DocumentedQueryFilterBackend]
    # (min, max, default) for page[limit]; views override where the document gives other bounds.
    page_limit_bounds = (1, 1000, 100)

    error_component = "CourierErrors"
    error_schema = {
        "type": "object",
        "required": ["errors"],
        "properties": {
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["status", "code", "title", "detail", "source", "meta"],
                    "properties": {
                        "status": {"type": "integer", "description": "The HTTP status (an integer, as documented)."},
                        "code": {"type": "string", "example": "VALIDATION_ERROR"},
                        "title": {"type": "string", "description": "Short summary, the same for every such error."},
                        "detail": {"type": "string", "description": "What went wrong this time."},
                        "source": {
                            "type": "object",
                            "properties": {"pointer": {"type": "string"}, "parameter": {"type": "string"}},
                        },
                        "meta": {"type": "object", "properties": {"request-id": {"type": "string"}}},
                    },
                },
            }
        },
    }

    def render_problem(self, problem: Problem) -> list[dict]:
        meta = {"request-id": self.request_id()}
        # JSON:API's `title` is a summary that does not change between occurrences: the status's reason phrase
        # (generic JSON:API clients print "Error <status>: <title>").
        base = {"status": problem.status, "code": problem.code, "title": _title(problem.status)}
        if not problem.details:
            return [{**base, "detail": problem.message, "source": {}, "meta": meta}]
        errors = []
        for name, messages in problem.details.items():
            if problem.location == "query":
                source = {"parameter": name}
            elif name == "non_field_errors":
                source = {"pointer": "/data"}
            else:
                source = {"pointer": f"/data/attributes/{format_field_name(name.split('.')[0])}"}
            for message in messages:
                errors.append({**base, "detail": message, "source": source, "meta": meta})
        return errors


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class CourierAPIView(CourierViewMixin, APIView):
    pass


class CourierViewSet(CourierViewMixin, viewsets.GenericViewSet):
    pass


class CourierFlatAPIView(CourierViewMixin, APIView):
    """Endpoints the document shows with flat (non-JSON:API) bodies, e.g. the texts delivery callback."""

    resource_name = False
    parser_classes = [drf_parsers.JSONParser, drf_parsers.FormParser]


class CourierUnknownPath(UnknownPathMixin, CourierAPIView):
    resource_name = "errors"
