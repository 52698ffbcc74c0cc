"""Console pages of syncs and demo records: read-only, and a team's staff see only their own team's rows."""

import pytest
from django.urls import reverse

from automations.models import DemoRecord, Sync
from tests.automations.admin_support import staff_browser, superuser_browser

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(team, owner, other_team, outsider, apply_demo):
    return {"acme": apply_demo(team, owner), "rival": apply_demo(other_team, outsider)}


@pytest.mark.parametrize("model", [Sync, DemoRecord])
def test_changelist_shows_only_the_staff_members_team(rows, other_team, model, django_assert_max_num_queries):
    browser = staff_browser(other_team)
    name = model._meta.model_name
    response = browser.get(reverse(f"admin:automations_{name}_changelist"))
    assert response.status_code == 200
    shown = {obj.team_id for obj in response.context["cl"].result_list}
    assert shown == {other_team.pk}
    with django_assert_max_num_queries(20):  # list_select_related: no query per row
        browser.get(reverse(f"admin:automations_{name}_changelist"))


@pytest.mark.parametrize("model", [Sync, DemoRecord])
def test_another_teams_row_cannot_be_opened(rows, team, other_team, model):
    browser = staff_browser(other_team)
    name = model._meta.model_name
    own = model.objects.filter(team=other_team).first()
    foreign = model.objects.filter(team=team).first()
    assert browser.get(reverse(f"admin:automations_{name}_change", args=[own.pk])).status_code == 200
    response = browser.get(reverse(f"admin:automations_{name}_change", args=[foreign.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


@pytest.mark.parametrize("model", [Sync, DemoRecord])
def test_pages_are_read_only(rows, model):
    browser = superuser_browser()
    name = model._meta.model_name
    assert browser.get(reverse(f"admin:automations_{name}_changelist")).status_code == 200
    assert browser.get(reverse(f"admin:automations_{name}_add")).status_code == 403
    obj = model.objects.first()
    response = browser.post(reverse(f"admin:automations_{name}_change", args=[obj.pk]), {})
    assert response.status_code == 403
