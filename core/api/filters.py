"""Query-string filtering shared by the families: documented parameter names mapped onto django-filter FilterSets."""

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

    def get_schema_operation_parameters(self, view):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is None:
            return []
        return [
            {"name": name, "required": False, "in": "query", "schema": {"type": "string"}}
            for name in filterset_class.query_params
        ]
