"""Query-string filtering shared by the families: documented parameter names mapped onto django-filter FilterSets."""

from django_filters.constants import EMPTY_VALUES
from rest_framework.filters import BaseFilterBackend

from core.exceptions import InvalidQueryParameter


class DocumentedQueryFilterBackend(BaseFilterBackend):
    """Feeds the documented parameters (`filter[...]` and plain ones) to the view's FilterSet on lists.

    The FilterSet names the parameters it reads in `query_params` ({"filter[target]": "target"}); an unknown
    `filter[...]` or a malformed value is a 400 pointing at the parameter (courier: `source.parameter`).
    """

    def filter_queryset(self, request, queryset, view):
        filterset = self.valid_filterset(request, queryset, view)
        return queryset if filterset is None else filterset.qs

    def valid_filterset(self, request, queryset, view):
        """The view's FilterSet bound to the documented parameters present and validated; None when there are none
        (a polled list's usual request, which then skips building a FilterSet)."""
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is None or getattr(view, "action", "list") != "list":
            return None
        params = filterset_class.query_params
        data = {}
        for name, value in request.query_params.items():
            if name in params:
                data[params[name]] = value
            elif name.startswith("filter["):
                raise InvalidQueryParameter(name, "Unknown filter.")
        if not data:
            return None
        filterset = filterset_class(data=data, queryset=queryset, request=request)
        if not filterset.is_valid():
            names = {field: param for param, field in params.items()}
            field, messages = next(iter(filterset.errors.items()))
            raise InvalidQueryParameter(names.get(field, field), messages[0])
        return filterset

    def lookups(self, request, queryset, view) -> list[tuple[str, str, object]]:
        """(field name, django-filter lookup, cleaned value) of each filter given, for lists that write their own
        SQL (workforce.services.shift_page); validation and errors are the FilterSet's, as in `filter_queryset`."""
        filterset = self.valid_filterset(request, queryset, view)
        if filterset is None:
            return []
        return [
            (filterset.filters[name].field_name, filterset.filters[name].lookup_expr, value)
            for name, value in filterset.form.cleaned_data.items()
            if value not in EMPTY_VALUES
        ]

    def get_schema_operation_parameters(self, view):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is None:
            return []
        return [
            {"name": name, "required": False, "in": "query", "schema": {"type": "string"}}
            for name in filterset_class.query_params
        ]
