import pytest
from django.db import transaction

from accounts.models import ServerEvent
from accounts.services.events import publish_event

pytestmark = pytest.mark.django_db


def test_event_goes_to_every_active_member_by_default(team, owner, teammate, outsider):
    event = publish_event(name="server.team.updated", team=team, actor=owner, payload={"uid": str(team.uid)})
    assert set(event.recipients.values_list("pk", flat=True)) == {owner.pk, teammate.pk}


def test_explicit_recipients_replace_the_default(team, owner, teammate):
    event = publish_event(name="server.uisettings", recipient_ids=[owner.pk, owner.pk])
    assert list(event.recipients.values_list("pk", flat=True)) == [owner.pk]


def test_rolled_back_change_publishes_nothing(team, owner):
    def failing_change():
        with transaction.atomic():
            publish_event(name="server.team.deleted", team=team)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    assert not ServerEvent.objects.exists()


def test_names_must_be_server_events(team):
    with pytest.raises(ValueError):
        publish_event(name="team.updated", team=team)
