"""courier user-consents (request by SMS; the reply decides) and org-preferences (defaults listed, upsert)."""

import json

import pytest

from messaging import sms
from messaging.models import OrgPreference, UserConsent
from tests.courier.conftest import document, errors_of
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CONSENTS = "/courier/v1/user-consents/"
PREFS = "/courier/v1/org-preferences/"


def post(api, url, resource_type, attributes):
    return api.post(url, json.dumps(document(resource_type, attributes)), content_type="application/json")


@pytest.fixture
def member(team):
    user = UserFactory(phone="+12025550177")
    MembershipFactory(team=team, user=user)
    return user


def test_consent_request_texts_the_member(bearer_client, team, member, number, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            bearer_client,
            CONSENTS,
            "user-consents",
            {
                "args": {"messages": {"accept": "Thanks", "initial": "May we text you?", "invalid-response": "YES/NO"}},
                "organization-id": str(team.uid),
                "type": "sms",
                "user-id": str(member.uid),
            },
        )
    assert response.status_code == 201, response.content
    attributes = response.json()["data"]["attributes"]
    assert (attributes["state"], attributes["target-id"], attributes["type"]) == ("pending", "+12025550177", "sms")
    assert attributes["user-id"] == str(member.uid)
    assert [(m.to, m.body) for m in sms.outbox] == [("+12025550177", "May we text you?")]


def test_consent_state_changes_with_the_reply(
    client, bearer_client, member, number, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = post(bearer_client, CONSENTS, "user-consents", {"user-id": str(member.uid)})
    consent_id = created.json()["data"]["id"]
    inbound = {"MessageSid": "SM1", "From": "+12025550177", "To": number.phone_number, "Body": "yes"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/courier/v1/text-account-numbers/{number.uid}/inbound/", inbound, format="json")
    assert bearer_client.get(f"{CONSENTS}{consent_id}/").json()["data"]["attributes"]["state"] == "accepted"


@pytest.mark.parametrize(
    ("attributes", "pointer"),
    [({"type": "email"}, "type"), ({"args": {"messages": {"initial": 5}}}, "args"), ({"user-id": "nope"}, "user-id")],
)
def test_consent_validation_errors(bearer_client, member, attributes, pointer):
    response = post(bearer_client, CONSENTS, "user-consents", {"user-id": str(member.uid), **attributes})
    assert response.status_code == 400
    assert errors_of(response)[0]["source"] == {"pointer": f"/data/attributes/{pointer}"}
    assert not UserConsent.objects.exists()


def test_consent_for_a_stranger_or_another_organization_is_404(bearer_client, outsider, other_team, member):
    stranger = post(bearer_client, CONSENTS, "user-consents", {"user-id": str(outsider.uid)})
    assert stranger.status_code == 404
    org = post(
        bearer_client, CONSENTS, "user-consents", {"user-id": str(member.uid), "organization-id": str(other_team.uid)}
    )
    assert org.status_code == 404
    assert errors_of(org)[0]["source"] == {"pointer": "/data/attributes/organization-id"}


def test_consent_list_get_filters_and_scope(
    bearer_client, outsider_bearer_client, client, team, member, owner, django_assert_max_num_queries
):
    mine = UserConsent.objects.create(team=team, user=member, target_id=member.phone)
    UserConsent.objects.create(team=team, user=owner, target_id="+12025550100")
    for limit in (1, 100):
        with django_assert_max_num_queries(5):
            listed = bearer_client.get(CONSENTS, {"page[limit]": limit})
        assert len(listed.json()["data"]) == min(limit, 2)
    assert [d["id"] for d in bearer_client.get(CONSENTS, {"filter[user-id]": str(member.uid)}).json()["data"]] == [
        str(mine.uid)
    ]
    assert bearer_client.get(CONSENTS, {"filter[user-id]": "not-a-uuid"}).json()["data"] == []
    assert bearer_client.get(CONSENTS, {"filter[organization-id]": str(team.uid)}).json()["meta"]["page[total]"] == 2
    assert outsider_bearer_client.get(f"{CONSENTS}{mine.uid}/").status_code == 404
    assert client.get(CONSENTS).status_code == 401


# --- org preferences -----------------------------------------------------------------------------------------------


def test_preferences_list_every_name_with_defaults(bearer_client, team, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = bearer_client.get(PREFS, {"organization-id": str(team.uid)})
    assert response.status_code == 200
    data = response.json()["data"]
    assert [d["attributes"]["name"] for d in data] == [
        "default-channel-title",
        "group-provider-ack",
        "initial-sms-message",
        "sms-help-message",
    ]
    assert {d["attributes"]["explicit"] for d in data} == {False}
    assert "YES" in data[2]["attributes"]["value"]
    assert "page[total]" not in response.json()["meta"]  # not paginated


def test_set_upserts_by_organization_and_name(bearer_client, team):
    for value in ("first", "second"):
        response = post(
            bearer_client,
            PREFS,
            "org-preferences",
            {"name": "initial-sms-message", "organization-id": str(team.uid), "type": "string", "value": value},
        )
        assert response.status_code == 201, response.content
    assert OrgPreference.objects.get().value == "second"
    listed = bearer_client.get(PREFS, {"organization-id": str(team.uid), "filter[name]": "initial-sms-message"})
    data = listed.json()["data"]
    assert [(d["attributes"]["value"], d["attributes"]["explicit"]) for d in data] == [("second", True)]
    assert data[0]["id"] == response.json()["data"]["id"]


def test_preference_errors(bearer_client, outsider_bearer_client, client, team):
    bad = post(bearer_client, PREFS, "org-preferences", {"name": "colour", "value": "red"})
    assert bad.status_code == 400
    assert errors_of(bad)[0]["source"] == {"pointer": "/data/attributes/name"}
    assert bearer_client.get(PREFS).status_code == 400  # organization-id is required
    assert bearer_client.get(PREFS, {"organization-id": str(team.uid), "filter[name]": "x"}).status_code == 400
    other = outsider_bearer_client.get(PREFS, {"organization-id": str(team.uid)})
    assert other.status_code == 404
    assert errors_of(other)[0]["source"] == {"parameter": "organization-id"}
    foreign = post(
        outsider_bearer_client,
        PREFS,
        "org-preferences",
        {"name": "group-provider-ack", "organization-id": str(team.uid)},
    )
    assert foreign.status_code == 404
    assert client.get(PREFS, {"organization-id": str(team.uid)}).status_code == 401
    assert not OrgPreference.objects.exists()
