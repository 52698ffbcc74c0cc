"""courier API at /courier/v1/: JSON:API 1.0 through djangorestframework-jsonapi.

Requests are accepted as `application/vnd.api+json` and as `application/json` (every sample in the document
uses the latter); attribute names are dasherized; ids are uuids; lists take `page[limit]`/`page[offset]`.
Where the document departs from JSON:API it wins (DESIGN.md §1): the error `status` is an integer, list meta uses
the `page[limit]`-style keys, and every document carries `"meta": {}`.
"""

import logging
from http import HTTPStatus

from rest_framework import parsers as drf_parsers
from rest_framework import renderers as drf_renderers
from rest_framework import viewsets
from rest_framework.exceptions import ParseError
from rest_framework.views import APIView
from rest_framework_json_api import parsers as jsonapi_parsers
from rest_framework_json_api import renderers as jsonapi_renderers
from rest_framework_json_api.utils import format_field_name

from api.courier.context import CourierContextMixin
from core.api.base import CallerScopeMixin, FamilyViewMixin, UnknownPathMixin
from core.api.errors import Problem
from core.api.filters import DocumentedQueryFilterBackend
from core.api.pagination import PageLimitOffsetPagination
from core.api.parsers import JSONParser
from core.json_values import json_safe_copy

logger = logging.getLogger("crewdesk.api")


class _AlwaysMeta(drf_renderers.JSONRenderer):
    """Sits under the JSON:API renderer in the MRO: the document shows `"meta": {}` on every data document."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "data" in data:
            data.setdefault("meta", {})
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except (ValueError, RecursionError):  # a stored non-finite number, nesting beyond the encoder's limit
            logger.warning("A value could not be rendered as stored; rendering a JSON-safe copy", exc_info=True)
            return super().render(json_safe_copy(data), accepted_media_type, renderer_context)


class CourierRenderer(jsonapi_renderers.JSONRenderer, _AlwaysMeta):
    pass


class CourierPlainJSONRenderer(CourierRenderer):
    """The same documents under `application/json`, for clients that ask for it."""

    media_type = "application/json"
    format = "json"


def document_problem(document) -> str | None:
    """Why a request body is not a JSON:API resource document, or None. djangorestframework-jsonapi reads members
    with `.get`/`.items` and assumes their types, so a list where an object belongs was an AttributeError — a 500."""
    if not isinstance(document, dict) or "data" not in document:
        return "The document must be an object with a `data` member."
    if not _object_or_null(document.get("meta")):
        return "`meta` must be an object."
    data = document["data"]
    if not isinstance(data, dict):
        return "`data` must be a resource object."
    if not isinstance(data.get("type"), str):
        return "`data.type` must be a string."
    if "id" in data and not isinstance(data["id"], str | int | type(None)):
        return "`data.id` must be a string."
    for member in ("attributes", "relationships", "meta"):
        if not _object_or_null(data.get(member)):
            return f"`data.{member}` must be an object."
    for name, relationship in (data.get("relationships") or {}).items():
        if not isinstance(relationship, dict) or "data" not in relationship:
            return f"`data.relationships.{name}` must be an object with a `data` member."
        linkage = relationship["data"]
        if not all(
            item is None or _is_identifier(item) for item in (linkage if isinstance(linkage, list) else [linkage])
        ):
            return f"`data.relationships.{name}.data` must be resource identifiers ({{type, id}})."
    return None


def _object_or_null(value) -> bool:
    return value is None or isinstance(value, dict)


def _is_identifier(item) -> bool:
    return isinstance(item, dict) and isinstance(item.get("type"), str) and isinstance(item.get("id"), str | int)


class CourierDocumentMixin:
    """Checks the document's shape before djangorestframework-jsonapi reads it: every malformed body is a 400."""

    def parse_data(self, result, parser_context):
        problem = document_problem(result)
        if problem is not None:
            raise ParseError(f"Malformed JSON:API document: {problem}")
        return super().parse_data(result, parser_context)


# MRO: the document check, then djangorestframework-jsonapi's reading, then core's JSON limits under both.
class CourierParser(CourierDocumentMixin, jsonapi_parsers.JSONParser, JSONParser):
    pass


class CourierPlainJSONParser(CourierParser):
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
    parser_classes = [JSONParser, drf_parsers.FormParser]


class CourierUnknownPath(UnknownPathMixin, CourierAPIView):
    resource_name = "errors"
