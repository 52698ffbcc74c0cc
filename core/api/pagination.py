"""List pagination per family (DESIGN.md §1)."""

from functools import lru_cache
from urllib.parse import urlencode

from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from core.exceptions import InvalidQueryParameter

# The largest page number / offset accepted: far beyond any real list, and small enough that an offset computed from
# it fits the databases' 64-bit integers (a larger one was a database error, answered 500).
MAX_PAGE = 2**31 - 1
MAX_OFFSET = 2**31 - 1


def bounded_int_param(params, name: str, *, default: int, minimum: int, maximum: int | None) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise InvalidQueryParameter(name, f"must be an integer, got {raw!r}.") from None
    if value < minimum or (maximum is not None and value > maximum):
        upper = f"..{maximum}" if maximum is not None else " or more"
        raise InvalidQueryParameter(name, f"must be in {minimum}{upper}, got {value}.")
    return value


class PagePerPagination(BasePagination):
    """Tommy: a bare array, `page` (1-based) and `per` (Kaminari style), X-Total-Count and a Link header."""

    default_per = 100
    max_per = 1000
    # documented on every paginated list (core.api.openapi)
    response_headers = {
        "X-Total-Count": {"schema": {"type": "integer"}, "description": "Rows in the whole list."},
        "Link": {"schema": {"type": "string"}, "description": 'RFC 8288 links: rel="first", "last", "prev", "next".'},
    }

    def _read_params(self, request) -> None:
        self.request = request
        self.page = bounded_int_param(request.query_params, "page", default=1, minimum=1, maximum=MAX_PAGE)
        self.per = bounded_int_param(
            request.query_params, "per", default=self.default_per, minimum=1, maximum=self.max_per
        )

    def paginate_queryset(self, queryset, request, view=None):
        self._read_params(request)
        self.total = (
            queryset.count() if hasattr(queryset, "count") and not isinstance(queryset, list) else len(queryset)
        )
        start = (self.page - 1) * self.per
        return list(queryset[start : start + self.per])

    def paginate_fetched(self, request, fetch) -> list:
        """For lists that read their rows themselves: `fetch(offset=…, limit=…)` returns (rows, total)."""
        self._read_params(request)
        rows, self.total = fetch(offset=(self.page - 1) * self.per, limit=self.per)
        return rows

    def get_paginated_response(self, data):
        last = max(1, -(-self.total // self.per))
        base = self.request.build_absolute_uri(self.request.path)
        others = tuple((k, v) for k, v in self.request.query_params.items() if k not in ("page", "per"))
        link = _link_header(base, others, self.page, self.per, last)
        return Response(data, headers={"X-Total-Count": str(self.total), "Link": link})

    def get_schema_operation_parameters(self, view):
        return [
            _query_int("page", "Page number, from 1.", minimum=1, maximum=MAX_PAGE, default=1),
            _query_int("per", "Rows per page.", minimum=1, maximum=self.max_per, default=self.default_per),
        ]


@lru_cache(maxsize=1024)  # a polled list asks for the same page of the same list again and again
def _link_header(base: str, others: tuple, page: int, per: int, last: int) -> str:
    """RFC 8288 links to the first, last, previous and next pages of the list at `base` with the `others` params."""

    def url(number: int) -> str:
        return f"{base}?{urlencode(sorted([*others, ('page', str(number)), ('per', str(per))]))}"

    links = [f'<{url(1)}>; rel="first"', f'<{url(last)}>; rel="last"']
    if page > 1:
        links.append(f'<{url(page - 1)}>; rel="prev"')
    if page < last:
        links.append(f'<{url(page + 1)}>; rel="next"')
    return ", ".join(links)


class PageLimitOffsetPagination(BasePagination):
    """Courier: `page[limit]` / `page[offset]` with per-endpoint bounds; meta keys as the document's sample shows."""

    default_limit = 100
    min_limit = 1
    max_limit = 1000

    def paginate_queryset(self, queryset, request, view=None):
        bounds = getattr(view, "page_limit_bounds", None) or (self.min_limit, self.max_limit, self.default_limit)
        minimum, maximum, default = bounds
        self.limit = bounded_int_param(
            request.query_params, "page[limit]", default=default, minimum=minimum, maximum=maximum
        )
        self.offset = bounded_int_param(request.query_params, "page[offset]", default=0, minimum=0, maximum=MAX_OFFSET)
        self.total = queryset.count()
        return list(queryset[self.offset : self.offset + self.limit])

    def get_paginated_response(self, data):
        meta = {"page[limit]": self.limit, "page[offset]": self.offset, "page[total]": self.total}
        return Response({"results": data, "meta": meta})

    def get_schema_operation_parameters(self, view):
        minimum, maximum, default = getattr(view, "page_limit_bounds", None) or (
            self.min_limit,
            self.max_limit,
            self.default_limit,
        )
        return [
            _query_int("page[limit]", "Rows per page.", minimum=minimum, maximum=maximum, default=default),
            _query_int("page[offset]", "Rows to skip.", minimum=0, maximum=MAX_OFFSET, default=0),
        ]


def _query_int(name: str, description: str, *, minimum: int, maximum: int, default: int) -> dict:
    schema = {"type": "integer", "minimum": minimum, "maximum": maximum, "default": default}
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}
