"""Tommy shapes for workforce settings, employees, availabilities, shift questions/answers and events.

Input serializers validate shape and types only; the services own the rules. Datetimes are ISO-8601 UTC.
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers

from api.tommy.serializers.accounts import TeamMemberInputSerializer, TeamMemberSerializer
from core.api.validators import FreeformJSON
from workforce.models import ShiftQuestion, WorkforceSettings
from workforce.services.settings import WRITABLE as WORKFORCE_SETTINGS_FIELDS

UTC = datetime.UTC
MAX_MINUTES = 7 * 24 * 60  # a week


def _utc() -> serializers.DateTimeField:
    return serializers.DateTimeField(default_timezone=UTC, allow_null=True)


def _team_id_matches(serializer, value):
    team = serializer.context.get("team")
    if value not in (None, 0) and team is not None and value != team.pk:
        raise serializers.ValidationError("must be the current team")
    return value


# --- settings ----------------------------------------------------------------------------------------------------


class WorkforceSerializer(serializers.ModelSerializer):
    """`Workforce`: the documented fields and `id`."""

    class Meta:
        model = WorkforceSettings
        fields = ["id", *WORKFORCE_SETTINGS_FIELDS]
        read_only_fields = fields


def _minutes():
    return serializers.IntegerField(required=False, min_value=0, max_value=MAX_MINUTES)


class WorkforceInputSerializer(serializers.Serializer):
    """`WorkforceInput`: every field optional (PUT is partial); enums exactly as documented ("turesday")."""

    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    week_start = serializers.ChoiceField(choices=WorkforceSettings.WeekStart.values, required=False)
    timeclock_require_gps = serializers.BooleanField(required=False)
    timeclock_require_photo = serializers.BooleanField(required=False)
    timeclock_enable_mobile = serializers.BooleanField(required=False)
    timeclock_enable_web = serializers.BooleanField(required=False)
    timeclock_enable_kiosk = serializers.BooleanField(required=False)
    timesheets_rounding_method = serializers.ChoiceField(choices=WorkforceSettings.Rounding.values, required=False)
    timesheets_rounding_minutes = _minutes()
    timesheets_enable_break_rounding = serializers.BooleanField(required=False)
    shift_upcoming_notification_minutes = _minutes()
    shift_forgot_clockin_minutes = _minutes()
    shift_forgot_clockout_minutes = _minutes()
    shift_notifications_enabled = serializers.BooleanField(required=False)
    event_notifications_enabled = serializers.BooleanField(required=False)
    data = serializers.DictField(required=False, validators=[FreeformJSON()])


# --- employees ---------------------------------------------------------------------------------------------------


def _profile(membership):
    try:
        return membership.employee
    except ObjectDoesNotExist:
        return None


class WorkforceEmployeeSerializer(TeamMemberSerializer):
    """`WorkforceEmployee` = the tommy `TeamMember` + the profile fields of `WorkforceEmployeeInput`, echoed back.

    Expects memberships from workforce.services.employees (user and profile loaded: no query per row)."""

    has_vehicle = serializers.SerializerMethodField()
    compliance_check = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()

    def get_has_vehicle(self, membership) -> bool:
        profile = _profile(membership)
        return profile.has_vehicle if profile else False

    def get_compliance_check(self, membership) -> str:
        profile = _profile(membership)
        return profile.compliance_check if profile else ""

    def get_notes(self, membership) -> str:
        profile = _profile(membership)
        return profile.notes if profile else ""


class WorkforceEmployeeInputSerializer(TeamMemberInputSerializer):
    """`WorkforceEmployeeInput`: `user_id` and `team_id` required (and must be the path's user and the current
    team); the TeamMember labels/flags, `manager`, and the three profile fields. `photo` is not accepted here."""

    user_id = serializers.IntegerField()
    team_id = serializers.IntegerField()
    status = None  # the access level is changed on /team/members, not here
    has_vehicle = serializers.BooleanField(required=False)
    compliance_check = serializers.CharField(max_length=255, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=10_000, required=False, allow_blank=True)

    def validate_user_id(self, value):
        if value != self.context.get("user_id"):
            raise serializers.ValidationError("must be the user id of the path")
        return value

    def validate_team_id(self, value):
        team = self.context.get("team")
        if team is not None and value != team.pk:
            raise serializers.ValidationError("must be the current team")
        return value


# --- availabilities ----------------------------------------------------------------------------------------------


class AvailabilitySerializer(serializers.Serializer):
    """`WorkforceAvailability`; `employee_id` is the caller's TeamMember id (context `employee_id`)."""

    id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    team_id = serializers.IntegerField()
    employee_id = serializers.SerializerMethodField()
    date = serializers.DateField()
    am = serializers.IntegerField()
    pm = serializers.IntegerField()
    nd = serializers.IntegerField()
    am_locked = serializers.BooleanField()
    pm_locked = serializers.BooleanField()
    nd_locked = serializers.BooleanField()

    def get_employee_id(self, availability) -> int | None:
        return self.context.get("employee_id")


