"""The fan-out end to end (eager Celery): one notification per recipient, one delivery per recipient × channel, every
SMS/push/email in its backend exactly once, counters and status; duplicates and redelivery change nothing."""

import pytest
from django.core import mail

from messaging import push, sms
from messaging.models import BadgeCount, Delivery, Multicast, MulticastChunk, UserNotification
from messaging.services import fanout
from messaging.services.deliveries import send_sms
from messaging.services.multicasts import multicast_send

pytestmark = pytest.mark.django_db


def send(team, owner, **kwargs):
    return multicast_send(team=team, template_id="shift-reminder", params={"start": "9:00"}, by=owner, **kwargs)


def test_multicast_reaches_everyone_once_on_each_channel(
    team, owner, template, crew, settings, django_capture_on_commit_callbacks
):
    settings.MULTICAST_CHUNK_SIZE = 2
    with django_capture_on_commit_callbacks(execute=True):
        multicast = send(team, owner)

    multicast.refresh_from_db()
    assert multicast.status == Multicast.Status.COMPLETE
    assert multicast.recipients_total == 4  # the owner and three crew
    assert multicast.chunks_total == 2
    assert (multicast.outstanding, multicast.chunks_pending) == (0, 0)
    assert UserNotification.objects.filter(multicast=multicast).count() == 4
    bodies = sorted(m.body for m in sms.outbox)
    assert len(bodies) == 4
    assert "Hi Crew0, your shift starts 9:00." in bodies
    assert [m.title for m in push.outbox] == ["Shift at 9:00"]
    assert len(mail.outbox) == 3  # the crew's emails are verified, the owner's is not
    assert set(Delivery.objects.filter(multicast=multicast).values_list("status", flat=True)) == {"sent"}
    assert BadgeCount.objects.get(individual=crew[0], type="notifications").count == 1


def test_redelivered_tasks_send_nothing_twice(team, owner, template, crew, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        multicast = send(team, owner, channels=["sms"])
    chunk = MulticastChunk.objects.get(multicast=multicast)

    # given every task delivered a second time
    assert fanout.multicast_plan(multicast_id=multicast.pk) == 0
    assert fanout.chunk_fanout(chunk_id=chunk.pk, multicast_id=multicast.pk) is None
    assert send_sms(chunk_id=chunk.pk, multicast_id=multicast.pk) == 0

    assert len(sms.outbox) == 4
    assert Delivery.objects.filter(multicast=multicast).count() == 4
    assert BadgeCount.objects.get(individual=crew[1], type="notifications").count == 1
