"""Who an activity addresses: one member, a group of the team's members, or the person the trigger is about.

Groups: "everyone" (active members), "managers" (owners, admins, workforce managers), "role:<name>" and
"tag:<name>" (the labels managers give members: tommy TeamMember `roles` / `tags`).
"""

from accounts.models import Membership, User
from automations.activities.base import ActivityFailed, refuse

GROUP_PATTERN = r"^(everyone|managers|role:.+|tag:.+)$"
RECIPIENT_SETTINGS = {
    "to": {
        "type": "string",
        "enum": ["member", "group", "trigger"],
        "default": "member",
        "description": "member: member_id; group: group; trigger: the person the trigger is about (the shift's "
        "employee, the timesheet's owner, the SMS sender).",
    },
    "member_id": {"type": "integer", "description": "User id of a member of the team (to = member)."},
    "group": {
        "type": "string",
        "pattern": GROUP_PATTERN,
        "description": 'everyone, managers, "role:<name>" or "tag:<name>" (to = group).',
    },
}


def _active(team):
    return Membership.objects.active().filter(team=team, user__is_active=True).select_related("user")


def clean_recipients(*, team, settings: dict, complete: bool) -> None:
    to = settings.get("to", "member")
    if to == "member":
        member_id = settings.get("member_id")
        if member_id is None:
            if complete:
                refuse("member_id", "is required when to is member")
        elif not _active(team).filter(user_id=member_id).exists():
            refuse("member_id", "is not an active member of this team")
    elif to == "group" and complete and not settings.get("group"):
        refuse("group", "is required when to is group")


def _group(team, group: str) -> list[User]:
    memberships = _active(team)
    if group == "managers":
        memberships = memberships.managing()
    kind, _, label = group.partition(":")
    chosen = list(memberships)
    if kind in ("role", "tag"):
        attribute = "roles" if kind == "role" else "tags"
        wanted = label.strip().casefold()
        chosen = [m for m in chosen if wanted in {str(v).casefold() for v in getattr(m, attribute) or []}]
    return [m.user for m in chosen]


def recipients(*, team, settings: dict, trigger_data: dict) -> list[User]:
    """The users addressed (deduplicated, in a stable order); the trigger's person must still be a member."""
    to = settings.get("to", "member")
    if to == "group":
        users = _group(team, settings["group"])
    else:
        user_id = settings.get("member_id") if to == "member" else _trigger_person(trigger_data)
        membership = _active(team).filter(user_id=user_id).first() if user_id else None
        if membership is None:
            raise ActivityFailed("The member to address is not an active member of the team.")
        users = [membership.user]
    return list({u.pk: u for u in users}.values())


def _trigger_person(data: dict) -> int | None:
    return data.get("user_id") or data.get("assignee_id")
