"""courier user-notifications (list, get, ack with ack-previous), user-notification-counts, badge-counts (list, set,
get), bulk-badge-counts and communication-summaries."""

import datetime
import json

import pytest
from rest_framework.test import APIClient

from accounts.services.credentials import auth_token_issue
from messaging.models import BadgeCount, UserNotification
from messaging.services.multicasts import multicast_send
from tests.courier.conftest import document, errors_of

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "/courier/v1/user-notifications/"
COUNTS = "/courier/v1/user-notification-counts/"
BADGES = "/courier/v1/badge-counts/"
BULK = "/courier/v1/bulk-badge-counts/"
SUMMARIES = "/courier/v1/communication-summaries/"


def token_client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {auth_token_issue(user=user)[1]}")
    return api


@pytest.fixture
def notified(team, owner, template, crew, django_capture_on_commit_callbacks):
    """Three multicasts to everyone: each crew member has three notifications (badge 3)."""
    for start in ("8:00", "9:00", "10:00"):
        with django_capture_on_commit_callbacks(execute=True):
            multicast_send(team=team, template_id="shift-reminder", params={"start": start}, by=owner, channels=["sms"])
    return crew


def test_a_person_lists_their_notifications(notified, django_assert_max_num_queries):
    me = token_client(notified[0].user)
    for limit in (1, 100):
        with django_assert_max_num_queries(6):
            response = me.get(NOTIFICATIONS, {"page[limit]": limit})
        assert len(response.json()["data"]) == min(limit, 3)
    first = response.json()["data"][0]["attributes"]
    assert first["individual-id"] == str(notified[0].uid)
    assert first["data"]["sms"]["bodies"][0].startswith("Hi Crew0")
    assert me.get(NOTIFICATIONS, {"acknowledged": "true"}).json()["data"] == []


