"""Courier query filters: the documented query parameters mapped onto django-filter FilterSets."""

import django_filters

from accounts.models import Team


class OrganizationFilter(django_filters.FilterSet):
    query_params = {"filter[name]": "name"}

    name = django_filters.CharFilter(field_name="name", max_length=255)

    class Meta:
        model = Team
        fields: list[str] = []
