"""The activity interface: what a run does, given the install's settings and the run's trigger_data.

An activity declares its settings (JSON Schema properties, merged into its actions' `variables.settings`), the addon
permission and operation it needs, a `clean` that checks settings against the team (a member, a chat, a URL), and
`run`. `atomic` activities change only this database: their effects commit together with the run's success, so a
worker that dies mid-run leaves nothing behind and the run is simply tried again. Others (e-mail, long jobs that
report progress) commit as they go and are written to be safe to repeat.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from core.exceptions import ApplicationError, ValidationFailed


class ActivityFailed(Exception):
    """The run cannot succeed as configured (a missing member, a revoked permission): failed, never retried."""


class TransientFailure(Exception):
    """Something outside Crewdesk failed for now (a mail server): the run is tried again with backoff."""


@dataclass
class RunContext:
    run: Any  # ActionRun
    install: Any  # ActionInstall
    team: Any  # Team
    settings: dict
    trigger_data: dict
    addon_settings: dict = field(default_factory=dict)
    progress: Any = None  # progress(percent: float, note: str) — committed at once, for long runs

    @property
    def actor(self):
        """Who the activity acts as: the manager who installed the action."""
        return self.install.installed_by

    def report(self, percent: float, note: str = "") -> None:
        if self.progress is not None:
            self.progress(percent, note)


class Activity:
    key: str = ""
    name: str = ""
    description: str = ""
    settings: dict = {}  # JSON Schema properties
    required_settings: tuple[str, ...] = ()
    permission: tuple[str, str] | None = None  # (addon permission name, operation)
    atomic: bool = True

    def clean(self, *, team, settings: dict, complete: bool) -> None:
        """Check settings against the team; raise ValidationFailed naming `settings.<field>`."""

    def permissions_needed(self, settings: dict) -> list[tuple[str, str]]:
        return [self.permission] if self.permission else []

    def run(self, ctx: RunContext) -> dict:
        raise NotImplementedError


PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def render(template: str, values: dict, *, field: str = "settings.message") -> str:
    """Fill `{name}` placeholders from flat `values` (no attribute or index access: `{a.b}` stays as written).
    A placeholder with no value fails the run, naming it."""
    missing = sorted({name for name in PLACEHOLDER.findall(template) if values.get(name) is None})
    if missing:
        raise ActivityFailed(f"{field}: no value for {', '.join('{' + m + '}' for m in missing)}")
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


def template_values(ctx: RunContext) -> dict:
    """What a message template may use: the trigger's data and a few facts about the team and the run."""
    return {**{k: v for k, v in ctx.trigger_data.items() if not isinstance(v, (dict, list))}, "team": ctx.team.name}


def refuse(field: str, message: str) -> None:
    raise ValidationFailed.for_field(f"settings.{field}", message)


def as_failure(exc: ApplicationError) -> ActivityFailed:
    return ActivityFailed(exc.message)
