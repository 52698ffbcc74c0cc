"""The console for automations (one module per area): syncs and demo data, the catalogue (superusers edit it,
managers read it), and a team's installs with their schedules in words, runs (result, progress) and history."""

from automations.admin import catalogue, installs, syncs

__all__ = ["catalogue", "installs", "syncs"]