def _level():
    return serializers.IntegerField(required=False, min_value=0, max_value=100)


class AvailabilityInputSerializer(serializers.Serializer):
    """`WorkforceAvailabilityInput`: the body's `date` is read but the path's wins."""

    am = _level()
    pm = _level()
    nd = _level()
    am_locked = serializers.BooleanField(required=False)
    pm_locked = serializers.BooleanField(required=False)
    nd_locked = serializers.BooleanField(required=False)
    date = serializers.DateField(required=False)

    def to_service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        data.pop("date", None)
        return data


class DateInPathSerializer(serializers.Serializer):
    date = serializers.DateField(input_formats=["iso-8601"])


# --- shift questions and answers ---------------------------------------------------------------------------------


class ShiftQuestionSerializer(serializers.Serializer):
    """`WorkforceShiftQuestion` with a read-only `id` (the spec suggests adding it: answers reference it)."""

    id = serializers.IntegerField()
    team_id = serializers.IntegerField()
    text = serializers.CharField()
    offset_minutes = serializers.IntegerField()
    when = serializers.CharField()
    always = serializers.BooleanField()
    enabled = serializers.BooleanField()
    tag_ids = serializers.ListField(child=serializers.IntegerField())


class ShiftQuestionInputSerializer(serializers.Serializer):
    team_id = serializers.IntegerField(required=False)
    text = serializers.CharField(max_length=500)
    offset_minutes = serializers.IntegerField(required=False, min_value=-MAX_MINUTES, max_value=MAX_MINUTES)
    when = serializers.ChoiceField(choices=ShiftQuestion.When.values, required=False)
    always = serializers.BooleanField(required=False)
    enabled = serializers.BooleanField(required=False)
    tag_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=100)

    def validate_team_id(self, value):
        return _team_id_matches(self, value)

    def to_service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        data.pop("team_id", None)
        return data


class ShiftAnswerSerializer(serializers.Serializer):
    """`WorkforceShiftAnswer` with a read-only `id`."""

    id = serializers.IntegerField()
    team_id = serializers.IntegerField()
    shift_id = serializers.IntegerField(allow_null=True)
    shift_question_id = serializers.IntegerField(source="question_id")
    attendance_id = serializers.IntegerField(allow_null=True)
    user_id = serializers.IntegerField()
    text = serializers.CharField()


class ShiftAnswerInputSerializer(serializers.Serializer):
    """`shift_id` comes from the path, `team_id`/`user_id` from the caller: sent values are ignored."""

    shift_question_id = serializers.IntegerField(min_value=1)
    attendance_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    text = serializers.CharField(max_length=10_000)


# --- events ------------------------------------------------------------------------------------------------------


class EventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    details = serializers.CharField()
    location_name = serializers.CharField()
    color = serializers.CharField()
    start_at = _utc()
    end_at = _utc()
    id = serializers.IntegerField()
    user_id = serializers.IntegerField(allow_null=True)
    team_id = serializers.IntegerField()
    addons_install_id = serializers.IntegerField(allow_null=True)


class EventInputSerializer(serializers.Serializer):
    """`EventInput`: no field required; PUT is partial."""

    kind = serializers.CharField(max_length=32, required=False, allow_blank=True)
    title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    details = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    location_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    color = serializers.CharField(max_length=32, required=False, allow_blank=True)
    start_at = serializers.DateTimeField(required=False, allow_null=True)
    end_at = serializers.DateTimeField(required=False, allow_null=True)
