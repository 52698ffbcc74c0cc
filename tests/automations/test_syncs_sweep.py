"""The sync sweeper: a sync whose worker died is failed; a pending sync whose task was lost runs after all."""

import datetime

import pytest
from django.utils import timezone

from automations.models import Sync
from automations.services import LOST_AFTER, STALE_AFTER, syncs_sweep

pytestmark = pytest.mark.django_db


def make_sync(team, *, status, age):
    sync = Sync.objects.create(team=team, status=status, item_type="demo_data:retail")
    Sync.objects.filter(pk=sync.pk).update(created_at=timezone.now() - age, updated_at=timezone.now() - age)
    return sync


def test_a_sync_stuck_in_processing_is_failed_with_a_message(team):
    stuck = make_sync(team, status=Sync.Status.PROCESSING, age=STALE_AFTER + datetime.timedelta(minutes=1))
    moving = make_sync(team, status=Sync.Status.PROCESSING, age=datetime.timedelta(minutes=1))

    assert syncs_sweep()["failed"] == 1

    stuck.refresh_from_db()
    moving.refresh_from_db()
    assert stuck.status == Sync.Status.FAILED
    assert "apply it again" in stuck.message
    assert stuck.ended_at is not None
    assert moving.status == Sync.Status.PROCESSING


def test_a_pending_sync_whose_task_was_lost_runs_once(team, owner):
    lost = make_sync(team, status=Sync.Status.PENDING, age=LOST_AFTER + datetime.timedelta(minutes=1))
    lost.user = owner
    lost.save(update_fields=["user"])

    assert syncs_sweep()["requeued"] == 1  # tasks run eagerly in tests: the demo is built now

    lost.refresh_from_db()
    assert lost.status == Sync.Status.COMPLETE
    assert syncs_sweep() == {"failed": 0, "requeued": 0}
