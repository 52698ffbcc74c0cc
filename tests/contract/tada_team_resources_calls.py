"""State the tada integrations and invitations samples need, applied by test_tada_contract.py after the teams
preparation made the caller the owner of `{team_uid}` (kept apart so that each helper edits only its own block)."""

import re

from accounts.models import Integration, Team
from accounts.services.invitations import invitation_create_link


def prepare_team_resources(entry, caller, path: str, body: dict) -> tuple[str, dict]:
    if not re.search(r"/(integrations|invitations)(/|$)", entry["path"]):
        return path, body
    team = Team.objects.get(uid=re.search(r"/teams/([0-9a-f-]{36})/", path).group(1))
    if "/integrations" in entry["path"] and entry["method"] != "POST":  # the list sample shows one
        integration = Integration.objects.create(team=team, created_by=caller.user, kind=Integration.Kind.RAW)
        path = path.replace("{integration_uid}", str(integration.uid))
    if "/invitations" in entry["path"] and entry["method"] != "POST":
        path = path.replace("{invitaion_uid}", str(invitation_create_link(team=team, inviter=caller.user).uid))
    return path, body
