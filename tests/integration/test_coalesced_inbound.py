"""Coalesced wake-ups across real processes (core/wakeups.py on Redis, as in production): two gunicorn workers take
bursts of inbound SMS webhooks while a Celery worker drains them. The wake flag is set by one web process, read from
the tracked copies of both (core.cache.TrackedKeys) and cleared by the worker's drains: every message is processed,
each once, within seconds. No beat runs here, so a flag left standing in any process's copy would strand messages
(the sweeper that would free them runs a minute on) and fail the wait."""

import os
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from messaging.models import InboundText
from tests.factories import TextAccountFactory, TextNumberFactory
from tests.integration.conftest import _worker

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="integration: REDIS_URL is unset"),
]

BURSTS, PER_BURST = 3, 15


@pytest.fixture
def production_worker(transactional_db, tmp_path):
    """The integration worker with production's settings: the Redis cache the web server uses (the test settings
    would give it a local-memory cache of its own, where a drain could not clear the web processes' flag)."""
    yield from _worker(tmp_path, extra_env={"DJANGO_SETTINGS_MODULE": "config.settings"})


def _post(url: str, fields: dict) -> int:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()
        return response.status


@pytest.mark.parametrize("web_server", [2], indirect=True)
def test_bursts_on_two_web_workers_are_each_processed_once_by_the_drains(web_server, production_worker, team):
    number = TextNumberFactory(account=TextAccountFactory(team=team), phone_number="+12025550123")
    url = f"{web_server.base_url}/courier/v1/text-account-numbers/{number.uid}/inbound/"
    sids = [f"SM{n:032d}" for n in range(BURSTS * PER_BURST)]

    def send(sid: str) -> int:
        return _post(url, {"MessageSid": sid, "From": "+12025550177", "To": number.phone_number, "Body": sid[-4:]})

    with ThreadPoolExecutor(4) as pool:
        for burst in range(BURSTS):
            assert set(pool.map(send, sids[burst * PER_BURST : (burst + 1) * PER_BURST])) == {200}
            time.sleep(0.5)  # drains run between bursts and clear the flag; the next burst must wake another
    assert send(sids[0]) == 200  # a provider's retry

    production_worker.wait_for(
        lambda: InboundText.objects.filter(status=InboundText.Status.PROCESSED).count() == len(sids),
        timeout=30,
        what="every message processed by a drain",
    )
    assert sorted(InboundText.objects.values_list("sid", flat=True)) == sids  # each stored once
    log = production_worker.log()
    drains = log.count("messaging.inbound_drain_task[") // 2  # celery logs "received" and "succeeded"
    assert 1 <= drains <= len(sids) // 3, log[-3000:]  # coalesced: far fewer drains than messages
    assert "messaging.inbound_process_task[" not in log  # and no task per message
