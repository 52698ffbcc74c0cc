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


def test_names_and_bodies_reach_the_rows_and_the_sms_character_for_character(
    team, owner, template, crew, django_capture_on_commit_callbacks
):
    # the fan-out sends its rows to PostgreSQL as JSON (json_to_recordset): quotes, backslashes, braces, commas and
    # characters outside the BMP must arrive as they left
    name = 'O\'Brien "Ché" \\ {x}, 😀 Ёж'
    crew[0].user.first_name = name
    crew[0].user.save(update_fields=["first_name"])
    with django_capture_on_commit_callbacks(execute=True):
        multicast = send(team, owner, channels=["sms"])

    body = f"Hi {name}, your shift starts 9:00."
    assert Delivery.objects.get(multicast=multicast, individual=crew[0]).body == body
    assert UserNotification.objects.get(multicast=multicast, individual=crew[0]).data == {"sms": {"bodies": [body]}}
    assert body in [m.body for m in sms.outbox]


def test_deleting_a_person_or_a_multicast_removes_their_rows(
    team, owner, template, crew, django_capture_on_commit_callbacks
):
    # user and multicast are copies on deliveries and notifications without a database constraint (the fan-out's
    # cost); Django's delete still cascades over them
    with django_capture_on_commit_callbacks(execute=True):
        first = send(team, owner)
        second = send(team, owner, channels=["sms"])
    gone = crew[0].user

    gone.delete()

    assert not Delivery.objects.filter(user_id=gone.pk).exists()
    assert not UserNotification.objects.filter(user_id=gone.pk).exists()
    assert UserNotification.objects.filter(multicast=first).count() == 3
    first.delete()
    assert not Delivery.objects.filter(multicast_id=first.pk).exists()
    assert not UserNotification.objects.filter(multicast_id=first.pk).exists()
    assert Delivery.objects.filter(multicast=second).count() == 3


def test_badge_counts_leave_room_for_in_page_bumps_on_postgresql():
    # the tests build their schema without migrations, so the migration's step is run here as `migrate` runs it
    import importlib

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL storage parameter")
    migration = importlib.import_module("messaging.migrations.0006_fanout_constraints")
    step = migration.Migration.operations[-1]
    with connection.schema_editor() as editor:
        step.code(None, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'messaging_badgecount'")
        assert cursor.fetchone()[0] == ["fillfactor=50"]
    with connection.schema_editor() as editor:
        step.reverse_code(None, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'messaging_badgecount'")
        assert cursor.fetchone()[0] == ["fillfactor=100"]
