"""Operator-only pages of the console: Celery beat's tables (django-celery-beat) and Django's permission groups.

They hold no team's rows, so no team scoping can apply: only superusers (operators) see or change them, whatever
permissions a staff account was given by hand. Team managers never get them (accounts.services.console_access).
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule


class OperatorOnlyAdminMixin:
    """Visible and usable by superusers only."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


OPERATOR_ONLY = {
    PeriodicTask: beat_admin.PeriodicTaskAdmin,
    ClockedSchedule: beat_admin.ClockedScheduleAdmin,
    CrontabSchedule: beat_admin.CrontabScheduleAdmin,
    SolarSchedule: beat_admin.SolarScheduleAdmin,
    IntervalSchedule: beat_admin.IntervalScheduleAdmin,
    Group: GroupAdmin,
}

for _model, _admin_class in OPERATOR_ONLY.items():
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, type(f"Operator{_admin_class.__name__}", (OperatorOnlyAdminMixin, _admin_class), {}))
