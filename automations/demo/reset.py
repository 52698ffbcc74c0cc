"""Removes exactly the rows a team's demo syncs generated (automations.DemoRecord), children before parents."""

from collections import defaultdict

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from automations.models import DemoRecord
from workforce.services.shift_cache import shifts_changed

# Dependency order: rows that point at others go first (PROTECT on Shift.event, SET_NULL elsewhere).
DELETE_ORDER = (
    "workforce.timesheetitem",
    "workforce.timesheet",
    "workforce.attendancepunch",
    "workforce.attendance",
    "workforce.shiftrequest",
    "workforce.shift",
    "workforce.event",
    "accounts.membership",
    "accounts.user",
)
CHUNK = 500


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _ids_by_label(team) -> dict[str, list[int]]:
    by_type: dict[int, list[int]] = defaultdict(list)
    for content_type_id, object_id in DemoRecord.objects.filter(team=team).values_list("content_type_id", "object_id"):
        by_type[content_type_id].append(object_id)
    types = ContentType.objects.in_bulk(list(by_type))
    return {f"{types[ct].app_label}.{types[ct].model}": ids for ct, ids in by_type.items() if ct in types}


def demo_rows_delete(*, team) -> int:
    """Delete the generated rows of `team` and their markers; returns how many generated rows were removed.

    A generated user who has since joined another team (a membership that is not generated) is kept; only their
    generated membership goes.
    """
    ids = _ids_by_label(team)
    labels = [label for label in DELETE_ORDER if label in ids]
    labels += sorted(set(ids) - set(DELETE_ORDER))  # anything a later generator adds, before the people
    labels.sort(key=lambda label: label.startswith("accounts."))
    removed = 0
    for label in labels:
        model = apps.get_model(label)
        targets = ids[label]
        if label == "accounts.user":
            generated_memberships = set(ids.get("accounts.membership", ()))
            Membership = apps.get_model("accounts.membership")
            kept = set(
                Membership.objects.filter(user_id__in=targets)
                .exclude(pk__in=generated_memberships)
                .values_list("user_id", flat=True)
            )
            targets = [pk for pk in targets if pk not in kept]
        for chunk in _chunks(targets):
            existing = list(model._base_manager.filter(pk__in=chunk).values_list("pk", flat=True))
            model._base_manager.filter(pk__in=existing).delete()
            removed += len(existing)
    DemoRecord.objects.filter(team=team).delete()
    shifts_changed(team_id=team.pk)  # shifts, requests and users (SET_NULL on shifts) went: the cached lists too
    return removed
