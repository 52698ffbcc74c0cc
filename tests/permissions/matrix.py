"""The write matrix's vocabulary, shared by test_write_matrix.py and the per-area rows in writes_*.py."""

import datetime
from dataclasses import dataclass, field
from typing import Any

ROLES = ("owner", "manager", "member", "outsider", "api_key")
ALLOWED, FORBIDDEN, HIDDEN = "allowed", 403, 404
# Another team's object named in the body (not the path) is refused like an id that does not exist: 404, or the
# 422 a field gets for an unknown id. Either way nothing is revealed or changed.
HIDDEN_IN_BODY = (404, 422)

# Policy → the answer each role gets. "current_*": tommy endpoints that act on the caller's current team, where the
# outsider acts in (and is allowed in) their own team; object policies name an object of our team in the path/body.
POLICIES: dict[str, dict[str, Any]] = {
    # Anyone authenticated, on their own records (me, own devices, new teams, ui settings).
    "self": dict.fromkeys(ROLES, ALLOWED),
    # An object of the team: any member of the team.
    "member": {"owner": ALLOWED, "manager": ALLOWED, "member": ALLOWED, "outsider": HIDDEN, "api_key": ALLOWED},
    # An object of the team: its managers (owner, admin, workforce manager).
    "manager": {"owner": ALLOWED, "manager": ALLOWED, "member": FORBIDDEN, "outsider": HIDDEN, "api_key": ALLOWED},
    # An object of the team: its owners and admins only (team settings, people, integrations, invitations).
    "admin": {"owner": ALLOWED, "manager": FORBIDDEN, "member": FORBIDDEN, "outsider": HIDDEN, "api_key": ALLOWED},
    # The team itself, destructively: owners only (an API key acts as the owner who made it).
    "owner": {"owner": ALLOWED, "manager": FORBIDDEN, "member": FORBIDDEN, "outsider": HIDDEN, "api_key": ALLOWED},
    # The member's own record that others in the team can see but not change (their notification preferences).
    "own_visible": {
        "owner": FORBIDDEN, "manager": FORBIDDEN, "member": ALLOWED, "outsider": HIDDEN, "api_key": FORBIDDEN,
    },
    # The member's own object (their device, request, timesheet): nobody else, not even a manager (404).
    "own": {"owner": HIDDEN, "manager": HIDDEN, "member": ALLOWED, "outsider": HIDDEN, "api_key": HIDDEN},
    # An object of the team named in the body: any member / its managers; the member's own object.
    "member_body": {
        "owner": ALLOWED, "manager": ALLOWED, "member": ALLOWED, "outsider": HIDDEN_IN_BODY, "api_key": ALLOWED,
    },
    "manager_body": {
        "owner": ALLOWED, "manager": ALLOWED, "member": FORBIDDEN, "outsider": HIDDEN_IN_BODY, "api_key": ALLOWED,
    },
    "own_body": dict.fromkeys(ROLES, HIDDEN_IN_BODY) | {"member": ALLOWED},
    # Tommy's current team, for any member.
    "current_member": dict.fromkeys(ROLES, ALLOWED),
    # Tommy's current team, for its managers.
    "current_manager": {
        "owner": ALLOWED, "manager": ALLOWED, "member": FORBIDDEN, "outsider": ALLOWED, "api_key": ALLOWED,
    },
    # Tommy's current team, for its owners and admins.
    "current_admin": {
        "owner": ALLOWED, "manager": FORBIDDEN, "member": FORBIDDEN, "outsider": ALLOWED, "api_key": ALLOWED,
    },
}  # fmt: skip


@dataclass(frozen=True)
class Write:
    family: str
    method: str
    path: str  # after the family prefix; `{name}` is filled from the world
    policy: str  # a key of POLICIES, or "public" (no credential needed: login steps, provider callbacks)
    body: Any = field(default_factory=dict)  # a dict, or a function of the world
    format: str = "json"

    @property
    def id(self) -> str:
        return f"{self.family} {self.method} {self.path}"


PREFIX = {"tommy": "/api/v1/", "courier": "/courier/v1/", "inbox": "/inbox/v3/", "tada": "/api/v3/"}
TOMORROW = datetime.date.today() + datetime.timedelta(days=1)
