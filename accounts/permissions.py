"""Who may do what to whom in a team: ONE table, read by every family (tada `can_*` / `changeable_*` fields,
tommy team members, the admin) and enforced by accounts.services.memberships.

Access levels, lowest first: guest < member < admin < owner. Owners manage everyone; admins manage guests,
members and other admins but never owners; members and guests manage nobody. Nobody raises their own level, and
the last owner of a team can be neither demoted nor removed.
"""

import enum
from dataclasses import dataclass

from accounts.models import Membership

Status = Membership.Status
LEVEL = {Status.GUEST: 0, Status.MEMBER: 1, Status.ADMIN: 2, Status.OWNER: 3}
ORDERED_STATUSES = [Status.GUEST, Status.MEMBER, Status.ADMIN, Status.OWNER]

# Statuses a viewer may hand out (tada `changeable_statuses`).
ASSIGNABLE = {
    Status.OWNER: ORDERED_STATUSES,
    Status.ADMIN: [Status.GUEST, Status.MEMBER, Status.ADMIN],
    Status.MEMBER: [],
    Status.GUEST: [],
}

# Fields of one's own team contact everyone may edit (the tada document's "plain member viewing self").
OWN_FIELDS = (
    "alt_send", "contact_email", "contact_mshort_view", "contact_phone", "contact_short_view",
    "contact_show_archived", "debug_show_activity", "default_lang", "family_name", "given_name",
    "group_mshort_view", "group_notifications_enabled", "group_short_view", "icons", "phone", "role",
    "task_mshort_view", "task_notifications_enabled", "task_short_view", "unread_first",
)  # fmt: skip
# What managing a contact adds (owner viewing another member, and a manager viewing self).
MANAGER_FIELDS = ("add_to_team_rights", "section", "sections", "status")
MANAGED_CONTACT_FIELDS = (
    "add_to_team_rights",
    "contact_email",
    "contact_phone",
    "role",
    "section",
    "sections",
    "status",
)


def is_manager(viewer: Membership) -> bool:
    return viewer.status in (Status.OWNER, Status.ADMIN)


def can_manage(viewer: Membership, target: Membership) -> bool:
    """May `viewer` change `target`'s access level, title or sections, or remove them?"""
    if viewer.pk == target.pk:
        return False
    if viewer.status == Status.OWNER:
        return True
    return viewer.status == Status.ADMIN and target.status != Status.OWNER


@dataclass(frozen=True)
class TeamPermissions:
    changeable_statuses: list[str]
    can_add_to_team: bool
    can_manage_integrations: bool
    can_manage_sections: bool


def team_permissions(viewer: Membership) -> TeamPermissions:
    manager = is_manager(viewer)
    return TeamPermissions(
        changeable_statuses=[str(s) for s in ASSIGNABLE[viewer.status]],
        can_add_to_team=manager,
        can_manage_integrations=manager,
        can_manage_sections=manager,
    )


@dataclass(frozen=True)
class ContactPermissions:
    changeable_fields: list[str]
    can_add_to_group: bool
    can_call: bool
    can_create_task: bool
    can_delete: bool
    can_send_message: bool


def contact_permissions(viewer: Membership, target: Membership) -> ContactPermissions:
    """What `viewer` may do to `target`'s team contact (target may be the viewer: `team.me`)."""
    not_guest = viewer.status != Status.GUEST
    if viewer.pk == target.pk:
        fields = set(OWN_FIELDS) | (set(MANAGER_FIELDS) if is_manager(viewer) else set())
        return ContactPermissions(sorted(fields), not_guest, False, not_guest, False, False)
    manages = can_manage(viewer, target)
    fields = sorted(MANAGED_CONTACT_FIELDS) if manages else []
    return ContactPermissions(fields, not_guest, True, not_guest, manages, True)


# --- team configuration and credentials ---------------------------------------------------------------------------


class Action(enum.StrEnum):
    """Team-wide actions beyond one's own records. Each family's context asks `may()` before acting."""

    # Courier text accounts, and later numbers, channels, plugins and responders: who sends as the team, and how.
    CONFIGURE_MESSAGING = "configure_messaging"
    # Inbox `GET /keys`: the team's API keys (never their secrets).
    READ_API_KEYS = "read_api_keys"
    # Inbox configuration: channels (name, profile, QR codes, templates, automated messages), webhooks (and their
    # signing keys), teams, assistants and labels. Answering customers is every member's (agents).
    CONFIGURE_INBOX = "configure_inbox"
    # Courier multicasts, notifications and emails to the team's people, and reading what others received
    # (their notifications, devices, emails, summaries): the team's voice to its people.
    NOTIFY_PEOPLE = "notify_people"


# Who may do each action: the team's managers (owner, admin, or a member flagged workforce manager), nobody else.
# An API key acts as the manager who made it (ApiKey.acts), so it may do what its maker may.
MANAGER_ACTIONS = frozenset(Action)


def may(membership: Membership | None, action: Action) -> bool:
    """May the holder of `membership` (None: not in the team) do `action` in its team?"""
    if membership is None:
        return False
    return action not in MANAGER_ACTIONS or membership.can_manage
