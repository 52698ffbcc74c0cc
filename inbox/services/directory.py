"""The company's directory: teams of agents, assistants, labels (unique names: 1014)."""

from django.db import IntegrityError, transaction

from accounts.models import Membership
from accounts.services.console_access import console_access_sync
from core.exceptions import ValidationFailed
from inbox import jids
from inbox.errors import AlreadyExists
from inbox.models import Assistant, InboxTeam, Label


def _name(value, *, field: str = "name") -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed.for_field(field, "This field is required.")
    if len(value.strip()) > 100:
        raise ValidationFailed.for_field(field, "At most 100 characters.")
    return value.strip()


def _integer(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not -(2**31) <= value < 2**31:
        raise ValidationFailed.for_field(field, "An integer.")
    return value


@transaction.atomic
def team_create(*, company, name: str) -> InboxTeam:
    return InboxTeam.objects.create(team=company, name=_name(name), jid=jids.new_jid("team"))


@transaction.atomic
def team_update(*, team: InboxTeam, **changes) -> InboxTeam:
    for field, value in changes.items():
        if field == "name":
            team.name = _name(value)
        elif field == "color":
            team.color = _integer(value, "color")
        elif field == "metadata":
            if not isinstance(value, dict | str):
                raise ValidationFailed.for_field("metadata", "An object.")
            team.metadata = value
        elif field == "reference":
            team.reference = str(value or "")[:200]
        else:
            raise ValueError(field)
    team.save()
    return team


@transaction.atomic
def team_delete(*, team: InboxTeam) -> None:
    users = set(team.members.values_list("user_id", flat=True))
    team.delete()
    console_access_sync(user_ids=users)


# --- agents in the console ------------------------------------------------------------------------------------------

# What an agent (a member an inbox team lists) may do in the console: the inbox page (read and answer).
INBOX_AGENT_PERMISSIONS = (("inbox", "view_conversation"), ("inbox", "change_conversation"))


def inbox_agents(user_ids: set[int]) -> set[int]:
    """Which of `user_ids` are agents in the console's sense: active members an inbox team of their team lists."""
    return set(
        Membership.objects.active()
        .filter(user_id__in=user_ids, inbox_teams__isnull=False)
        .values_list("user_id", flat=True)
    )


@transaction.atomic
def team_members_set(*, team: InboxTeam, memberships) -> None:
    """Who is in an inbox team (the console); agents gain or lose the console's inbox page with it."""
    memberships = list(memberships)
    if any(m.team_id != team.team_id for m in memberships):
        raise ValidationFailed.for_field("members", "Members of this team's company only.")
    before = set(team.members.values_list("user_id", flat=True))
    team.members.set(memberships)
    console_access_sync(user_ids=before | {m.user_id for m in memberships})


@transaction.atomic
def assistant_update(*, assistant: Assistant, **changes) -> Assistant:
    for field, value in changes.items():
        if field == "name":
            assistant.name = _name(value)
        elif field == "color":
            assistant.color = _integer(value, "color")
        elif field == "description":
            assistant.description = str(value or "")[:255]
        elif field == "enabled":
            if not isinstance(value, bool):
                raise ValidationFailed.for_field("enabled", "true or false.")
            assistant.enabled = value
        else:
            raise ValueError(field)
    assistant.save()
    return assistant


@transaction.atomic
def assistant_create(*, company, name: str, description: str = "", api_key=None) -> Assistant:
    """Assistants are made in the console (the document: "contact us")."""
    return Assistant.objects.create(
        team=company, name=_name(name), description=description, api_key=api_key, jid=jids.new_jid("assistant")
    )


def _unique_label(save) -> Label:
    try:
        with transaction.atomic():
            return save()
    except IntegrityError:
        raise AlreadyExists("Already exists: the company has a label with this name.") from None


@transaction.atomic
def label_create(*, company, name, description: str = "") -> Label:
    name = _name(name)
    return _unique_label(
        lambda: Label.objects.create(team=company, name=name, description=description or "", jid=jids.new_jid("label"))
    )


@transaction.atomic
def label_update(*, label: Label, **changes) -> Label:
    for field, value in changes.items():
        if field == "name":
            label.name = _name(value)
        elif field in ("color", "priority"):
            setattr(label, field, _integer(value, field))
        else:
            raise ValueError(field)

    def save():
        label.save()
        return label

    return _unique_label(save)


@transaction.atomic
def label_delete(*, label: Label) -> None:
    label.delete()
