"""Who may write what (issue 9 §2): every write endpoint of every family × {owner, manager, member, outsider, API key}.

Each routed write operation is listed once in WRITES with its policy; `test_every_write_endpoint_is_in_the_matrix`
fails when a new write endpoint is routed without a row here. The answer a role must get follows from the policy:
`allowed` means the request went past authentication and authorization (2xx, or a 400/409/422 about the data),
`403` that the caller is in the team without the right, `404` that the object or team is not there for the caller.

Roles: owner (status owner), manager (a member flagged workforce manager), member (plain member) of the team;
outsider, the owner of another team; api_key, a key of the team made by its owner (it acts as the owner).
"""

import datetime
import importlib
import pathlib

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from accounts.models import Contact, Membership
from accounts.services.contacts import contact_connect
from accounts.services.credentials import api_key_create, auth_token_issue
from accounts.services.integrations import integration_create
from accounts.services.invitations import invitation_create_link
from accounts.services.team_admin import setting_put
from messaging.models import TextAccount, TextNumber
from tests.factories import DeviceFactory, MembershipFactory, TeamFactory, UserFactory
from tests.permissions.matrix import (
    ALLOWED,
    POLICIES,
    PREFIX,
    ROLES,
    TOMORROW,
    Write,
)
from workforce.models import ShiftRequest
from workforce.services import attendance, events, timesheets
from workforce.services import shifts as shift_services

pytestmark = pytest.mark.django_db


def _shift_body(world):
    start = world["tomorrow_9am"]
    return {"start_at": start.isoformat(), "end_at": (start + datetime.timedelta(hours=8)).isoformat()}


