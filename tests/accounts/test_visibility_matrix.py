"""Who sees whom (issue 8, item 1): every endpoint that returns or changes person data, as every kind of viewer.

The subject Pat is a member of the Crew team. Viewers: a teammate (member of Crew), an accepted contact of Pat's
(no shared team), a stranger (another team's owner, no relation), the Crew team's API key, and the stranger
team's API key. A person's contact details (email, phone, last seen) must reach exactly the viewers the rule in
accounts/visibility.py names; everything else a stranger gets must look as if Pat were not on Crewdesk.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Membership, Setting
from accounts.services.contacts import contact_connect
from accounts.services.credentials import api_key_create
from accounts.visibility import CONTACT_DETAILS_SETTING, MANAGERS
from messaging import sms
from tests.factories import DeviceFactory, MembershipFactory, TeamFactory, UserFactory
from tests.helpers import user_client

pytestmark = pytest.mark.django_db

UNKNOWN_ID = 987_654_321
UNKNOWN_PHONE = "+79165559999"
VIEWERS = ("stranger", "stranger_key", "teammate", "contact", "team_key")


@dataclass
class World:
    pat: object
    seen: datetime.datetime
    team: object
    users: dict  # viewer name → acting user
    clients: dict  # viewer name → APIClient

    @property
    def secrets(self) -> dict:
        return {
            "email": self.pat.email,
            "phone": self.pat.phone,
            "seen": self.seen.strftime("%Y-%m-%dT%H:%M:%S"),
        }


def _key_client(team, maker) -> APIClient:
    key = api_key_create(team=team, created_by=maker, name="matrix")[1]
    c = APIClient()
    c.credentials(HTTP_API_KEY=key, HTTP_AUTHORIZATION=f"Bearer {key}")
    return c


@pytest.fixture
def world(db) -> World:
    crew = TeamFactory(name="Crew")
    boss = UserFactory(first_name="Bo", last_name="Boss")
    MembershipFactory(team=crew, user=boss, status=Membership.Status.OWNER, is_manager=True)
    seen = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=1)
    pat = UserFactory(first_name="Pat", last_name="Person", email="pat@example.com", phone="+79165550001")
    pat.last_seen_at = seen
    pat.save()
    MembershipFactory(team=crew, user=pat)
    teammate = UserFactory(first_name="Tea", last_name="Mate")
    MembershipFactory(team=crew, user=teammate)
    contact = UserFactory(first_name="Con", last_name="Tact")
    MembershipFactory(team=TeamFactory(name="Contact's own"), user=contact, status=Membership.Status.OWNER)
    contact_connect(owner=contact, friend=pat)
    stranger = UserFactory(first_name="Stan", last_name="Ger")
    elsewhere = TeamFactory(name="Elsewhere")
    MembershipFactory(team=elsewhere, user=stranger, status=Membership.Status.OWNER, is_manager=True)
    users = {"stranger": stranger, "stranger_key": stranger, "teammate": teammate, "contact": contact, "team_key": boss}
    clients = {
        "stranger": user_client(stranger),
        "stranger_key": _key_client(elsewhere, stranger),
        "teammate": user_client(teammate),
        "contact": user_client(contact),
        "team_key": _key_client(crew, boss),
    }
    return World(pat=pat, seen=seen, team=crew, users=users, clients=clients)


# --- probes: one call each, and which of Pat's details the caller did not send itself --------------------------


def users_detail(c, w, viewer):
    return c.get(f"/api/v1/users/{w.pat.pk}"), ("email", "phone", "seen")


def users_search(c, w, viewer):
    return c.get("/api/v1/users/search", {"term": w.pat.phone}), ("email", "seen")


def accounts_search(c, w, viewer):
    return c.get("/api/v1/accounts/search", {"term": w.pat.slug}), ("email", "phone", "seen")


def contacts_create(c, w, viewer):
    return c.post("/api/v1/contacts", {"mobile": w.pat.phone, "first_name": "Typed"}, format="json"), ("email", "seen")


def contacts_import(c, w, viewer):
    body = [{"first_name": "Typed", "email": w.pat.email}]
    return c.post("/api/v1/contacts/import", body, format="json"), ("phone", "seen")


def invitations_by_id(c, w, viewer):
    return c.post("/api/v1/invitations", {"friend_id": w.pat.pk}, format="json"), ("email", "phone", "seen")


def invitations_by_mobile(c, w, viewer):
    return c.post("/api/v1/invitations", {"mobile": w.pat.phone}, format="json"), ("email", "seen")


def team_members(c, w, viewer):
    return c.get("/api/v1/team/members"), ("email", "phone", "seen")


def team_member(c, w, viewer):
    return c.get(f"/api/v1/team/members/{w.pat.pk}"), ("email", "phone", "seen")


def workforce_employees(c, w, viewer):
    return c.get("/api/v1/workforce/manager/employees"), ("email", "phone", "seen")


def tada_team_create(c, w, viewer):
    body = {"name": "New crew", "contacts": [{"phone": w.pat.phone, "given_name": "Typed"}]}
    return c.post("/api/v3/teams", body, format="json"), ("email", "seen")


def tada_me(c, w, viewer):
    return c.get("/api/v3/me"), ("email", "phone", "seen")


def tada_address_book(c, w, viewer):
    device = DeviceFactory(user=w.users[viewer])
    body = {"contacts": [{"name": "Typed", "phones": [w.pat.phone]}]}
    return c.put(f"/api/v3/devices/{device.device_id}/address-book", body, format="json"), ("email", "seen")


def inbox_agents(c, w, viewer):
    return c.get("/inbox/v3/companies/current/agents"), ("email", "phone", "seen")


def inbox_agent(c, w, viewer):
    response = c.get(f"/inbox/v3/companies/current/agents/{w.pat.email}")
    # The email is in the path: what must not come back is the agent itself (its presence is last-seen).
    return response, ("seen",) if response.status_code != 200 else ("email",)


DETAILS = {"teammate", "contact", "team_key"}
TEAM = {"teammate", "team_key"}
# probe → the viewers who must see Pat's details through it (everyone else must see none of them).
MATRIX = {
    users_detail: DETAILS,
    users_search: DETAILS,
    accounts_search: DETAILS,
    contacts_create: {"teammate", "team_key"},  # Pat is already the contact's contact: 422
    contacts_import: DETAILS,
    invitations_by_id: {"teammate", "contact"},  # the team key invites to Crew, where Pat already is: 422
    invitations_by_mobile: {"teammate", "contact"},
    team_members: TEAM,
    team_member: TEAM,
    workforce_employees: {"team_key"},  # a manager's list; the teammate is a plain member (403)
    tada_team_create: DETAILS,
    tada_me: set(),  # one's own record only
    tada_address_book: set(),  # documented discovery: names and the phone sent, never more
    inbox_agents: TEAM,
    inbox_agent: TEAM,
}
CASES = [pytest.param(probe, viewer, id=f"{probe.__name__}-{viewer}") for probe in MATRIX for viewer in VIEWERS]


def _revealed(response, world, checked) -> set[str]:
    body = response.content.decode()
    return {name for name in checked if world.secrets[name] in body}


@pytest.mark.parametrize(("probe", "viewer"), CASES)
def test_who_sees_pats_contact_details(world, probe, viewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response, checked = probe(world.clients[viewer], world, viewer)
    assert response.status_code < 500, response.content
    revealed = _revealed(response, world, checked)
    if viewer in MATRIX[probe]:
        assert response.status_code < 300, response.content
        assert revealed, f"{viewer} should see Pat's details through {probe.__name__}"
    else:
        assert not revealed, f"{viewer} learnt {revealed} through {probe.__name__}: {response.content[:300]}"
    if viewer not in MATRIX[probe] and viewer.startswith("stranger"):
        assert world.pat.phone not in [m.to for m in sms.outbox] or probe in SENDS_TO_WHAT_WAS_SENT


# Calls that text the number the caller typed (an invitation to a phone): allowed, budgeted, and the same for a
# number nobody has.
SENDS_TO_WHAT_WAS_SENT = {contacts_create, invitations_by_mobile, tada_team_create}


# --- the team's `contact_details` setting ----------------------------------------------------------------------


@pytest.mark.parametrize("probe", [users_detail, team_members, team_member, inbox_agents])
def test_a_team_can_keep_members_details_to_its_managers(world, probe):
    Setting.objects.create(team=world.team, name=CONTACT_DETAILS_SETTING, data=MANAGERS)
    as_teammate, checked = probe(world.clients["teammate"], world, "teammate")
    assert as_teammate.status_code < 500
    assert not _revealed(as_teammate, world, checked)
    as_manager, _ = probe(world.clients["team_key"], world, "team_key")
    assert _revealed(as_manager, world, checked)


def test_the_public_profile_stays_visible_to_teammates_when_details_are_managers_only(world):
    Setting.objects.create(team=world.team, name=CONTACT_DETAILS_SETTING, data=MANAGERS)
    body = world.clients["teammate"].get(f"/api/v1/users/{world.pat.pk}").json()
    assert (body["first_name"], body["email"], body["mobile"], body["dob"]) == ("Pat", None, None, None)


def test_the_setting_takes_only_known_values(world):
    response = world.clients["team_key"].put(
        f"/api/v1/team/settings/{CONTACT_DETAILS_SETTING}", {"data": "manager"}, format="json"
    )
    assert response.status_code == 422, response.content
    assert "data" in response.json()["details"]


# --- a stranger's id answers exactly as an unknown id -----------------------------------------------------------


ID_CALLS = {
    "GET /users/{id}": lambda c, pk: c.get(f"/api/v1/users/{pk}"),
    "POST /invitations friend_id": lambda c, pk: c.post("/api/v1/invitations", {"friend_id": pk}, format="json"),
    "POST /invitations invitee_id": lambda c, pk: c.post("/api/v1/invitations", {"invitee_id": pk}, format="json"),
    "GET /contacts/{id}": lambda c, pk: c.get(f"/api/v1/contacts/{pk}"),
    "POST /contacts/{id}/add": lambda c, pk: c.post(f"/api/v1/contacts/{pk}/add", {}, format="json"),
    "POST /contacts/{id}/invite": lambda c, pk: c.post(f"/api/v1/contacts/{pk}/invite", {}, format="json"),
    "POST /contacts/{id}/accept": lambda c, pk: c.post(f"/api/v1/contacts/{pk}/accept", {}, format="json"),
    "GET /team/members/{id}": lambda c, pk: c.get(f"/api/v1/team/members/{pk}"),
    "PUT /team/members/{id}": lambda c, pk: c.put(f"/api/v1/team/members/{pk}", {"tags": ["x"]}, format="json"),
    "POST /team/members/invite": lambda c, pk: c.post("/api/v1/team/members/invite", {"user_id": pk}, format="json"),
    "GET /workforce/manager/employees/{id}": lambda c, pk: c.get(f"/api/v1/workforce/manager/employees/{pk}"),
    "POST /workforce/manager/shifts": lambda c, pk: c.post(
        "/api/v1/workforce/manager/shifts",
        {"start_at": "2031-01-01T09:00:00Z", "end_at": "2031-01-01T17:00:00Z", "assignee_id": pk},
        format="json",
    ),
}


def _comparable(response) -> tuple:
    body = response.json()
    if isinstance(body, dict):
        body = {k: v for k, v in body.items() if k not in ("request_id", "_time")}
    return response.status_code, body


@pytest.mark.parametrize("viewer", ["stranger", "stranger_key"])
@pytest.mark.parametrize("call", list(ID_CALLS), ids=list(ID_CALLS))
def test_a_strangers_id_answers_as_an_unknown_id(world, viewer, call, django_capture_on_commit_callbacks):
    client = world.clients[viewer]
    with django_capture_on_commit_callbacks(execute=True):
        strangers = ID_CALLS[call](client, world.pat.pk)
        unknown = ID_CALLS[call](client, UNKNOWN_ID)
    assert strangers.status_code >= 400, strangers.content
    assert _comparable(strangers) == _comparable(unknown)
    assert sms.outbox == []


# --- lookups by phone or email of a stranger look like lookups of nobody -----------------------------------------


def _without_ids(data: dict, phone: str) -> dict:
    return {k: (None if v == phone else v) for k, v in data.items() if k not in ("id", "friend_id", "token", "link")}


def test_adding_a_strangers_mobile_looks_like_adding_a_number_nobody_has(world):
    client = world.clients["stranger"]
    known = client.post("/api/v1/contacts", {"mobile": world.pat.phone, "first_name": "Typed"}, format="json")
    nobody = client.post("/api/v1/contacts", {"mobile": UNKNOWN_PHONE, "first_name": "Typed"}, format="json")
    assert known.status_code == nobody.status_code == 201
    assert _without_ids(known.json(), world.pat.phone) == _without_ids(nobody.json(), UNKNOWN_PHONE)


def test_inviting_a_strangers_mobile_looks_like_inviting_a_number_nobody_has(world):
    client = world.clients["stranger"]
    known = client.post("/api/v1/invitations", {"mobile": world.pat.phone}, format="json").json()
    nobody = client.post("/api/v1/invitations", {"mobile": UNKNOWN_PHONE}, format="json").json()
    for body, phone in ((known, world.pat.phone), (nobody, UNKNOWN_PHONE)):
        body["contact"] = _without_ids(body["contact"], phone)
    assert _without_ids(known, world.pat.phone) | {"sent_at": None} == _without_ids(nobody, UNKNOWN_PHONE) | {
        "sent_at": None
    }
