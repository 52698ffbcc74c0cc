"""Models of the automations app: syncs (demo data), the addon/action catalogue, team installs, runs and history."""

from automations.models.catalogue import (
    Action,
    ActionVersion,
    Activity,
    Addon,
    AddonReport,
    Developer,
    Solution,
    Trigger,
)
from automations.models.installs import ActionInstall, AddonInstall, AddonPermission, AddonSetting
from automations.models.runs import ActionRun, HistoryEntry
from automations.models.syncs import DemoRecord, Sync

__all__ = [
    "Action",
    "ActionInstall",
    "ActionRun",
    "ActionVersion",
    "Activity",
    "Addon",
    "AddonInstall",
    "AddonPermission",
    "AddonReport",
    "AddonSetting",
    "DemoRecord",
    "Developer",
    "HistoryEntry",
    "Solution",
    "Sync",
    "Trigger",
]