CORE_WRITES = [
    # --- tommy: users, me, sessions, devices ---
    Write("tommy", "POST", "users", "public"),
    Write("tommy", "POST", "users/reset_password", "public"),
    Write("tommy", "POST", "users/{member_id}/send_verification_sms", "public"),
    Write("tommy", "POST", "users/{member_id}/send_verification_email", "public"),
    Write("tommy", "PUT", "me", "self", {"first_name": "New"}),
    Write("tommy", "PUT", "me/current_account", "self", lambda w: {"type": "User", "id": w["caller_id"]}),
    Write("tommy", "PUT", "me/settings/colour", "self", {"data": {"v": 1}}),
    Write("tommy", "DELETE", "me/settings/colour", "self"),
    Write("tommy", "POST", "teams", "self", {"name": "Another crew"}),
    Write("tommy", "POST", "sessions", "public"),
    Write("tommy", "DELETE", "sessions", "self"),
    Write("tommy", "POST", "devices", "self", {"uuid": "matrix-device", "platform": "android"}),
    Write("tommy", "DELETE", "devices/{member_device_pk}", "own"),
    # --- tommy: the current team ---
    Write("tommy", "PUT", "team", "current_admin", {"name": "Renamed"}),
    Write("tommy", "PATCH", "team/features", "current_admin", {"features": {"chat": True}}),
    Write("tommy", "PUT", "team/settings/colour", "current_admin", {"data": {"v": 1}}),
    Write("tommy", "DELETE", "team/settings/colour", "current_admin"),
    Write("tommy", "POST", "team/members/invite", "current_admin", {"mobile": "+79160009999"}),
    Write("tommy", "PUT", "team/members/{member_id}", "admin", {"tags": ["kitchen"]}),
    Write("tommy", "POST", "team/demo_data/apply", "current_manager", {"theme": "retail"}),
    Write("tommy", "DELETE", "team/demo_data/reset", "current_manager"),
    # --- tommy: contacts and invitations (the caller's own lists) ---
    Write("tommy", "POST", "contacts", "self", {"email": "friend@example.test", "first_name": "Fred"}),
    Write("tommy", "POST", "contacts/import", "self", [{"email": "friend@example.test"}]),
    Write("tommy", "PUT", "contacts/{contact_friend_id}", "self", {"favorite": True}),
    Write("tommy", "POST", "contacts/{member_id}/add", "member"),
    Write("tommy", "POST", "contacts/{member_id}/invite", "member"),
    Write("tommy", "POST", "contacts/{requester_id}/accept", "self"),
    Write("tommy", "POST", "contacts/{requester_id}/decline", "self"),
    Write("tommy", "POST", "invitations", "self", {"email": "newcomer@example.test"}),
    # --- tommy: workforce people ---
    Write("tommy", "PUT", "workforce", "current_manager", {"timezone": "Europe/Moscow"}),
    Write(
        "tommy",
        "PUT",
        "workforce/manager/employees/{member_id}",
        "manager",
        lambda w: {"user_id": w["member_id"], "team_id": w["team_id"], "notes": "Cook"},
    ),
    Write("tommy", "PUT", "workforce/availabilities/{tomorrow}", "current_member", {"morning": "unavailable"}),
    Write("tommy", "POST", "workforce/manager/shift_questions", "current_manager", {"text": "All good?"}),
    Write(
        "tommy",
        "POST",
        "workforce/shifts/{member_shift}/answers",
        "own",
        lambda w: {"shift_question_id": w["question"], "text": "Yes"},
    ),
    Write("tommy", "POST", "events", "current_member", {"name": "Inventory", "date": TOMORROW.isoformat()}),
    Write("tommy", "PUT", "events/{event}", "manager", {"name": "Stocktake"}),
    Write("tommy", "DELETE", "events/{event}", "manager"),
    # --- tommy: shifts and shift requests ---
    Write("tommy", "POST", "workforce/manager/shifts", "current_manager", _shift_body),
    Write("tommy", "PUT", "workforce/manager/shifts/{open_shift}", "manager", {"title": "Late"}),
    Write("tommy", "DELETE", "workforce/manager/shifts/{open_shift}", "manager"),
    Write("tommy", "POST", "workforce/shift_requests", "member_body", lambda w: {"shift_id": w["open_shift"]}),
    Write("tommy", "PUT", "workforce/shift_requests/{member_request}", "own", {"status": "canceled"}),
    Write("tommy", "DELETE", "workforce/shift_requests/{member_request}", "own"),
    Write(
        "tommy",
        "POST",
        "workforce/manager/shift_requests",
        "manager_body",
        lambda w: {"shift_id": w["open_shift"], "user_id": w["member_id"]},
    ),
    Write("tommy", "PUT", "workforce/manager/shift_requests/{member_request}", "manager", {"status": "approved"}),
    # --- tommy: attendance, timesheets, items ---
    Write("tommy", "POST", "workforce/attendances", "current_member", {"status": "start"}),
    Write("tommy", "PUT", "workforce/attendances/{member_attendance}", "own", {"status": "pause"}),
    Write(
        "tommy",
        "POST",
        "workforce/manager/attendances",
        "manager_body",
        lambda w: {"user_id": w["manager_id"], "status": "start"},
    ),
    Write("tommy", "PUT", "workforce/manager/attendances/{member_attendance}", "manager", {"note": "ok"}),
    Write("tommy", "PUT", "workforce/timesheets/{member_timesheet}", "own", {"status": "submitted"}),
    Write("tommy", "DELETE", "workforce/timesheets/{member_timesheet}", "own"),
    Write(
        "tommy",
        "POST",
        "workforce/manager/timesheets",
        "manager_body",
        lambda w: {
            "resource_type": "User",
            "resource_id": w["member_id"],
            "start_date": (TOMORROW + datetime.timedelta(days=30)).isoformat(),
            "end_date": (TOMORROW + datetime.timedelta(days=36)).isoformat(),
        },
    ),
    Write(
        "tommy",
        "PUT",
        "workforce/manager/timesheets/bulk_update",
        "manager_body",
        lambda w: {"ids": [w["member_timesheet"]], "status": "approved"},
    ),
    Write("tommy", "PUT", "workforce/manager/timesheets/{member_timesheet}", "manager", {"status": "approved"}),
    Write(
        "tommy",
        "POST",
        "workforce/timesheet_items",
        "own_body",
        lambda w: {"timesheet_id": w["member_timesheet"], "work_hours": 2},
    ),
    Write("tommy", "PUT", "workforce/timesheet_items/{member_item}", "own", {"work_hours": 3}),
    Write("tommy", "DELETE", "workforce/timesheet_items/{member_item}", "own"),
    Write(
        "tommy",
        "POST",
        "workforce/manager/timesheet_items",
        "manager_body",
        lambda w: {"timesheet_id": w["member_timesheet"], "work_hours": 2},
    ),
    Write("tommy", "PUT", "workforce/manager/timesheet_items/{member_item}", "manager", {"work_hours": 3}),
    # --- courier ---
    Write("courier", "POST", "texts/{text_uid}/callback/", "public"),
    Write("courier", "POST", "texts/{text_uid}/callback", "public"),
    Write(
        "courier",
        "POST",
        "text-accounts",
        "manager",
        lambda w: {"data": {"type": "text-accounts", "attributes": {"organization-id": w["team_uid"]}}},
    ),
    Write(
        "courier",
        "PATCH",
        "text-accounts/{text_account}",
        "manager",
        lambda w: {
            "data": {"type": "text-accounts", "id": w["text_account"], "attributes": {"allow-custom-number": False}}
        },
    ),
    Write(
        "courier",
        "POST",
        "texts",
        "member",
        lambda w: {
            "data": {
                "type": "texts",
                "attributes": {"account-id": w["text_account"], "target": "+79160001111", "message": "Hi"},
            }
        },
    ),
    # courier two-way SMS (issue 12): numbers, maps and preferences configure how the team sends (managers);
    # texts, consents and lookups are any member's; the provider's inbound webhook is public (signed by Twilio).
    Write(
        "courier",
        "POST",
        "text-account-numbers",
        "manager_body",
        lambda w: {"data": {"type": "text-account-numbers", "attributes": {"account-id": w["text_account"]}}},
    ),
    Write(
        "courier",
        "PATCH",
        "text-account-numbers/{text_number}",
        "manager",
        lambda w: {"data": {"type": "text-account-numbers", "id": w["text_number"], "attributes": {"notes": "x"}}},
    ),
    Write("courier", "POST", "text-account-numbers/{text_number}/reset-logs", "manager", {}),
    Write("courier", "POST", "text-accounts/{text_account}/claim-number/", "manager", {"notes": "claimed"}),
    Write("courier", "POST", "text-accounts/{text_account}/claim-number", "manager", {"notes": "claimed"}),
    Write("courier", "POST", "text-account-numbers/{text_number}/inbound/", "public"),
    Write("courier", "POST", "text-account-numbers/{text_number}/inbound", "public"),
    Write(
        "courier",
        "POST",
        "text-number-info",
        "self",  # a lookup in the caller's own organization (an outsider's lands in theirs)
        {"data": {"type": "text-number-info", "attributes": {"number": "+12025550143"}}},
    ),
    Write(
        "courier",
        "POST",
        "text-user-number-maps",
        "manager_body",
        lambda w: {
            "data": {
                "type": "text-user-number-maps",
                "attributes": {"number-id": w["text_number"], "user-id": w["owner_uid"]},
            }
        },
    ),
    Write(
        "courier",
        "POST",
        "user-consents",
        "member_body",
        lambda w: {
            "data": {
                "type": "user-consents",
                "attributes": {"organization-id": w["team_uid"], "user-id": w["owner_uid"], "type": "sms"},
            }
        },
    ),
    Write(
        "courier",
        "POST",
        "org-preferences",
        "manager_body",
        lambda w: {
            "data": {
                "type": "org-preferences",
                "attributes": {"organization-id": w["team_uid"], "name": "sms-help-message", "value": "Help!"},
            }
        },
    ),
    # --- tada ---
    *(
        Write("tada", "POST", path, "public")
        for path in ("ping", "sms-login", "sms-auth", "sms-cookieauth", "qr-auth", "cookieauth-logout")
    ),
    Write("tada", "POST", "devices", "self", {"device_id": "matrix-device", "type": "android"}),
    Write("tada", "PUT", "devices/{member_device_id}", "own", {"name": "Phone"}),
    Write("tada", "DELETE", "devices/{member_device_id}", "own"),
    Write("tada", "PUT", "devices/{member_device_id}/address-book", "own", {"contacts": []}),
    Write("tada", "PUT", "ui-settings", "self", {"theme": "dark"}),
    Write("tada", "POST", "teams", "self", {"name": "Another crew"}),
    Write("tada", "POST", "teams/join", "self", lambda w: {"token": w["join_token"]}),
    Write("tada", "PUT", "teams/{team_uid}", "admin", {"name": "Renamed"}),
    Write("tada", "DELETE", "teams/{team_uid}", "owner"),
    Write("tada", "POST", "teams/{team_uid}/icons", "admin", lambda w: {"file": w["picture"]()}, "multipart"),
    Write("tada", "DELETE", "teams/{team_uid}/icons", "admin"),
    Write("tada", "POST", "teams/{team_uid}/integrations", "admin", {"kind": "sentry"}),
    Write("tada", "PUT", "teams/{team_uid}/integrations/{integration}", "admin", {"comment": "x"}),
    Write("tada", "DELETE", "teams/{team_uid}/integrations/{integration}", "admin"),
    Write("tada", "POST", "teams/{team_uid}/invitations", "admin"),
    Write("tada", "DELETE", "teams/{team_uid}/invitations/{invitation}", "admin"),
    Write(
        "tada",
        "POST",
        "teams/{team_uid}/ws/client.message.updated",
        "member",
        lambda w: {"to": f"d-{w['owner_uid']}", "content": {"type": "plain", "text": "Hi"}},
    ),
]


