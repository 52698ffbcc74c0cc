"""An install's history (the document's AuditLog): one row per thing that happened to it, newest first."""

from automations.models import ActionInstall, ActionRun, HistoryEntry


def history_add(
    *, install: ActionInstall, name: str, message: str = "", user=None, run: ActionRun | None = None
) -> HistoryEntry:
    return HistoryEntry.objects.create(
        team_id=install.team_id, install=install, run=run, user=user, name=name, message=message[:4000]
    )
