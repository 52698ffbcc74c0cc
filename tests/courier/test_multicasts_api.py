"""courier multicasts (list, create, get; estimate, report, retry-failed, cancel) and user-multicasts (list, create)."""

import json

import pytest

from messaging import sms
from messaging.models import Delivery, Multicast, UserNotification
from tests.courier.conftest import document, errors_of
from tests.factories import IndividualGroupFactory, MessageTemplateFactory

pytestmark = pytest.mark.django_db

URL = "/courier/v1/multicasts/"
USER_MULTICASTS = "/courier/v1/user-multicasts/"


def post(api, url, attributes, resource_type="multicasts"):
    return api.post(url, json.dumps(document(resource_type, attributes)), content_type="application/json")


def post_flat(api, url, body):
    return api.post(url, json.dumps(body), content_type="application/json")


def create(api, team, **attributes):
    body = {
        "organization-id": str(team.uid),
        "template-id": "shift-reminder",
        "data": {"start": "9:00"},
        "filter-type": "all-participants",
        "filter-value": {},
        **attributes,
    }
    return post(api, URL, body)


def test_create_answers_at_once_and_fans_out(bearer_client, team, template, crew, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = create(bearer_client, team, channels=["sms"])

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["type"] == "multicasts"
    assert data["attributes"]["status"] == "pending"  # answered before the fan-out ran
    assert data["attributes"]["template-id"] == "shift-reminder"
    multicast = Multicast.objects.get(uid=data["id"])
    assert multicast.status == "complete"
    assert len(sms.outbox) == 4  # the owner and the crew, once each
    assert {m.user.phone for m in crew} <= {m.to for m in sms.outbox}
    got = bearer_client.get(f"{URL}{data['id']}/").json()["data"]["attributes"]
    assert got["status"] == "complete"
    assert got["recipients-count"] == 4
    assert got["channel-counts"]["sms"]["sent"] == 4
    listed = bearer_client.get(URL).json()["data"][0]["attributes"]
    assert listed["channel-counts"]["sms"]["sent"] == 4


@pytest.mark.parametrize(
    ("attributes", "pointer"),
    [
        ({"data": {"strat": "9"}}, "data"),  # start missing, strat unknown
        ({"filter-type": "everyone"}, "filter-type"),
        ({"template-id": ""}, "template-id"),
        ({"channels": ["fax"]}, "channels"),
    ],
)
def test_create_validation_errors(bearer_client, team, template, attributes, pointer):
    response = create(bearer_client, team, **attributes)
    assert response.status_code == 400, response.content
    assert {e["source"]["pointer"] for e in errors_of(response)} == {f"/data/attributes/{pointer}"}
    assert not Multicast.objects.exists()


def test_missing_and_unknown_variables_are_each_reported(bearer_client, team, template):
    response = create(bearer_client, team, data={"strat": "9"})
    details = sorted(e["detail"] for e in errors_of(response))
    assert details == ["missing: the template uses it and it was not given", "unknown: no part of the template uses it"]


def test_unknown_template_is_404_on_the_field(bearer_client, team, template):
    response = create(bearer_client, team, **{"template-id": "nope"})
    assert response.status_code == 404
    assert errors_of(response)[0]["source"] == {"pointer": "/data/attributes/template-id"}


def test_another_organizations_objects_are_404(bearer_client, team, other_team, template, outsider_bearer_client):
    other_group = IndividualGroupFactory(team=other_team)
    assert create(bearer_client, team, **{"organization-id": str(other_team.uid)}).status_code == 404
    response = create(
        bearer_client,
        team,
        **{"filter-type": "individual-group", "filter-value": {"individual-group-id": str(other_group.uid)}},
    )
    assert response.status_code == 404
    with_ours = create(bearer_client, team)
    assert outsider_bearer_client.get(f"{URL}{with_ours.json()['data']['id']}/").status_code == 404


def test_unauthenticated_is_401(client, team, template):
    assert client.get(URL).status_code == 401
    assert create(client, team).status_code == 401
    assert post_flat(client, USER_MULTICASTS, {}).status_code == 401


def test_a_plain_member_may_not_multicast(team, template, teammate):
    from rest_framework.test import APIClient

    from accounts.services.credentials import auth_token_issue

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {auth_token_issue(user=teammate)[1]}")
    assert create(api, team).status_code == 403


def test_list_filters_and_query_counts(bearer_client, team, template, crew, django_assert_max_num_queries):
    group = IndividualGroupFactory(team=team, name="Kitchen")
    group.members.set(crew[:2])
    other = MessageTemplateFactory(team=team, template_id="other")
    for _ in range(3):
        create(
            bearer_client,
            team,
            **{"filter-type": "individual-group", "filter-value": {"individual-group-id": str(group.uid)}},
        )
    create(bearer_client, team, **{"template-id": other.template_id})
    for limit in (1, 50):
        with django_assert_max_num_queries(6):
            response = bearer_client.get(URL, {"page[limit]": limit})
        assert len(response.json()["data"]) == min(limit, 4)
    assert response.json()["meta"]["page[total]"] == 4
    by_template = bearer_client.get(URL, {"template-id": "other"}).json()["data"]
    assert len(by_template) == 1
    by_group = bearer_client.get(URL, {"individual-group-id": str(group.uid), "include-individual-group": "true"})
    rows = by_group.json()["data"]
    assert len(rows) == 3
    embed = rows[0]["attributes"]["individual-group"]
    assert (embed["name"], embed["individuals-count"]) == ("Kitchen", 2)
    bad = bearer_client.get(URL, {"filter[cmp-created-at]": "~2024"})
    assert bad.status_code == 400
    assert errors_of(bad)[0]["source"] == {"parameter": "filter[cmp-created-at]"}
    assert bearer_client.get(URL, {"filter[cmp-created-at]": ">=2999-01-01T00:00:00Z"}).json()["data"] == []


def test_include_individual_ids(bearer_client, team, template, crew):
    created = create(
        bearer_client, team, **{"filter-type": "individuals", "filter-value": {"individual-ids": [str(crew[1].uid)]}}
    )
    got = bearer_client.get(f"{URL}{created.json()['data']['id']}/", {"include-individual-ids": "true"})
    assert got.json()["data"]["attributes"]["individual-ids"] == [str(crew[1].uid)]
    assert (
        "individual-ids" not in bearer_client.get(f"{URL}{created.json()['data']['id']}/").json()["data"]["attributes"]
    )


def test_estimate_counts_channels_segments_and_cost(bearer_client, team, template, crew, settings):
    settings.SMS_COST_PER_SEGMENT = "0.01"
    MessageTemplateFactory(
        team=team, template_id="long", sms_body="Привет {{ first_name }}! " + "x" * 80, push_title="", push_body=""
    )
    response = post(
        bearer_client,
        URL + "estimate/",
        {"organization-id": str(team.uid), "template-id": "long", "data": {}, "channels": ["sms", "push"]},
    )
    assert response.status_code == 200, response.content
    attributes = response.json()["data"]["attributes"]
    assert attributes["recipients"] == 4
    assert attributes["channels"] == {"sms": 4}  # the long template has no push part: sms only
    assert attributes["sms-encodings"] == {"UCS-2": 4}
    assert attributes["sms-segments"] == 8  # ~95 UCS-2 characters: two segments each
    assert attributes["sms-cost"] == "0.0800"
    assert not Multicast.objects.exists()


def test_report_retry_and_cancel(bearer_client, team, template, crew, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from messaging.models import SmsOptOut

    SmsOptOut.objects.create(team=team, phone=crew[0].user.phone, opted_out=True, changed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        created = create(bearer_client, team, channels=["sms"])
    uid = created.json()["data"]["id"]
    Delivery.objects.filter(multicast__uid=uid, individual=crew[1]).update(status="failed", error="carrier said no")
    Multicast.objects.filter(uid=uid).update(status="partially-failed")

    report = bearer_client.get(f"{URL}{uid}/report/").json()["data"]["attributes"]
    assert (report["channels"]["sms"]["sent"], report["channels"]["sms"]["failed"]) == (2, 1)
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        retried = bearer_client.post(f"{URL}{uid}/retry-failed/")
    assert retried.status_code == 201, retried.content
    assert [m.to for m in sms.outbox] == [crew[1].user.phone]
    assert Multicast.objects.get(uid=uid).status == "complete"

    cancel_done = bearer_client.post(f"{URL}{uid}/cancel/")
    assert cancel_done.status_code == 400  # finished: nothing left to cancel
    pending = create(bearer_client, team)  # not fanned out (no on-commit here)
    pending_uid = pending.json()["data"]["id"]
    cancelled = bearer_client.post(f"{URL}{pending_uid}/cancel/")
    assert cancelled.json()["data"]["attributes"]["status"] == "cancelled"


def test_user_multicast_to_individuals_and_groups(
    bearer_client, team, template, crew, django_capture_on_commit_callbacks
):
    group = IndividualGroupFactory(team=team)
    group.members.set([crew[2]])
    body = {
        "organization-id": str(team.uid),
        "template-id": "shift-reminder",
        "template-data": {"start": "10:00"},
        "individual-ids": [str(crew[0].uid)],
        "individual-group-ids": [str(group.uid)],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = post_flat(bearer_client, USER_MULTICASTS, body)
    assert response.status_code == 201, response.content
    assert set(response.json()) == {"message-data", "task-id"}
    assert sorted(n.individual_id for n in UserNotification.objects.all()) == sorted([crew[0].pk, crew[2].pk])
    listed = bearer_client.get(USER_MULTICASTS, {"individual-id": str(crew[0].uid)}).json()["data"]
    assert listed[0]["attributes"]["template-data"] == {"start": "10:00"}


def test_user_multicast_validation(bearer_client, team, template, crew, other_team, outsider):
    base = {"organization-id": str(team.uid), "template-id": "shift-reminder", "template-data": {"start": "1"}}
    assert post_flat(bearer_client, USER_MULTICASTS, base).status_code == 400  # nobody named
    empty = post_flat(bearer_client, USER_MULTICASTS, {**base, "individual-ids": []})
    assert errors_of(empty)[0]["source"] == {"pointer": "/data/attributes/individual-ids"}
    no_data = post_flat(
        bearer_client, USER_MULTICASTS, {**base, "template-data": None, "individual-ids": [str(crew[0].uid)]}
    )
    assert no_data.status_code == 400
    stranger = outsider.memberships.get()
    assert post_flat(bearer_client, USER_MULTICASTS, {**base, "individual-ids": [str(stranger.uid)]}).status_code == 404
    assert bearer_client.get(USER_MULTICASTS).status_code == 400  # individual-id is required
