"""Organization preferences (courier `org-preferences`): upsert by (organization, name); an unset name answers its
default with `explicit` false. The SMS flows read `initial-sms-message` and `sms-help-message` from here."""

import uuid
from dataclasses import dataclass

from django.db import transaction

from core.exceptions import ValidationFailed
from messaging.models import OrgPreference

# The document's three names, then Crewdesk's: HELP answers with the organization's help text (issue 12).
DEFAULTS: dict[str, str] = {
    "default-channel-title": "",
    "group-provider-ack": "",
    "initial-sms-message": (
        "{organization} would like to send you text messages. Reply YES to accept or NO to decline."
    ),
    "sms-help-message": "{organization}: reply STOP to stop these texts, START to get them again.",
}
NAMES = tuple(DEFAULTS)
TYPES = ("string", "json")


@dataclass(frozen=True)
class Preference:
    """A preference as listed: a stored row, or the default of an unset name."""

    uid: uuid.UUID
    team_id: int
    team_uid: uuid.UUID
    name: str
    type: str
    value: str
    value_js: dict
    explicit: bool
    created_at: object = None


def preference_uid(*, team_uid: uuid.UUID, name: str) -> uuid.UUID:
    """Stable id of (organization, name): the same for the default and for the row that later replaces it."""
    return uuid.uuid5(team_uid, name)


def _of_row(row: OrgPreference, team_uid: uuid.UUID) -> Preference:
    return Preference(
        uid=row.uid,
        team_id=row.team_id,
        team_uid=team_uid,
        name=row.name,
        type=row.type,
        value=row.value,
        value_js=row.value_js,
        explicit=True,
        created_at=row.created_at,
    )


def preferences_of(*, team, names=NAMES) -> list[Preference]:
    """Every name in `names`, stored or default, in the documented order (one query)."""
    stored = {row.name: row for row in OrgPreference.objects.filter(team=team, name__in=list(names))}
    listed = []
    for name in names:
        if name in stored:
            listed.append(_of_row(stored[name], team.uid))
        else:
            listed.append(
                Preference(
                    uid=preference_uid(team_uid=team.uid, name=name),
                    team_id=team.pk,
                    team_uid=team.uid,
                    name=name,
                    type="string",
                    value=DEFAULTS[name],
                    value_js={},
                    explicit=False,
                )
            )
    return listed


def preference_text(*, team, name: str) -> str:
    """The text a flow sends: the stored value (or the default), with {organization} filled in."""
    row = OrgPreference.objects.filter(team=team, name=name).only("value").first()
    value = row.value if row is not None and row.value else DEFAULTS[name]
    return value.replace("{organization}", team.name)


@transaction.atomic
def org_preference_set(*, team, name: str, type: str = "string", value: str = "", value_js=None) -> Preference:
    """Create or replace the organization's value of `name`."""
    if name not in DEFAULTS:
        raise ValidationFailed.for_field("name", f"Unknown preference {name!r}; one of {', '.join(NAMES)}.")
    if type not in TYPES:
        raise ValidationFailed.for_field("type", f"Unknown type {type!r}; one of {', '.join(TYPES)}.")
    row, _ = OrgPreference.objects.update_or_create(
        team=team,
        name=name,
        defaults={"type": type, "value": value, "value_js": value_js or {}},
        create_defaults={
            "uid": preference_uid(team_uid=team.uid, name=name),
            "type": type,
            "value": value,
            "value_js": value_js or {},
        },
    )
    return _of_row(row, team.uid)
