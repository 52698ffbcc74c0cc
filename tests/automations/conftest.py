"""Fixtures of the automations tests: clients per persona and a finished demo sync."""

import pytest

from automations import services
from automations.models import Sync
from tests.helpers import user_client

SMALL = {"number_of_team_members": 4, "number_of_shifts": 14, "number_of_timesheets": 4}


@pytest.fixture
def employee_client(teammate):
    """A plain member of `team` (not a manager)."""
    return user_client(teammate)


@pytest.fixture
def outsider_client(outsider):
    return user_client(outsider)


@pytest.fixture
def apply_demo(django_capture_on_commit_callbacks):
    """Run a whole demo sync for `team` (the task runs on commit, eagerly)."""

    def run(team, user, seed_type: str = "workforce", options: dict | None = None) -> Sync:
        with django_capture_on_commit_callbacks(execute=True):
            sync = services.demo_apply(team=team, user=user, seed_type=seed_type, options=options or dict(SMALL))
        sync.refresh_from_db()
        return sync

    return run


@pytest.fixture
def catalogue(db):
    """Crewdesk's catalogue, as the data migration loads it (the tests run without migrations)."""
    from automations.catalogue import catalogue_load_current

    catalogue_load_current()


@pytest.fixture
def manager_client(tommy_client):
    """The team's API key: it acts as the owner who made it (a manager)."""
    return tommy_client
