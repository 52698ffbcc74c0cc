"""A 2,000-recipient SMS multicast through a real Celery worker on Redis, with the worker's pool process killed by
SIGKILL mid-way, every task then published a second time, and the sweeper run: every recipient's SMS is in the file
backend exactly once (DESIGN.md §4, issue 13)."""

import json
import os
import signal
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, User
from messaging.models import Delivery, Multicast, MulticastChunk
from messaging.services.multicasts import multicast_send
from messaging.tasks import delivery_sms_task, multicast_chunk_task, multicast_plan_task, multicasts_sweep_task
from tests.factories import MessageTemplateFactory, TeamFactory

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="integration: REDIS_URL is unset (a real worker needs Redis)"
    ),
    pytest.mark.django_db(transaction=True),
]

RECIPIENTS = 2000
STUCK_AFTER = 3


@pytest.fixture
def quick_sweeper(monkeypatch):
    """The worker (started after this fixture) treats a claim older than 3 s as its dead worker's."""
    monkeypatch.setenv("MULTICAST_STUCK_AFTER_SECONDS", str(STUCK_AFTER))
    monkeypatch.setenv("MULTICAST_CHUNK_SIZE", "100")  # 20 chunks: the kill lands among many tasks


def _team_of(size: int):
    team = TeamFactory(name="Big Crew")
    now = timezone.now()
    users = User.objects.bulk_create(
        User(email=f"big{n}@example.com", phone=f"+1303{n:07d}", slug=f"big-{n}", first_name=f"P{n}",
             status=User.Status.ACTIVE, phone_verified_at=now, password="!")
        for n in range(size)
    )  # fmt: skip
    Membership.objects.bulk_create(Membership(team=team, user=user) for user in users)
    MessageTemplateFactory(team=team, template_id="shift-reminder", push_title="", push_body="", email_subject="",
                           email_text="", email_html="")  # fmt: skip
    return team


def _pool_children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            children.append(int(entry.name))
    return children


def _references(worker) -> Counter:
    return Counter(json.loads(line)["reference"] for line in worker.sent_sms())


def test_every_sms_exactly_once_through_sigkill_redelivery_and_sweep(quick_sweeper, celery_worker):
    team = _team_of(RECIPIENTS)
    with transaction.atomic():
        multicast = multicast_send(team=team, template_id="shift-reminder", params={"start": "9:00"}, channels=["sms"])

    # Kill the pool processes while the texts are going out (some written, not all).
    deadline = time.monotonic() + 60
    while not celery_worker.sms_path.exists() or not celery_worker.sms_path.stat().st_size:
        assert time.monotonic() < deadline, celery_worker.log()[-3000:]
        time.sleep(0.005)
    victims = _pool_children(celery_worker.process.pid)
    assert victims, "no pool process to kill"
    for pid in victims:
        os.kill(pid, signal.SIGKILL)
    killed_after = len(celery_worker.sent_sms())

    # Every task published again, as a redelivery would.
    multicast_plan_task.apply_async(args=[multicast.pk])
    for chunk_id in MulticastChunk.objects.filter(multicast=multicast).values_list("pk", flat=True):
        multicast_chunk_task.apply_async(args=[chunk_id, multicast.pk])
        delivery_sms_task.apply_async(args=[chunk_id, multicast.pk])

    def settled():
        stuck = Delivery.objects.filter(multicast=multicast, status__in=["queued", "sending"])
        if not stuck.exists() and not MulticastChunk.objects.filter(multicast=multicast, status="pending").exists():
            return True
        # The sweeper (beat in production) recovers what the dead process held once its claim is old enough.
        multicasts_sweep_task.apply_async()
        time.sleep(STUCK_AFTER / 2)
        return False

    celery_worker.wait_for(settled, timeout=120, what="every delivery to be final")
    celery_worker.wait_for(
        lambda: Multicast.objects.get(pk=multicast.pk).status == "complete", timeout=30, what="the multicast to finish"
    )

    references = _references(celery_worker)
    assert len(references) == RECIPIENTS, (len(references), killed_after)
    assert set(references.values()) == {1}, [r for r, n in references.items() if n > 1][:5]
    phones = Counter(json.loads(line)["to"] for line in celery_worker.sent_sms())
    assert len(phones) == RECIPIENTS
    assert set(phones.values()) == {1}
    assert Delivery.objects.filter(multicast=multicast, status="sent").count() == RECIPIENTS
    multicast.refresh_from_db()
    assert (multicast.outstanding, multicast.chunks_pending, multicast.recipients_total) == (0, 0, RECIPIENTS)
    assert killed_after < RECIPIENTS  # the kill really landed mid-way


def test_login_codes_are_not_behind_a_large_multicast(client, celery_worker):
    """The multicast's fan-out and sends are on their own queues: a login code requested while 2,000 texts are
    being queued reaches the phone before the multicast is done."""
    team = _team_of(RECIPIENTS)
    with transaction.atomic():
        multicast = multicast_send(team=team, template_id="shift-reminder", params={"start": "9:00"}, channels=["sms"])
    response = client.post("/api/v3/sms-login", {"phone": "+7 (916) 666-0003"}, format="json")
    assert response.status_code == 200
    celery_worker.wait_for(
        lambda: any(json.loads(line)["to"] == "+79166660003" for line in celery_worker.sent_sms()),
        timeout=60,
        what="the login code",
    )
    lines = [json.loads(line) for line in celery_worker.sent_sms()]
    position = next(i for i, line in enumerate(lines) if line["to"] == "+79166660003")
    assert position < RECIPIENTS, "the login code waited for the whole multicast"
    celery_worker.wait_for(
        lambda: Multicast.objects.get(pk=multicast.pk).status == "complete", timeout=120, what="the multicast"
    )
