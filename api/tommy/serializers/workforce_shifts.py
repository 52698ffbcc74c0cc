"""Tommy WorkforceShift / WorkforceShiftRequest: input validation and output shapes (spec tommy-1).

Shifts are read on a lean path (DESIGN.md §6): workforce.services.shifts.shifts_annotated and shift_page yield plain
dicts that the family's orjson renderer writes as they are (datetimes in UTC with a `Z`, as DRF writes them); the
serializers below document the shape and validate input.
"""

import django_filters
from rest_framework import serializers

from accounts.models import User
from core.api.validators import FreeformJSON
from core.exceptions import ValidationFailed
from workforce.models import Shift, ShiftRequest


def _iso(value) -> str | None:
    """ISO-8601 in UTC with a `Z`, as DRF writes datetimes elsewhere in the family."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def shift_row(row: dict) -> dict:
    """One lean row (a .values() dict) as the documented WorkforceShift: the renderer formats its datetimes
    (core.api.base.OrjsonRenderer, ~10x faster than isoformat per value here)."""
    row.pop("day", None)
    return row


class ShiftSerializer(serializers.Serializer):
    """WorkforceShift (response): the input fields plus the read-only ids and the caller's flags."""

    id = serializers.IntegerField()
    user_id = serializers.IntegerField(allow_null=True)
    team_id = serializers.IntegerField()
    assignee_id = serializers.IntegerField(allow_null=True)
    event_id = serializers.IntegerField()
    title = serializers.CharField()
    start_at = serializers.DateTimeField()
    end_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=Shift.Status.choices)
    location_id = serializers.IntegerField(allow_null=True)
    location_name = serializers.CharField()
    role = serializers.CharField()
    department = serializers.CharField()
    details = serializers.CharField()
    data = serializers.JSONField()
    shift_on_same_day = serializers.BooleanField()
    shift_requested = serializers.BooleanField()


class ShiftInputSerializer(serializers.Serializer):
    """WorkforceShiftInput, plus `assignee_id` (as the spec suggests) and `force` (assign over unavailability)."""

    title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    start_at = serializers.DateTimeField(required=False)
    end_at = serializers.DateTimeField(required=False)
    status = serializers.ChoiceField(choices=Shift.Status.choices, required=False)
    location_id = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    location_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    role = serializers.CharField(max_length=100, required=False, allow_blank=True)
    department = serializers.CharField(max_length=100, required=False, allow_blank=True)
    details = serializers.CharField(required=False, allow_blank=True)
    data = serializers.JSONField(required=False, validators=[FreeformJSON()])
    assignee_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    force = serializers.BooleanField(required=False, default=False)

    def validate_data(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("Must be a JSON object.")
        return value

    def validate(self, attrs):
        if self.context.get("creating"):
            for name in ("start_at", "end_at"):
                if name not in attrs:
                    raise serializers.ValidationError({name: ["This field is required."]})
        return attrs

    def to_service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        if "assignee_id" in data:
            assignee_id = data.pop("assignee_id")
            data["assignee"] = None
            if assignee_id is not None:
                data["assignee"] = User.objects.filter(pk=assignee_id).first()
                if data["assignee"] is None:
                    raise ValidationFailed.for_field("assignee_id", "No such user.")
        return data


class ShiftFilter(django_filters.FilterSet):
    """`start_after` (start_at ≥), `start_before` (start_at <), `status`, `assignee_id` on the shift lists."""

    query_params = {
        "start_after": "start_after",
        "start_before": "start_before",
        "status": "status",
        "assignee_id": "assignee_id",
    }

    start_after = django_filters.IsoDateTimeFilter(field_name="start_at", lookup_expr="gte")
    start_before = django_filters.IsoDateTimeFilter(field_name="start_at", lookup_expr="lt")
    status = django_filters.ChoiceFilter(choices=Shift.Status.choices)
    assignee_id = django_filters.NumberFilter(field_name="assignee_id")

    class Meta:
        model = Shift
        fields = ["start_after", "start_before", "status", "assignee_id"]


class ShiftRequestSerializer(serializers.ModelSerializer):
    """WorkforceShiftRequest: user_id, shift_id, status + id, team_id, requestor_id."""

    user_id = serializers.IntegerField(read_only=True)
    shift_id = serializers.IntegerField(read_only=True, allow_null=True)
    team_id = serializers.IntegerField(read_only=True)
    requestor_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = ShiftRequest
        fields = ["id", "user_id", "shift_id", "status", "team_id", "requestor_id"]
        read_only_fields = fields


class EmployeeShiftRequestCreateSerializer(serializers.Serializer):
    shift_id = serializers.IntegerField(min_value=1)


class EmployeeShiftRequestUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ShiftRequest.Status.choices)


class ManagerShiftRequestCreateSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(min_value=1)
    shift_id = serializers.IntegerField(min_value=1)
    status = serializers.ChoiceField(choices=ShiftRequest.Status.choices, required=False)


class ManagerShiftRequestUpdateSerializer(serializers.Serializer):
    """`status` moves the request; `user_id` and `shift_id` may be echoed back but not changed."""

    status = serializers.ChoiceField(choices=ShiftRequest.Status.choices)
    user_id = serializers.IntegerField(required=False)
    shift_id = serializers.IntegerField(required=False, allow_null=True)

    def validate(self, attrs):
        request = self.context["instance"]
        for name in ("user_id", "shift_id"):
            if name in attrs and attrs[name] != getattr(request, name):
                raise serializers.ValidationError({name: ["A shift request's employee and shift cannot change."]})
        return attrs
