"""Courier query filters for the SMS resources: documented query parameters mapped onto django-filter FilterSets."""

import django_filters
from django import forms

from core.exceptions import ValidationFailed
from core.phones import normalize_phone
from messaging.models import Text, TextAccount


class E164FormField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return normalize_phone(value, field="target")
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None


class E164Filter(django_filters.CharFilter):
    field_class = E164FormField


class TextAccountFilter(django_filters.FilterSet):
    query_params = {"organization-id": "organization_id"}

    organization_id = django_filters.UUIDFilter(field_name="team__uid")

    class Meta:
        model = TextAccount
        fields: list[str] = []


class TextFilter(django_filters.FilterSet):
    """`account-id` is resolved by the view (it names the collection); these narrow it."""

    query_params = {"filter[number-id]": "number_id", "filter[target]": "target"}

    number_id = django_filters.UUIDFilter(field_name="number__uid")
    target = E164Filter(field_name="to")

    class Meta:
        model = Text
        fields: list[str] = []
