"""Tommy shapes of the time area: attendances (time clock), timesheets, timesheet items (spec tommy-1 WORKFORCE).

Output serializers are flat (no nested lookups beyond the prefetched punches), so lists cost a constant number of
queries. Input serializers check shape and types only; every rule lives in workforce/services/{attendance,timesheets}.
Additions to the documented shapes (read-only): attendance `team_id`, `started_at`, `ended_at`, `created_at`,
`updated_at`, `punches`; timesheet `submitted_at`, `decided_at`; item `started_at`, `ended_at`.
"""

from rest_framework import serializers

from core.api.validators import FreeformJSON
from workforce.models import Attendance, AttendancePunch, Timesheet, TimesheetItem
from workforce.services.attendance import CHANNELS, DEFAULT_CHANNEL

# --- attendances -------------------------------------------------------------------------------------------------


class PunchSerializer(serializers.ModelSerializer):
    class Meta:
        model = AttendancePunch
        fields = ["id", "status", "at", "latitude", "longitude", "accuracy", "address"]
        read_only_fields = fields


class AttendanceSerializer(serializers.ModelSerializer):
    """`WorkforceAttendance`: one clock session; `status` is its latest clock action."""

    punches = PunchSerializer(many=True, read_only=True)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "user_id",
            "team_id",
            "event_id",
            "latitude",
            "longitude",
            "accuracy",
            "status",
            "address",
            "location_name",
            "image",
            "started_at",
            "ended_at",
            "created_at",
            "updated_at",
            "punches",
        ]
        read_only_fields = fields


class _LocationFields(serializers.Serializer):
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    accuracy = serializers.FloatField(required=False, allow_null=True, min_value=0)
    address = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=500)


class AttendanceInputSerializer(_LocationFields):
    """`WorkforceAttendanceInput` + `channel` (mobile | web | kiosk; default mobile), the clock the action came from."""

    status = serializers.ChoiceField(choices=Attendance.Status.choices)
    event_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    location_name = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=255)
    image = serializers.DictField(required=False, allow_null=True, validators=[FreeformJSON()])
    channel = serializers.ChoiceField(choices=CHANNELS, required=False, default=DEFAULT_CHANNEL)


class ManagerAttendanceInputSerializer(AttendanceInputSerializer):
    """A manager's or kiosk clock action: `user_id` names the employee (default: the caller)."""

    user_id = serializers.IntegerField(required=False, min_value=1)


class PunchCorrectionSerializer(_LocationFields):
    id = serializers.IntegerField(min_value=1)
    at = serializers.DateTimeField(required=False)


class AttendanceCorrectionSerializer(_LocationFields):
    """A manager's PUT: `status` (a clock action on the employee's behalf), `event_id` (link to that shift),
    `started_at` / `ended_at` and the location fields of the session, `punches` [{id, at, …}] to fix single actions."""

    status = serializers.ChoiceField(choices=Attendance.Status.choices, required=False)
    event_id = serializers.IntegerField(required=False, min_value=1)
    location_name = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=255)
    started_at = serializers.DateTimeField(required=False)
    ended_at = serializers.DateTimeField(required=False)
    punches = PunchCorrectionSerializer(many=True, required=False)


# --- timesheets --------------------------------------------------------------------------------------------------


class TimesheetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Timesheet
        fields = [
            "id",
            "status",
            "resource_id",
            "resource_type",
            "start_date",
            "end_date",
            "manual",
            "user_id",
            "team_id",
            "submitted_at",
            "decided_at",
        ]
        read_only_fields = fields


class TimesheetInputSerializer(serializers.Serializer):
    """`WorkforceTimesheetInput`: only the fields present are applied."""

    status = serializers.ChoiceField(choices=Timesheet.Status.choices, required=False)
    resource_id = serializers.IntegerField(required=False, min_value=1)
    resource_type = serializers.CharField(required=False, max_length=32)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)
    manual = serializers.BooleanField(required=False)

    def validate(self, attrs):
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and start > end:
            raise serializers.ValidationError({"end_date": "must be on or after start_date."})
        return attrs


class TimesheetCreateSerializer(TimesheetInputSerializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    resource_id = serializers.IntegerField(min_value=1)


class TimesheetBulkInputSerializer(TimesheetInputSerializer):
    """`WorkforceTimesheetBulkInput`: `timesheet_ids` plus the fields to set on each."""

    timesheet_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=1000)


# --- timesheet items ---------------------------------------------------------------------------------------------


class TimesheetItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = TimesheetItem
        fields = [
            "id",
            "shift_id",
            "timesheet_id",
            "work_hours",
            "break_hours",
            "address",
            "manual",
            "user_id",
            "team_id",
            "active",
            "started_at",
            "ended_at",
        ]
        read_only_fields = fields


class TimesheetItemInputSerializer(serializers.Serializer):
    """`WorkforceTimesheetItemInput`: only the fields present are applied."""

    shift_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    timesheet_id = serializers.IntegerField(required=False, min_value=1)
    work_hours = serializers.FloatField(required=False, min_value=0, max_value=24 * 366)
    break_hours = serializers.FloatField(required=False, min_value=0, max_value=24 * 366)
    address = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=500)
    manual = serializers.BooleanField(required=False)


class TimesheetItemCreateSerializer(TimesheetItemInputSerializer):
    timesheet_id = serializers.IntegerField(min_value=1)
