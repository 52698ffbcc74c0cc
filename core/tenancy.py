"""Tenant scoping shared by every team-owned model (DESIGN.md §2): another team's row is simply not there."""

from collections.abc import Iterable

from django.db import models


class TeamScopedQuerySet(models.QuerySet):
    """Rows that belong to a team, directly (`team`) or through a parent (set `team_lookup`, e.g. "shift__team")."""

    team_lookup = "team"

    def for_teams(self, team_ids: Iterable[int]):
        return self.filter(**{f"{self.team_lookup}__in": list(team_ids)})

    def for_team(self, team):
        return self.filter(**{self.team_lookup: team})
