"""Courier query filters for numbers, lookups, user-number maps and consents."""

import uuid

import django_filters
from django import forms

from core.exceptions import ValidationFailed
from core.phones import normalize_phone
from messaging.models import TextNumber, TextNumberInfo, TextUserNumberMap, UserConsent


class E164Field(forms.CharField):
    region: str | None = None

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return normalize_phone(value, field="number", region=self.region)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None


class E164USField(E164Field):
    region = "US"


class E164Filter(django_filters.CharFilter):
    field_class = E164Field


class E164USFilter(django_filters.CharFilter):
    field_class = E164USField


class TextNumberFilter(django_filters.FilterSet):
    # Both the documented `filter[phone-number]` and its unprefixed twin (spec/courier.md text-account-numbers).
    query_params = {
        "account-id": "account_id",
        "filter[phone-number]": "phone_number",
        "phone-number": "phone_number_plain",
    }

    account_id = django_filters.UUIDFilter(field_name="account__uid")
    phone_number = E164Filter(field_name="phone_number")
    phone_number_plain = E164Filter(field_name="phone_number")

    class Meta:
        model = TextNumber
        fields: list[str] = []


class TextUserNumberMapFilter(django_filters.FilterSet):
    query_params = {
        "filter[number-id]": "number_id",
        "filter[organization-id]": "organization_id",
        "filter[user-id]": "user_id",
    }

    number_id = django_filters.UUIDFilter(field_name="number__uid")
    organization_id = django_filters.UUIDFilter(field_name="team__uid")
    user_id = django_filters.UUIDFilter(field_name="user__uid")

    class Meta:
        model = TextUserNumberMap
        fields: list[str] = []


class UserConsentFilter(django_filters.FilterSet):
    query_params = {"filter[organization-id]": "organization_id", "filter[user-id]": "user_id"}

    organization_id = django_filters.UUIDFilter(field_name="team__uid")
    # Documented as a string of at most 255 characters: a value that is no user id matches nothing.
    user_id = django_filters.CharFilter(method="by_user", max_length=255)

    class Meta:
        model = UserConsent
        fields: list[str] = []

    def by_user(self, queryset, name, value):
        try:
            return queryset.filter(user__uid=uuid.UUID(value))
        except ValueError:
            return queryset.none()


class TextNumberInfoFilter(django_filters.FilterSet):
    """`number` is required (the view says so); it selects the one cached lookup of that number."""

    query_params = {"number": "number"}

    number = E164USFilter(field_name="number")

    class Meta:
        model = TextNumberInfo
        fields: list[str] = []
