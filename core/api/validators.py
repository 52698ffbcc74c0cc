"""DRF field validators shared by the families."""

from rest_framework import serializers

from core.json_values import FREEFORM, JsonLimits, json_value_problem


class FreeformJSON:
    """For a serializer field whose value is stored as the client sent it (JSONField, DictField, ListField):
    I-JSON numbers, bounded depth and size (core/json_values.py says why). Use: `validators=[FreeformJSON()]`."""

    def __init__(self, limits: JsonLimits = FREEFORM):
        self.limits = limits

    def __call__(self, value):
        problem = json_value_problem(value, self.limits)
        if problem is not None:
            raise serializers.ValidationError(problem)
