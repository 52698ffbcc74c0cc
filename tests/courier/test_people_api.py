"""courier users (list, get, PATCH notifications, multicast, validate-multicast-params), individuals (get, multicast,
recalculate-communication-summary) and individual-groups (get)."""

import datetime
import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Membership
from accounts.services.credentials import auth_token_issue
from accounts.services.team_admin import setting_put
from messaging import sms
from messaging.models import CommunicationSummary, Multicast, SmsOptOut
from tests.courier.conftest import document, errors_of
from tests.factories import IndividualGroupFactory

pytestmark = pytest.mark.django_db

USERS = "/courier/v1/users/"
INDIVIDUALS = "/courier/v1/individuals/"
GROUPS = "/courier/v1/individual-groups/"


def token_client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {auth_token_issue(user=user)[1]}")
    return api


def post_flat(api, url, body):
    return api.post(url, json.dumps(body), content_type="application/json")


def test_users_list_shows_the_organizations_people(
    bearer_client, team, owner, crew, other_team, outsider, django_assert_max_num_queries
):
    SmsOptOut.objects.create(team=team, phone=crew[1].user.phone, opted_out=True, changed_at=timezone.now())
    for limit in (1, 100):
        with django_assert_max_num_queries(12):
            response = bearer_client.get(USERS, {"page[limit]": limit})
        assert response.status_code == 200
        assert len(response.json()["data"]) == min(limit, 4)
    rows = {row["id"]: row["attributes"] for row in response.json()["data"]}
    assert str(outsider.uid) not in rows
    crew1 = rows[str(crew[1].user.uid)]
    assert crew1["phone"] == crew[1].user.phone
    assert crew1["phone-unsubscribed"] is True
    assert crew1["sms-mode"] == "disabled"
    assert crew1["notifications"] == ["push", "sms", "email"]
    assert crew1["primary-individual-id"] == str(crew[1].uid)
    assert crew1["email-verified"] is True


def test_users_filters(bearer_client, crew):
    found = bearer_client.get(USERS, {"filter[email]": crew[0].user.email.upper()}).json()["data"]
    assert [u["id"] for u in found] == [str(crew[0].user.uid)]
    found = bearer_client.get(USERS, {"filter[individual-id]": str(crew[2].uid)}).json()["data"]
    assert [u["id"] for u in found] == [str(crew[2].user.uid)]
    found = bearer_client.get(USERS, {"filter[username]": crew[1].user.slug}).json()["data"]
    assert [u["id"] for u in found] == [str(crew[1].user.uid)]
    bad = bearer_client.get(USERS, {"filter[nope]": "1"})
    assert errors_of(bad)[0]["source"] == {"parameter": "filter[nope]"}


def test_hidden_contact_details_are_neither_shown_nor_searchable(team, owner, crew):
    setting_put(name="contact_details", data="managers", team=team, by=Membership.objects.get(team=team, user=owner))
    member = token_client(crew[0].user)
    other = member.get(f"{USERS}{crew[1].user.uid}/").json()["data"]["attributes"]
    assert (other["email"], other["phone"], other["phone-verified"]) == ("", "", False)
    assert member.get(USERS, {"filter[email]": crew[1].user.email}).json()["data"] == []


def test_users_unauthenticated_and_other_organization(client, outsider_bearer_client, crew):
    assert client.get(USERS).status_code == 401
    assert outsider_bearer_client.get(f"{USERS}{crew[0].user.uid}/").status_code == 404


