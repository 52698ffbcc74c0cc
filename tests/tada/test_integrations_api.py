"""Tada /teams/{team_uid}/integrations: CRUD, the kinds catalogue, the raw kind's key, permissions and scoping."""

import pytest

from accounts.models import Integration, Membership
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import assert_tada_error as assert_error
from tests.helpers import user_client as client_for

pytestmark = pytest.mark.django_db

GROUP = "g-edb35028-b3ff-48ef-afc4-6fcd4c86b5ad"
OTHER_GROUP = "g-1b4c1070-2dfb-470e-84a4-f0017d49f1fc"
RAW = {"comment": "New API integration", "enabled": True, "group": GROUP, "kind": "raw"}


def url(team, suffix: str = "") -> str:
    return f"/api/v3/teams/{team.uid}/integrations{suffix}"


@pytest.fixture
def raw(team, owner):
    return Integration.objects.create(team=team, created_by=owner, kind="raw", comment="Hook", group=GROUP)


def test_list_shows_integrations_and_the_kinds_catalogue(tada_client, team, raw):
    response = tada_client.get(url(team))
    assert response.status_code == 200
    result = response.json()["result"]
    assert [i["uid"] for i in result["integrations"]] == [str(raw.uid)]
    kinds = {k["kind"]: k for k in result["kinds"]}
    assert list(kinds) == ["sentry", "bitbucket", "raw"]
    assert {k: v["title"] for k, v in kinds.items()} == {
        "sentry": "Sentry",
        "bitbucket": "Bitbucket",
        "raw": "API/Webhook",
    }
    assert kinds["sentry"]["template"] == {"comment": "New integration", "enabled": True, "form": {}, "kind": "sentry"}
    assert kinds["raw"]["template"]["form"] == {"webhook_url": {"label": "Webhook URL", "readonly": False, "value": ""}}


def test_create_raw_generates_a_key_shown_readonly_with_help(tada_client, team, owner):
    response = tada_client.post(url(team), RAW, format="json")
    assert response.status_code == 200, response.content
    result = response.json()["result"]
    integration = Integration.objects.get(uid=result["uid"])
    assert integration.team == team
    assert integration.created_by == owner
    assert integration.kind == "raw"
    assert len(integration.api_key) == 27
    assert result["form"] == {
        "api_key": {"label": "API key", "readonly": True, "value": integration.api_key},
        "webhook_url": {"label": "Webhook URL", "readonly": False, "value": ""},
    }
    assert result["comment"] == "New API integration"
    assert result["enabled"] is True
    assert result["group"] == GROUP
    assert result["created"].endswith("Z")
    assert "<code>http://testserver/api/message</code>" in result["help"]
    assert f'<strong class="nowrap">{integration.api_key}</strong>' in result["help"]
    assert f"-F key='{integration.api_key}'" in result["help"]


def test_create_other_kinds_have_no_form_and_default_comment(tada_client, team):
    response = tada_client.post(url(team), {"kind": "sentry"}, format="json")
    result = response.json()["result"]
    assert result["form"] == {}
    assert result["help"] == ""
    assert result["comment"] == "New integration"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"comment": "no kind"}, "kind"),
        ({"kind": "jira"}, "kind"),
        ({**RAW, "group": "not-a-jid"}, "group"),
        ({**RAW, "webhook_url": "ftp://example.com/x"}, "webhook_url"),
        ({"kind": "sentry", "webhook_url": "https://example.com/hook"}, "webhook_url"),
    ],
)
def test_create_validation_errors_in_envelope(tada_client, team, body, field):
    body_json = assert_error(tada_client.post(url(team), body, format="json"), 400)
    assert field in body_json["details"]
    assert not Integration.objects.exists()


def test_get_one(tada_client, team, raw):
    response = tada_client.get(url(team, f"/{raw.uid}/"))
    assert response.status_code == 200
    assert response.json()["result"]["form"]["api_key"]["value"] == raw.api_key