def test_ack_previous_lowers_the_badge(notified):
    me = token_client(notified[0].user)
    rows = list(UserNotification.objects.filter(individual=notified[0]).order_by("created_at", "id"))
    assert BadgeCount.objects.get(individual=notified[0], type="notifications").count == 3

    response = me.post(f"{NOTIFICATIONS}{rows[1].uid}/ack/", {"ack-previous": True}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["data"]["attributes"]["acknowledged"] is True
    assert [n.acknowledged for n in UserNotification.objects.filter(pk__in=[r.pk for r in rows]).order_by("id")] == [
        True,
        True,
        False,
    ]
    assert BadgeCount.objects.get(individual=notified[0], type="notifications").count == 1
    again = me.post(f"{NOTIFICATIONS}{rows[2].uid}/ack/", {}, format="json")
    assert again.status_code == 201
    assert BadgeCount.objects.get(individual=notified[0], type="notifications").count == 0
    bad = me.post(f"{NOTIFICATIONS}{rows[2].uid}/ack/", {"ack-previous": "yes"}, format="json")
    assert errors_of(bad)[0]["source"] == {"pointer": "/data/attributes/ack-previous"}


def test_notifications_are_private(notified, outsider_bearer_client, client):
    row = UserNotification.objects.filter(individual=notified[0]).first()
    other = token_client(notified[1].user)
    assert other.get(f"{NOTIFICATIONS}{row.uid}/").status_code == 403  # a teammate, not a manager
    assert outsider_bearer_client.get(f"{NOTIFICATIONS}{row.uid}/").status_code == 404
    assert client.get(NOTIFICATIONS).status_code == 401


def test_a_manager_lists_someones_notifications(bearer_client, notified):
    response = bearer_client.get(NOTIFICATIONS, {"individual-id": str(notified[2].uid)})
    assert len(response.json()["data"]) == 3
    assert bearer_client.get(NOTIFICATIONS, {"individual-id": "nope"}).status_code == 400


def test_counts_per_user_per_day_in_one_query(bearer_client, notified, owner, django_assert_max_num_queries):
    UserNotification.objects.filter(individual=notified[1]).update(
        created_at=datetime.datetime(2026, 1, 2, 12, tzinfo=datetime.UTC)
    )
    with django_assert_max_num_queries(4):
        response = bearer_client.get(COUNTS)
    assert response.status_code == 200
    rows = [r["attributes"] for r in response.json()["data"]]
    assert {"count": 3, "daily-for-date": "2026-01-02", "user-id": str(notified[1].user.uid)} in rows
    assert all(r["count"] == 3 for r in rows)
    assert "id" not in response.json()["data"][0]
    windowed = bearer_client.get(COUNTS, {"filter[cmp-created-at]": "<=2026-01-03T00:00:00Z"}).json()["data"]
    assert [r["attributes"]["user-id"] for r in windowed] == [str(notified[1].user.uid)]
    bad = bearer_client.get(COUNTS, {"filter[cmp-created-at]": ">2026-01-03T00:00:00Z"})
    assert errors_of(bad)[0]["source"] == {"parameter": "filter[cmp-created-at]"}


def test_badge_counts_set_list_get(bearer_client, outsider_bearer_client, client, team, crew):
    body = document(
        "badge-counts",
        {"count": 4, "individual-id": str(crew[0].uid), "organization-id": str(team.uid), "type": "appointment"},
    )
    created = bearer_client.post(BADGES, json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    again = bearer_client.post(
        BADGES,
        json.dumps(document("badge-counts", {**body["data"]["attributes"], "count": 2})),
        content_type="application/json",
    )
    assert again.json()["data"]["id"] == created.json()["data"]["id"]  # upsert by individual and type
    listed = bearer_client.get(BADGES, {"individual-id": str(crew[0].uid)}).json()["data"]
    assert [(b["attributes"]["type"], b["attributes"]["count"]) for b in listed] == [("appointment", 2)]
    assert bearer_client.get(f"{BADGES}{created.json()['data']['id']}/").status_code == 200
    assert outsider_bearer_client.get(f"{BADGES}{created.json()['data']['id']}/").status_code == 404
    assert client.get(BADGES).status_code == 401
    negative = bearer_client.post(
        BADGES,
        json.dumps(document("badge-counts", {**body["data"]["attributes"], "count": -1})),
        content_type="application/json",
    )
    assert errors_of(negative)[0]["source"] == {"pointer": "/data/attributes/count"}
    assert bearer_client.get(BADGES).status_code == 400  # individual-id is required


def test_bulk_badge_counts(bearer_client, team, crew):
    values = [{"count": n, "individual-id": str(m.uid), "type": "appointment"} for n, m in enumerate(crew)]
    response = bearer_client.post(
        BULK, json.dumps(document("bulk-badge-counts", {"values": values})), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.content in (b"", b"null")
    assert BadgeCount.objects.filter(type="appointment").count() == 3
    bad = bearer_client.post(
        BULK,
        json.dumps(document("bulk-badge-counts", {"values": [{"count": "x", "type": "a"}]})),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert errors_of(bad)[0]["source"]["pointer"] == "/data/attributes/values"


def test_communication_summary(bearer_client, outsider_bearer_client, notified):
    response = bearer_client.get(SUMMARIES, {"individual-id": str(notified[0].uid), "include-senders": "true"})
    assert response.status_code == 200
    summary = response.json()["summary"]
    assert summary["notifications"] == 3
    assert summary["provider-messages"] == 3
    assert summary["message-senders"][0]["count"] == 3
    assert (
        "message-senders" not in bearer_client.get(SUMMARIES, {"individual-id": str(notified[0].uid)}).json()["summary"]
    )
    assert outsider_bearer_client.get(SUMMARIES, {"individual-id": str(notified[0].uid)}).status_code == 404
    assert APIClient().get(SUMMARIES, {"individual-id": str(notified[0].uid)}).status_code == 401
    assert bearer_client.get(SUMMARIES, {"individual-id": "nope"}).status_code == 400