def test_patch_notifications_is_the_persons_own(team, crew):
    me = token_client(crew[0].user)
    body = document("users", {"notifications": ["sms"]}, str(crew[0].user.uid))
    response = me.patch(f"{USERS}{crew[0].user.uid}/", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["attributes"]["notifications"] == ["sms"]
    crew[0].user.refresh_from_db()
    assert crew[0].user.notification_channels == ["sms"]
    bad = me.patch(
        f"{USERS}{crew[0].user.uid}/",
        json.dumps(document("users", {"notifications": ["fax"]})),
        content_type="application/json",
    )
    assert errors_of(bad)[0]["source"] == {"pointer": "/data/attributes/notifications"}
    other = me.patch(f"{USERS}{crew[1].user.uid}/", json.dumps(body), content_type="application/json")
    assert other.status_code == 403


def test_user_multicast_texts_that_user(bearer_client, team, template, crew, django_capture_on_commit_callbacks):
    body = {"template-id": "shift-reminder", "data": {"start": "7:30"}, "organization-id": str(team.uid)}
    with django_capture_on_commit_callbacks(execute=True):
        response = post_flat(bearer_client, f"{USERS}{crew[2].user.uid}/multicast/", body)
    assert response.status_code == 201, response.content
    assert response.json()["task-id"] == str(Multicast.objects.get().task_id)
    assert [(m.to, m.body) for m in sms.outbox] == [(crew[2].user.phone, "Hi Crew2, your shift starts 7:30.")]
    missing = post_flat(bearer_client, f"{USERS}{crew[2].user.uid}/multicast/", {"data": {}})
    assert errors_of(missing)[0]["source"] == {"pointer": "/data/attributes/template-id"}


def test_validate_multicast_params_sends_nothing(bearer_client, team, template, crew):
    url = f"{USERS}{crew[0].user.uid}/validate-multicast-params/"
    body = {"template-id": "shift-reminder", "data": {"start": "9"}, "individual-id": str(crew[0].uid)}
    good = post_flat(bearer_client, url, {**body, "organization-id": str(team.uid)})
    assert good.status_code == 201
    assert good.json()["success"] is True
    bad = post_flat(bearer_client, url, {**body, "data": {"strat": "9"}, "organization-id": str(team.uid)})
    assert bad.json()["success"] is False
    assert "start: missing" in bad.json()["info"]
    assert "strat: unknown" in bad.json()["info"]
    assert not sms.outbox
    assert not Multicast.objects.exists()
    incomplete = post_flat(bearer_client, url, body)
    assert errors_of(incomplete)[0]["source"] == {"pointer": "/data/attributes/organization-id"}


def test_individual_get_multicast_and_summary(
    bearer_client, team, template, crew, owner, django_capture_on_commit_callbacks
):
    crew[0].user.dob = datetime.date(1990, 5, 17)
    crew[0].user.save()
    got = bearer_client.get(f"{INDIVIDUALS}{crew[0].uid}/")
    assert got.status_code == 200
    attributes = got.json()["data"]["attributes"]
    assert (attributes["first-name"], attributes["birth-date"], attributes["owner-id"]) == (
        "Crew0",
        "1990-05-17",
        str(team.uid),
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = post_flat(
            bearer_client,
            f"{INDIVIDUALS}{crew[0].uid}/multicast/",
            {"template-id": "shift-reminder", "template-data": {"start": "8"}},
        )
    assert sent.status_code == 201, sent.content
    assert [m.to for m in sms.outbox] == [crew[0].user.phone]
    no_data = post_flat(bearer_client, f"{INDIVIDUALS}{crew[0].uid}/multicast/", {"template-id": "shift-reminder"})
    assert errors_of(no_data)[0]["source"] == {"pointer": "/data/attributes/template-data"}
    recalculated = bearer_client.post(
        f"{INDIVIDUALS}{crew[0].uid}/recalculate-communication-summary/", {}, format="json"
    )
    assert recalculated.status_code == 201
    summary = CommunicationSummary.objects.get(individual=crew[0])
    assert summary.notifications == 1
    assert summary.provider_messages == 1


def test_individuals_of_another_organization_are_404(outsider_bearer_client, client, crew):
    assert outsider_bearer_client.get(f"{INDIVIDUALS}{crew[0].uid}/").status_code == 404
    assert post_flat(outsider_bearer_client, f"{INDIVIDUALS}{crew[0].uid}/multicast/", {}).status_code == 404
    assert client.get(f"{INDIVIDUALS}{crew[0].uid}/").status_code == 401


def test_individual_group(bearer_client, outsider_bearer_client, team, crew):
    parent = IndividualGroupFactory(team=team, name="Floor")
    group = IndividualGroupFactory(team=team, name="Bar", parent=parent)
    group.members.set(crew)
    group.leaders.set(crew[:1])
    response = bearer_client.get(f"{GROUPS}{group.uid}/")
    assert response.status_code == 200
    attributes = response.json()["data"]["attributes"]
    assert attributes["parent-id"] == str(parent.uid)
    assert attributes["leaders"] == [{"id": str(crew[0].uid)}]
    assert len(attributes["individuals"]) == 3
    assert outsider_bearer_client.get(f"{GROUPS}{group.uid}/").status_code == 404
