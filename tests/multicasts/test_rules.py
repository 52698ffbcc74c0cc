"""The rules under the fan-out: sandboxed strict templates, SMS segments, opt-outs at fan-out and at the claim,
transient provider errors, and the sweeper's recovery policy for work a dead worker left behind."""

import datetime

import pytest
from django.utils import timezone

from messaging import push, sms, templating
from messaging.models import Delivery, Multicast, MulticastChunk, SmsOptOut
from messaging.services import fanout, multicast_ops
from messaging.services.deliveries import reference, send_sms
from messaging.services.multicasts import multicast_send
from messaging.services.texts import DELIVERY_UNKNOWN_ERROR, OPTED_OUT_ERROR
from messaging.sms.segments import segments

pytestmark = pytest.mark.django_db


# --- templates -------------------------------------------------------------------------------------------------------


def test_templates_reach_only_the_data_given():
    parts = {"sms_body": "{{ person.name }} {{ person.__class__ }}"}
    with pytest.raises(templating.TemplateProblem) as problem:
        templating.render(parts, {"person": {"name": "Ann"}})
    assert "unsafe" in str(problem.value)
    for source in ("{{ name.upper() }}", "{{ items.pop() }}", "{{ ''.join(['a']) }}"):
        with pytest.raises(templating.TemplateProblem):
            templating.render({"sms_body": source}, {"name": "ann", "items": [1]})
    assert (
        templating.render(
            {"sms_body": "{{ name|upper }} {{ shift.start }}"}, {"name": "ann", "shift": {"start": "9"}}
        ).sms_body
        == "ANN 9"
    )


def test_missing_and_unknown_variables():
    parts = {"sms_body": "Hi {{ first_name }}, {{ start }}", "email_subject": "{{ week }}"}
    assert templating.check_data(parts, {"start": "9", "extra": 1}) == {
        "week": ["missing: the template uses it and it was not given"],
        "extra": ["unknown: no part of the template uses it"],
    }
    sms_only = templating.parts_for(parts, ["sms"])
    assert templating.check_data(sms_only, {"start": "9"}) == {}
    with pytest.raises(templating.TemplateProblem):
        templating.render(parts, {"first_name": "A", "start": "9"})  # week: strict, never an empty string


def test_html_part_escapes_and_syntax_is_checked():
    rendered = templating.render({"email_html": "<p>{{ note }}</p>"}, {"note": "<script>x</script>"})
    assert rendered.email_html == "<p>&lt;script&gt;x&lt;/script&gt;</p>"
    assert "sms_body" in templating.syntax_problems({"sms_body": "{{ oops"})


@pytest.mark.parametrize(
    ("body", "encoding", "count"),
    [
        ("", "GSM-7", 0),
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("€" * 80, "GSM-7", 1),  # an extension character counts twice: 160 septets
        ("€" * 81, "GSM-7", 2),
        ("é" * 160, "GSM-7", 1),  # in the GSM-7 basic set
        ("ё" * 70, "UCS-2", 1),
        ("ё" * 71, "UCS-2", 2),
        ("😀" * 35, "UCS-2", 1),  # outside the BMP: two code units each
        ("x" * 135, "GSM-7", 1),
    ],
)
def test_sms_segments(body, encoding, count):
    found = segments(body)
    assert (found.encoding, found.count) == (encoding, count)


# --- opt-outs and provider errors ----------------------------------------------------------------------------------


def _queued_sms(team, owner, crew):
    """A multicast fanned out (deliveries queued), its send not run yet."""
    multicast = multicast_send(
        team=team, template_id="shift-reminder", params={"start": "9"}, by=owner, channels=["sms"]
    )
    fanout.multicast_plan(multicast_id=multicast.pk)
    chunk = MulticastChunk.objects.get(multicast=multicast)
    fanout.chunk_fanout(chunk_id=chunk.pk, multicast_id=multicast.pk)
    return multicast, chunk


def test_opted_out_phones_get_no_delivery_and_a_late_opt_out_fails_at_the_claim(team, owner, template, crew):
    SmsOptOut.objects.create(team=team, phone=crew[0].user.phone, opted_out=True, changed_at=timezone.now())
    multicast, chunk = _queued_sms(team, owner, crew)
    assert not Delivery.objects.filter(individual=crew[0]).exists()
    SmsOptOut.objects.create(team=team, phone=crew[1].user.phone, opted_out=True, changed_at=timezone.now())

    send_sms(chunk_id=chunk.pk, multicast_id=multicast.pk)

    late = Delivery.objects.get(individual=crew[1])
    assert (late.status, late.error) == ("failed", OPTED_OUT_ERROR)
    assert crew[1].user.phone not in [m.to for m in sms.outbox]
    multicast.refresh_from_db()
    assert multicast.status == Multicast.Status.PARTIALLY_FAILED


class FlakyBackend(sms.BaseSmsBackend):
    def send(self, message):
        raise sms.TransientSmsError("provider busy")


