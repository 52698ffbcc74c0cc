"""Hand-built courier documents for the notification resources (issue 13): the views build each resource's
attributes as a dict (dasherized names as the document spells them) and wrap them here, and read JSON:API request
bodies with `attributes_of`. Errors still go through the family's envelope (api/courier/base.py)."""

from uuid import UUID

from rest_framework import parsers, status
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from api.courier.base import CourierViewMixin
from core.exceptions import InvalidQueryParameter, ValidationFailed
from core.ids import UUID_PATTERN


class JsonApiBodyParser(parsers.JSONParser):
    media_type = "application/vnd.api+json"


PARSERS = [JsonApiBodyParser, parsers.JSONParser]


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z") if value else ""


def resource(resource_type: str, uid, attributes: dict) -> dict:
    return {"id": str(uid), "type": resource_type, "attributes": attributes}


def one(data: dict, *, status_code: int = status.HTTP_200_OK) -> Response:
    return Response({"data": data, "meta": {}}, status=status_code)


def attributes_of(request, resource_type: str) -> dict:
    """The `attributes` of a JSON:API body (`{"data": {"type", "attributes"}}`), keys with underscores."""
    body = request.data
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise ValidationFailed("The body must be a JSON:API document.", details={"non_field_errors": ["No data."]})
    if data.get("type") not in (None, resource_type):
        message = f"The resource type must be {resource_type!r}."
        raise ValidationFailed(message, details={"non_field_errors": [message]})
    attributes = data.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise ValidationFailed("attributes must be an object.", details={"non_field_errors": ["Bad attributes."]})
    return {key.replace("-", "_"): value for key, value in attributes.items()}


def flat_body(request) -> dict:
    """A flat (non-JSON:API) body, keys with underscores."""
    body = request.data
    if not isinstance(body, dict):
        raise ValidationFailed("The body must be a JSON object.", details={"non_field_errors": ["Not an object."]})
    return {str(key).replace("-", "_"): value for key, value in body.items()}


def bool_param(request, name: str, default: bool = False) -> bool:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    if raw.lower() in ("true", "1", "yes"):
        return True
    if raw.lower() in ("false", "0", "no"):
        return False
    raise InvalidQueryParameter(name, f"must be true or false, got {raw!r}.")


def uuid_or_none(value) -> UUID | None:
    try:
        return UUID(str(value))
    except (TypeError, ValueError):
        return None


class CourierDocumentViewSet(CourierViewMixin, GenericViewSet):
    """Routes by `uid`; answers documents it builds itself (resource_name False: the renderer passes them on)."""

    resource_name = False
    lookup_field = "uid"
    lookup_value_regex = UUID_PATTERN
    parser_classes = PARSERS

    def render_one(self, instance) -> dict:  # pragma: no cover - each view
        raise NotImplementedError

    def page(self, queryset, render=None) -> Response:
        """A page of `queryset` with the family's page meta (`page[limit]`, `page[offset]`, `page[total]`)."""
        rows = self.paginator.paginate_queryset(queryset, self.request, view=self)
        render = render or self.render_one
        meta = {"page[limit]": self.paginator.limit, "page[offset]": self.paginator.offset}
        meta["page[total]"] = self.paginator.total
        return Response({"data": [render(row) for row in rows], "meta": meta})


CMP_OPERATORS = (">=", "<=", ">", "<")


def cmp_filter(request, name: str, *, allowed=CMP_OPERATORS) -> list[tuple[str, object]]:
    """`filter[cmp-<attr>]`: at most 2 items of at most 40 characters, each `<op><datetime>` (repeated keys or one
    comma-separated value). Returns (lookup, datetime) pairs: gt, gte, lt, lte."""
    from django.utils.dateparse import parse_datetime
    from django.utils.timezone import is_naive, make_aware

    values = []
    for raw in request.query_params.getlist(name):
        values += [v for v in raw.split(",") if v]
    if len(values) > 2:
        raise InvalidQueryParameter(name, "at most 2 comparisons.")
    lookups = {">=": "gte", "<=": "lte", ">": "gt", "<": "lt"}
    found = []
    for value in values:
        op = next((o for o in CMP_OPERATORS if value.startswith(o)), None)
        moment = parse_datetime(value[len(op) :].strip().replace(" ", "+")) if op and len(value) <= 40 else None
        if op not in allowed or moment is None:
            raise InvalidQueryParameter(
                name, f"each item is one of {', '.join(allowed)} and a date-time, got {value!r}."
            )
        found.append((lookups[op], make_aware(moment) if is_naive(moment) else moment))
    return found