# Later areas keep their rows in tests/permissions/writes_<area>.py: `WRITES` (a list of Write) and, when their
# rows need objects, `extend_world(world) -> dict` (world["objects"] holds the teams and people).
AREAS = [
    importlib.import_module(f"tests.permissions.{path.stem}")
    for path in sorted(pathlib.Path(__file__).parent.glob("writes_*.py"))
]
WRITES = CORE_WRITES + [write for area in AREAS for write in area.WRITES]


# --- the world -----------------------------------------------------------------------------------------------------


def _picture():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), "navy").save(buffer, format="PNG")
    return SimpleUploadedFile("icon.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end; every test runs in its own
    savepoint (pytest-django), so what one request changes never reaches the next (setUpTestData's pattern)."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = _build_world()
        for area in AREAS:
            if hasattr(area, "extend_world"):
                world.update(area.extend_world(world))
        yield world
        transaction.set_rollback(True)


def _build_world() -> dict:
    team = TeamFactory(name="Acme Crew")
    people = {
        "owner": (UserFactory(), Membership.Status.OWNER, True),
        "manager": (UserFactory(), Membership.Status.MEMBER, True),
        "member": (UserFactory(), Membership.Status.MEMBER, False),
    }
    for user, status, is_manager in people.values():
        MembershipFactory(team=team, user=user, status=status, is_manager=is_manager)
    owner, manager, member = (people[role][0] for role in ("owner", "manager", "member"))
    other_team = TeamFactory(name="Rival Crew")
    outsider = UserFactory()
    MembershipFactory(team=other_team, user=outsider, status=Membership.Status.OWNER, is_manager=True)

    tomorrow_9am = datetime.datetime.combine(TOMORROW, datetime.time(9), tzinfo=datetime.UTC)
    open_shift = shift_services.shift_create(
        team=team,
        by=owner,
        start_at=tomorrow_9am,
        end_at=tomorrow_9am + datetime.timedelta(hours=8),
        status="published",
    )
    member_shift = shift_services.shift_create(
        team=team,
        by=owner,
        start_at=tomorrow_9am + datetime.timedelta(days=1),
        end_at=tomorrow_9am + datetime.timedelta(days=1, hours=8),
        status="published",
        assignee=member,
    )
    request_shift = shift_services.shift_create(
        team=team,
        by=owner,
        start_at=tomorrow_9am + datetime.timedelta(days=2),
        end_at=tomorrow_9am + datetime.timedelta(days=2, hours=8),
        status="published",
    )
    member_request = ShiftRequest.objects.create(team=team, shift=request_shift, user=member, requestor=member)
    from workforce.services.questions import shift_question_create

    question = shift_question_create(team=team, text="Ready?", always=True)
    event = events.event_create(team=team, user=owner, name="Party", date=TOMORROW)
    member_attendance = attendance.attendance_clock(team=team, user=member, status="start", enforce_settings=False)
    member_timesheet = timesheets.timesheet_create(
        team=team,
        by=owner,
        start_date=datetime.date.today() - datetime.timedelta(days=7),
        end_date=datetime.date.today(),
        resource_type="User",
        resource_id=member.pk,
    )
    member_item = timesheets.timesheet_item_create(
        team=team, by=member, as_manager=False, timesheet_id=member_timesheet.pk, work_hours=1
    )
    text_account = TextAccount.objects.create(team=team)
    text_number = TextNumber.objects.create(account=text_account, phone_number="+12025550123")
    from messaging.services import text_queue

    text = text_queue(to="+79160002222", body="hello", team_id=team.pk, account=text_account)
    member_device = DeviceFactory(user=member, device_id="member-phone")
    integration = integration_create(team=team, by=owner, kind="raw")
    invitation = invitation_create_link(team=team, inviter=owner)
    join_link = invitation_create_link(team=team, inviter=owner)

    # Each caller's own lists: a setting, an accepted contact (`contact_friend`) and a request waiting for them.
    contact_friend, requester = UserFactory(), UserFactory()
    for user in (owner, manager, member, outsider):
        setting_put(name="colour", data={"v": 0}, user=user)
        contact_connect(owner=user, friend=contact_friend)
        Contact.objects.create(owner=requester, friend=user, status=Contact.Status.PENDING)
        Contact.objects.create(owner=user, friend=requester, status=Contact.Status.REQUESTED)
    for each_team, its_owner in ((team, owner), (other_team, outsider)):
        setting_put(name="colour", data={"v": 0}, team=each_team, by=each_team.memberships.get(user=its_owner))

    credentials = {role: auth_token_issue(user=people[role][0])[1] for role in ("owner", "manager", "member")}
    credentials["outsider"] = auth_token_issue(user=outsider)[1]
    credentials["api_key"] = api_key_create(team=team, created_by=owner)[1]
    users = {"owner": owner, "manager": manager, "member": member, "outsider": outsider, "api_key": owner}
    return {
        "objects": {
            "team": team,
            "other_team": other_team,
            "owner": owner,
            "manager": manager,
            "member": member,
            "outsider": outsider,
        },
        "credentials": credentials,
        "users": users,
        "team_uid": str(team.uid),
        "team_id": team.pk,
        "owner_uid": str(owner.uid),
        "member_id": member.pk,
        "manager_id": manager.pk,
        "contact_friend_id": contact_friend.pk,
        "requester_id": requester.pk,
        "tomorrow": TOMORROW.isoformat(),
        "tomorrow_9am": tomorrow_9am + datetime.timedelta(days=5),
        "open_shift": open_shift.pk,
        "member_shift": member_shift.pk,
        "member_request": member_request.pk,
        "question": question.pk,
        "event": event.pk,
        "member_attendance": member_attendance.pk,
        "member_timesheet": member_timesheet.pk,
        "member_item": member_item.pk,
        "text_account": str(text_account.uid),
        "text_number": str(text_number.uid),
        "text_uid": str(text.uid),
        "member_device_pk": member_device.pk,
        "member_device_id": member_device.device_id,
        "integration": str(integration.uid),
        "invitation": str(invitation.uid),
        "join_token": join_link.token,
        "picture": _picture,
    }


def _client(family: str, role: str, world) -> APIClient:
    secret = world["credentials"][role]
    client = APIClient()
    if role == "api_key" and family == "tommy":
        client.credentials(HTTP_API_KEY=secret)
    elif family in ("tommy", "tada") and role != "api_key":
        client.credentials(HTTP_TOKEN=secret)
    else:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def _request(write: Write, role: str, world):
    client = _client(write.family, role, world)
    values = {**world, "caller_id": world["users"][role].pk}
    path = PREFIX[write.family] + write.path.format(**values)
    body = write.body(values) if callable(write.body) else write.body
    send = getattr(client, write.method.lower())
    if write.format == "multipart":
        return send(path, body, format="multipart")
    if write.family == "courier":
        return send(path, body, format="json", HTTP_CONTENT_TYPE="application/vnd.api+json")
    return send(path, body, format="json")


CASES = [
    pytest.param(write, role, id=f"{write.id} as {role}")
    for write in WRITES
    if write.policy != "public"
    for role in ROLES
]


@pytest.mark.parametrize(("write", "role"), CASES)
def test_write_answers_by_role(write, role, world, django_capture_on_commit_callbacks):
    expected = POLICIES[write.policy][role]
    response = _request(write, role, world)
    if expected == ALLOWED:
        assert response.status_code not in (401, 403, 404), (response.status_code, response.content[:400])
        assert response.status_code < 500
    elif isinstance(expected, tuple):
        assert response.status_code in expected, (response.status_code, response.content[:400])
    else:
        assert response.status_code == expected, (response.status_code, response.content[:400])


@pytest.mark.parametrize("write", [w for w in WRITES if w.policy != "public"], ids=lambda w: w.id)
def test_write_without_a_credential_is_401(write, world):
    values = {**world, "caller_id": 0}
    path = PREFIX[write.family] + write.path.format(**values)
    response = getattr(APIClient(), write.method.lower())(path, {}, format="json")
    assert response.status_code == 401, response.content[:300]


# --- the matrix covers every routed write ----------------------------------------------------------------------------


def _routed_writes() -> set[tuple[str, str, str]]:
    """(family, method, pattern) of every write operation the URL resolver routes under a family prefix."""
    found = set()

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern

    for route, pattern in walk(get_resolver().url_patterns):
        family = next((f for f, p in PREFIX.items() if route.startswith(p.lstrip("/"))), None)
        view = getattr(pattern.callback, "cls", None)
        if family is None or view is None or pattern.name == "unknown-path":
            continue
        actions = getattr(pattern.callback, "actions", None)
        methods = [m.upper() for m in actions] if actions else [m.upper() for m in view.http_method_names]
        for method in methods:
            if method in ("POST", "PUT", "PATCH", "DELETE") and (actions or hasattr(view, method.lower())):
                found.add((family, method, route.replace("^", "")))
    return found


def test_every_write_endpoint_is_in_the_matrix(world):
    from django.urls import resolve

    listed = set()
    for write in WRITES:
        values = {**world, "caller_id": 1}
        path = PREFIX[write.family] + write.path.format(**values)
        match = resolve(path)
        assert match.url_name != "unknown-path", f"{write.id} is not routed"
        listed.add((write.family, write.method, match.route.replace("^", "")))
    missing = sorted(_routed_writes() - listed)
    assert not missing, f"write endpoints without a row in WRITES: {missing}"