def test_put_takes_form_values_flat_and_returns_them_nested(tada_client, team, raw):
    key = raw.api_key
    body = {"comment": "Test 123", "group": OTHER_GROUP, "webhook_url": "https://web.example.com/api/webhook-test"}
    response = tada_client.put(url(team, f"/{raw.uid}"), body, format="json")
    assert response.status_code == 200, response.content
    result = response.json()["result"]
    assert result["form"]["webhook_url"]["value"] == "https://web.example.com/api/webhook-test"
    assert result["form"]["api_key"]["value"] == key
    assert result["group"] == OTHER_GROUP
    raw.refresh_from_db()
    assert (raw.comment, raw.group, raw.webhook_url, raw.api_key, raw.kind) == (
        "Test 123",
        OTHER_GROUP,
        "https://web.example.com/api/webhook-test",
        key,
        "raw",
    )


def test_put_reads_a_nested_form_and_leaves_unsent_fields(tada_client, team, raw):
    body = {"form": {"webhook_url": {"label": "Webhook URL", "readonly": False, "value": "https://h.example.com/"}}}
    response = tada_client.put(url(team, f"/{raw.uid}"), body, format="json")
    assert response.status_code == 200, response.content
    raw.refresh_from_db()
    assert raw.webhook_url == "https://h.example.com/"
    assert raw.comment == "Hook"
    assert raw.group == GROUP


def test_put_validation_error(tada_client, team, raw):
    body = assert_error(tada_client.put(url(team, f"/{raw.uid}"), {"webhook_url": "nope"}, format="json"), 400)
    assert "webhook_url" in body["details"]
    raw.refresh_from_db()
    assert raw.webhook_url == ""


def test_delete_removes_it(tada_client, team, raw):
    response = tada_client.delete(url(team, f"/{raw.uid}"))
    assert response.status_code == 200
    assert response.json()["result"] is None
    assert not Integration.objects.filter(pk=raw.pk).exists()
    assert_error(tada_client.get(url(team, f"/{raw.uid}")), 404)


def test_unauthenticated_is_401(client, team, raw):
    assert_error(client.get(url(team)), 401)
    assert_error(client.post(url(team), RAW, format="json"), 401)
    assert_error(client.delete(url(team, f"/{raw.uid}")), 401)


def test_plain_members_are_refused(team, teammate, raw):
    member = client_for(teammate)
    assert_error(member.get(url(team)), 403)
    assert_error(member.post(url(team), RAW, format="json"), 403)
    assert_error(member.put(url(team, f"/{raw.uid}"), {"comment": "x"}, format="json"), 403)
    assert_error(member.delete(url(team, f"/{raw.uid}")), 403)
    assert Integration.objects.filter(pk=raw.pk, comment="Hook").exists()


def test_admins_may_manage(team, raw):
    admin = UserFactory()
    MembershipFactory(team=team, user=admin, status=Membership.Status.ADMIN)
    assert client_for(admin).post(url(team), RAW, format="json").status_code == 200


def test_another_teams_uid_and_objects_are_404(tada_client, team, other_team, outsider):
    theirs = Integration.objects.create(team=other_team, kind="raw")
    assert_error(tada_client.get(url(other_team)), 404)
    assert_error(tada_client.get(url(team, f"/{theirs.uid}")), 404)
    assert_error(tada_client.put(url(team, f"/{theirs.uid}"), {"comment": "x"}, format="json"), 404)
    assert_error(tada_client.delete(url(team, f"/{theirs.uid}")), 404)
    assert Integration.objects.filter(pk=theirs.pk).exists()


def test_a_team_api_key_acts_for_its_team(bearer_client, team):
    assert bearer_client.post(url(team), RAW, format="json").status_code == 200


@pytest.mark.parametrize("count", [1, 8])
def test_list_query_count_is_constant(tada_client, team, owner, count, django_assert_max_num_queries):
    Integration.objects.bulk_create(
        [Integration(team=team, kind="raw", api_key=f"key-{count}-{n}") for n in range(count)]
    )
    # token lookup + presence writes (2) + team + membership + integrations
    with django_assert_max_num_queries(7):
        response = tada_client.get(url(team))
    assert len(response.json()["result"]["integrations"]) == count
