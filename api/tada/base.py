"""Team messenger API v3 at /api/v3/: every body is {"_time", "ok", "result"}; uuid `uid`s; token or cookie auth.

Errors: {"_time", "ok": false, "error": "<message>"} (the document's only error shape), plus `details` for fields.
"""

import time

from rest_framework import parsers, viewsets
from rest_framework.views import APIView

from api.tada.context import TadaContextMixin
from core.api.base import CallerScopeMixin, FamilyViewMixin, OrjsonRenderer, UnknownPathMixin
from core.api.errors import Problem
from core.api.openapi import FIELD_MESSAGES
from core.api.parsers import JSONParser


def elapsed(request) -> str:
    """Server processing time in the document's form: "0.024 ms", "446 ms", "3.9 s"."""
    started = getattr(request, "started_at", None)
    if started is None:
        return "0 ms"
    ms = (time.perf_counter() - started) * 1000
    if ms >= 1000:
        return f"{ms / 1000:.1f} s"
    return f"{ms:.3f} ms" if ms < 1 else f"{ms:.0f} ms"


class TadaRenderer(OrjsonRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        context = renderer_context or {}
        response = context.get("response")
        if response is not None and getattr(response, "exception", False):
            return super().render(data, accepted_media_type, renderer_context)
        return super().render(
            {"_time": elapsed(context.get("request")), "ok": True, "result": data},
            accepted_media_type,
            renderer_context,
        )


class TadaViewMixin(TadaContextMixin, CallerScopeMixin, FamilyViewMixin):
    family = "tada"
    www_authenticate = 'Bearer realm="crewdesk"'
    renderer_classes = [TadaRenderer]
    parser_classes = [JSONParser, parsers.FormParser, parsers.MultiPartParser]
    pagination_class = None  # "without splitting into pages"
    error_component = "TadaError"
    error_schema = {
        "type": "object",
        "required": ["_time", "ok", "error"],
        "properties": {
            "_time": {"type": "string"},
            "ok": {"type": "boolean", "enum": [False]},
            "error": {"type": "string"},
            "details": FIELD_MESSAGES,
        },
    }

    def render_problem(self, problem: Problem) -> dict:
        body = {"_time": elapsed(self.request), "ok": False, "error": problem.message}
        if problem.details:
            body["details"] = problem.details
        return body


class TadaAPIView(TadaViewMixin, APIView):
    pass


class ImageEndpointMixin:
    """A view that answers an image (a plain HttpResponse) on success: content negotiation always picks the
    envelope renderer, so a client's `Accept: image/png` can't turn an error into a 406 or a non-envelope body."""

    def perform_content_negotiation(self, request, force=False):
        renderer = TadaRenderer()
        return renderer, renderer.media_type


class TadaViewSet(TadaViewMixin, viewsets.GenericViewSet):
    pass


class TadaUnknownPath(UnknownPathMixin, TadaAPIView):
    pass
