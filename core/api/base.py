"""What every family facade shares: credentials read per family, one exception path, fast JSON rendering."""

import logging
from functools import cache

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.module_loading import import_string
from rest_framework import renderers
from rest_framework.exceptions import APIException, NotFound, ParseError
from rest_framework.metadata import BaseMetadata
from rest_framework.response import Response

from core.api.errors import Problem, problem_from_exception
from core.json_values import json_safe_copy
from core.request_id import get_request_id

logger = logging.getLogger("crewdesk.api")


@cache
def _authentication_classes(family: str) -> tuple[type, ...]:
    return tuple(import_string(path) for path in settings.CREWDESK_AUTHENTICATION[family])


class OrjsonRenderer(renderers.JSONRenderer):
    """orjson renders ~5× faster than the stdlib encoder: used on the hot, polled lists (DESIGN.md §6).

    Datetimes left in the data are written as DRF's DateTimeField writes them (ISO 8601, UTC as `Z`), so lean
    paths hand them over unformatted; `orjson.Fragment` values (JSON read as text from the database) are copied
    as they are."""

    options = orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        try:
            return orjson.dumps(data, option=self.options, default=str)
        except orjson.JSONEncodeError:  # a stored integer beyond 64 bits, nesting beyond orjson's limit
            logger.warning("A value could not be rendered as stored; rendering a JSON-safe copy", exc_info=True)
            return orjson.dumps(json_safe_copy(data), option=self.options, default=str)


class LengthRequired(APIException):
    status_code = 411
    default_detail = "Send the body with a Content-Length header; chunked request bodies are not accepted."
    default_code = "length_required"


class AllowedMethodsMetadata(BaseMetadata):
    """OPTIONS answers with the `Allow` header (set on every response) and no introspection: no family documents
    OPTIONS, and DRF's SimpleMetadata would call get_object() on views that have no queryset."""

    def determine_metadata(self, request, view):
        return {"name": view.get_view_name(), "allowed_methods": list(view.allowed_methods)}


class FamilyViewMixin:
    """Base of every view of one API family. Subclasses set `family` and implement `render_problem`."""

    family: str = ""
    metadata_class = AllowedMethodsMetadata
    validation_status = 400

    def get_authenticators(self):
        return [cls() for cls in _authentication_classes(self.family)]

    def initial(self, request, *args, **kwargs):
        # Django reads CONTENT_LENGTH bytes of a body, so a chunked body (Transfer-Encoding, no Content-Length) was
        # read as empty: a chunked PUT /ui-settings replaced the settings with {}. Refused before anything reads it.
        if request.META.get("HTTP_TRANSFER_ENCODING") and not request.META.get("CONTENT_LENGTH"):
            raise LengthRequired()
        # DRF parses JSON straight from the stream, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE never applies to it:
        # refuse an oversized non-multipart body before anything reads it (file uploads are spooled by Django).
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and not request.content_type.startswith("multipart/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                raise RequestDataTooBig(f"The request body is larger than {limit} bytes.")
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        """Render here, inside the view, instead of in Django's handler after the view returned: an error while
        rendering then reaches the family's exception handler (its envelope), where before it escaped DRF and
        became Django's HTML 500 page."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and not response.is_rendered:
            # dispatch() sets view.response only after this returns; renderers read it (JSON:API: errors or data)
            self.response = response
            try:
                response.render()
            except Exception as exc:
                response = super().finalize_response(request, self.handle_exception(exc), *args, **kwargs)
                self.response = response
                response.render()
        return response

    def get_exception_handler(self):
        return self.family_exception_handler

    def family_exception_handler(self, exc, context):
        problem = problem_from_exception(exc)
        if problem.is_validation:
            problem.status = self.validation_status
        if problem.status == 401:
            problem.headers.setdefault("WWW-Authenticate", self.www_authenticate)
        if problem.status == 405:
            problem.headers["Allow"] = ", ".join(self.allowed_methods)
        response = Response(self.render_problem(problem), status=problem.status, headers=problem.headers)
        response.exception = True
        return response

    www_authenticate = 'Bearer realm="api"'

    def render_problem(self, problem: Problem) -> object:  # pragma: no cover - each family overrides
        raise NotImplementedError

    @staticmethod
    def request_id() -> str:
        return get_request_id()


class CallerScopeMixin:
    """Scopes every queryset of a family view to the caller's teams, in this one place (DESIGN.md §2).

    Credentials (api/authentication.py) expose `team_ids`: an API key its one team, a user token or session
    the teams its user belongs to. Models opt in with a TeamScopedQuerySet; views never filter by team ad hoc.
    """

    def caller_team_ids(self) -> frozenset[int]:
        return frozenset(getattr(self.request.auth, "team_ids", ()) or ())

    def get_queryset(self):
        queryset = super().get_queryset()
        if hasattr(queryset, "for_teams"):
            queryset = queryset.for_teams(self.caller_team_ids())
        return queryset


class PublicEndpointMixin:
    """An endpoint anyone may call (login steps, ping, provider callbacks): no credential is read, so a stale
    token or cookie sent along can neither block it nor be mistaken for the caller."""

    authentication_classes: list = []
    permission_classes: list = []

    def get_authenticators(self):
        return []


class UnknownPathMixin(PublicEndpointMixin):
    """Answers every method on an unknown path under a family prefix with that family's 404 envelope.

    With `answer_status` 400 or 500 it is also Django's handler400/handler500 under the family's prefix
    (config/urls.py): an error raised outside any view (in a middleware) is still answered in the envelope."""

    answer_status = 404

    def initial(self, request, *args, **kwargs):
        if self.answer_status == 400:
            raise ParseError("The request was refused as malformed.")
        if self.answer_status == 500:
            raise APIException("Internal server error.")
        raise NotFound("No such endpoint.")
