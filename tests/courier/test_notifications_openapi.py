"""The multicast and notification endpoints answer as the courier OpenAPI document describes them (status and body),
success and error alike."""

import json

import pytest

from messaging.models import UserNotification
from messaging.services.multicasts import multicast_send
from tests.courier.conftest import JSONAPI, document
from tests.factories import IndividualGroupFactory
from tests.openapi import assert_documented

pytestmark = pytest.mark.django_db


def test_answers_fit_the_document(
    bearer_client, client, team, owner, template, crew, django_capture_on_commit_callbacks
):
    group = IndividualGroupFactory(team=team)
    group.members.set(crew)
    with django_capture_on_commit_callbacks(execute=True):
        multicast = multicast_send(team=team, template_id="shift-reminder", params={"start": "9"}, by=owner)
    notification = UserNotification.objects.filter(individual=crew[0]).get()
    device_id = bearer_client.get("/courier/v1/user-devices/", {"all-users": "true"}).json()["data"][0]["id"]
    body = {
        "organization-id": str(team.uid),
        "template-id": "shift-reminder",
        "data": {"start": "9"},
        "filter-type": "all-participants",
    }
    email = bearer_client.post(
        "/courier/v1/user-emails/",
        json.dumps(document("user-emails", {"individual-id": str(crew[0].uid), "subject": "Hi"})),
        content_type=JSONAPI,
    )
    responses = [
        bearer_client.get("/courier/v1/users/"),
        bearer_client.get(f"/courier/v1/users/{crew[0].user.uid}/"),
        bearer_client.get(f"/courier/v1/individuals/{crew[0].uid}/"),
        bearer_client.get(f"/courier/v1/individual-groups/{group.uid}/"),
        bearer_client.get(
            "/courier/v1/multicasts/", {"include-individual-group": "true", "include-individual-ids": "true"}
        ),
        bearer_client.get(f"/courier/v1/multicasts/{multicast.uid}/"),
        bearer_client.get(f"/courier/v1/multicasts/{multicast.uid}/report/"),
        bearer_client.post("/courier/v1/multicasts/", json.dumps(document("multicasts", body)), content_type=JSONAPI),
        bearer_client.post(
            "/courier/v1/multicasts/estimate/", json.dumps(document("multicasts", body)), content_type=JSONAPI
        ),
        bearer_client.get("/courier/v1/user-multicasts/", {"individual-id": str(crew[0].uid)}),
        bearer_client.get("/courier/v1/user-notifications/", {"individual-id": str(crew[0].uid)}),
        bearer_client.get(f"/courier/v1/user-notifications/{notification.uid}/"),
        bearer_client.post(f"/courier/v1/user-notifications/{notification.uid}/ack/", {}, format="json"),
        bearer_client.get("/courier/v1/user-notification-counts/"),
        bearer_client.get("/courier/v1/badge-counts/", {"individual-id": str(crew[0].uid)}),
        bearer_client.get("/courier/v1/user-devices/", {"all-users": "true"}),
        bearer_client.get(f"/courier/v1/user-devices/{device_id}/get-logs/"),
        bearer_client.get("/courier/v1/app-credentials/"),
        email,
        bearer_client.get("/courier/v1/user-emails/", {"individual-id": str(crew[0].uid)}),
        bearer_client.get("/courier/v1/communication-summaries/", {"individual-id": str(crew[0].uid)}),
        bearer_client.post(
            "/courier/v1/multicasts/", json.dumps(document("multicasts", {**body, "data": {}})), content_type=JSONAPI
        ),
        bearer_client.get("/courier/v1/multicasts/11111111-1111-1111-1111-111111111111/"),
        client.get("/courier/v1/user-notifications/"),
    ]
    statuses = set()
    for response in responses:
        assert_documented(response, "courier")
        statuses.add(response.status_code)
    assert {200, 201, 400, 401, 404} <= statuses