def test_a_transient_error_queues_the_delivery_again(team, owner, template, crew, settings):
    multicast, chunk = _queued_sms(team, owner, crew)
    settings.SMS_BACKEND = "tests.multicasts.test_rules.FlakyBackend"
    from unittest import mock

    with mock.patch("messaging.tasks.delivery_sms_task.apply_async") as again:
        send_sms(chunk_id=chunk.pk, multicast_id=multicast.pk)
    assert set(Delivery.objects.filter(multicast=multicast).values_list("status", flat=True)) == {"queued"}
    assert again.call_args.kwargs["countdown"] == 5
    multicast.refresh_from_db()
    assert multicast.outstanding == 4  # nothing final yet


class MixedBackend(sms.BaseSmsBackend):
    """Takes every text but those to one number (refused for good) and one other (busy)."""

    refused, busy = "+12025550001", "+12025550002"

    def send(self, message):
        if message.to == self.refused:
            raise sms.PermanentSmsError("unknown number")
        if message.to == self.busy:
            raise sms.TransientSmsError("provider busy")
        return sms.SendResult(provider_id=f"mixed-{message.reference}")


def test_each_delivery_gets_its_own_outcome_from_a_batch(team, owner, template, crew, settings):
    # send_many answers per message, in order; an opted-out recipient in the middle of the chunk shifts nothing
    multicast, chunk = _queued_sms(team, owner, crew)
    SmsOptOut.objects.create(team=team, phone=crew[0].user.phone, opted_out=True, changed_at=timezone.now())
    settings.SMS_BACKEND = "tests.multicasts.test_rules.MixedBackend"
    from unittest import mock

    with mock.patch("messaging.tasks.delivery_sms_task.apply_async"):
        send_sms(chunk_id=chunk.pk, multicast_id=multicast.pk)

    outcomes = {d.address: (d.status, d.error, d.provider_id) for d in Delivery.objects.filter(multicast=multicast)}
    assert outcomes.pop(crew[0].user.phone) == ("failed", OPTED_OUT_ERROR, "")
    assert outcomes.pop(MixedBackend.refused) == ("failed", "unknown number", "")
    assert outcomes.pop(MixedBackend.busy)[:2] == ("queued", "provider busy")
    sent = Delivery.objects.get(multicast=multicast, address=owner.phone)
    assert outcomes == {owner.phone: ("sent", "", f"mixed-{reference(sent.pk)}")}


# --- the sweeper ---------------------------------------------------------------------------------------------------


class UnsureBackend(sms.BaseSmsBackend):
    """Keeps no record of what it sent (BaseSmsBackend.find_sent raises DeliveryUnknown)."""

    def send(self, message):  # pragma: no cover - not called here
        raise AssertionError


def _stuck(team, owner, crew, channels):
    multicast = multicast_send(
        team=team, template_id="shift-reminder", params={"start": "9"}, by=owner, channels=channels
    )
    fanout.multicast_plan(multicast_id=multicast.pk)
    chunk = MulticastChunk.objects.get(multicast=multicast)
    fanout.chunk_fanout(chunk_id=chunk.pk, multicast_id=multicast.pk)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Delivery.objects.filter(multicast=multicast).update(status="sending", claimed_at=long_ago)
    return multicast


def test_sweeper_asks_the_sms_backend_before_sending_again(
    team, owner, template, crew, django_capture_on_commit_callbacks
):
    multicast = _stuck(team, owner, crew, ["sms"])
    handed_over = Delivery.objects.filter(multicast=multicast, individual=crew[0]).get()
    sms.outbox.append(
        sms.SmsMessage(
            to=handed_over.address, from_number="", body=handed_over.body, reference=reference(handed_over.pk)
        )
    )

    with django_capture_on_commit_callbacks(execute=True):
        found = multicast_ops.multicasts_sweep()

    assert found["recovered"] == 4
    assert [m.to for m in sms.outbox].count(crew[0].user.phone) == 1  # found: recorded as sent, not sent again
    assert set(Delivery.objects.filter(multicast=multicast).values_list("status", flat=True)) == {"sent"}
    assert len(sms.outbox) == 4
    multicast.refresh_from_db()
    assert multicast.status == "complete"


def test_sweeper_fails_sms_it_cannot_be_sure_of_and_resends_push(team, owner, template, crew, settings):
    multicast = _stuck(team, owner, crew, ["sms", "push", "email"])
    settings.SMS_BACKEND = "tests.multicasts.test_rules.UnsureBackend"
    multicast_ops.deliveries_recover(before=timezone.now())
    statuses = dict(Delivery.objects.filter(multicast=multicast, individual=crew[0]).values_list("channel", "status"))
    assert statuses == {"sms": "failed", "push": "sent", "email": "failed"}  # push queued again, sent (eager)
    assert len(push.outbox) == 1
    assert Delivery.objects.filter(multicast=multicast, channel="sms").first().error == DELIVERY_UNKNOWN_ERROR


def test_sweeper_replans_a_multicast_whose_enqueue_was_lost(
    team, owner, template, crew, django_capture_on_commit_callbacks
):
    multicast = multicast_send(team=team, template_id="shift-reminder", params={"start": "9"}, by=owner)
    Multicast.objects.filter(pk=multicast.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert multicast_ops.multicasts_sweep()["planned"] == 1
    multicast.refresh_from_db()
    assert multicast.status == "complete"
