"""Management commands: create_api_key and seed_demo."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from accounts.models import ApiKey, Membership, Team, User, hash_secret
from messaging.models import TextAccount

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- create_api_key ---------------------------------------------------------------------------------------------------


def test_create_api_key_prints_only_the_key_made_by_the_owner(team, owner, teammate):
    out, _ = run("create_api_key", "--team", team.slug, "--name", "CI")
    lines = out.splitlines()
    assert len(lines) == 1
    plaintext = lines[0]
    assert plaintext.startswith(ApiKey.PREFIX)
    key = ApiKey.objects.get(key_hash=hash_secret(plaintext))
    assert key.team == team
    assert key.created_by == owner
    assert key.name == "CI"


def test_created_key_authenticates(team, owner):
    out, _ = run("create_api_key", "--team", team.slug)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {out.strip()}")
    assert api.get("/inbox/v3/companies/current").json()["id"] == str(team.uid)


def test_create_api_key_with_user(team, owner, teammate):
    Membership.objects.filter(team=team, user=teammate).update(is_manager=True)
    out, _ = run("create_api_key", "--team", team.slug, "--user", teammate.email.upper())
    assert ApiKey.objects.get(key_hash=hash_secret(out.strip())).created_by == teammate


def test_create_api_key_user_must_manage_the_team(team, owner, teammate):
    with pytest.raises(CommandError, match="does not manage team"):
        run("create_api_key", "--team", team.slug, "--user", teammate.email)
    assert not ApiKey.objects.exists()


def test_create_api_key_user_must_be_a_member(team, owner, outsider):
    with pytest.raises(CommandError, match="not an active member"):
        run("create_api_key", "--team", team.slug, "--user", outsider.email)
    assert not ApiKey.objects.exists()


def test_create_api_key_unknown_team(team, owner):
    with pytest.raises(CommandError, match="No team with slug 'nope'"):
        run("create_api_key", "--team", "nope")


def test_create_api_key_team_without_owner(team, teammate):
    with pytest.raises(CommandError, match="no owner"):
        run("create_api_key", "--team", team.slug)


def test_create_api_key_requires_team():
    with pytest.raises(CommandError):
        run("create_api_key")


# --- seed_demo --------------------------------------------------------------------------------------------------------


def test_seed_demo_first_run_creates_everything_and_prints_the_secrets(db):
    out, _ = run("seed_demo")
    team = Team.objects.get(slug="demo")
    assert team.name == "Demo Crew"
    owner = User.objects.get(email="owner@demo.crewdesk.local")
    assert owner.phone == "+79160000001"
    assert Membership.objects.get(team=team, user=owner).status == Membership.Status.OWNER
    members = Membership.objects.filter(team=team, status=Membership.Status.MEMBER)
    assert {"mike@demo.crewdesk.local", "mia@demo.crewdesk.local"} <= set(members.values_list("user__email", flat=True))
    assert TextAccount.objects.filter(team=team).count() == 1

    assert "owner@demo.crewdesk.local" in out
    password = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Password: "))
    assert owner.check_password(password)
    plaintext = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("API key: "))
    key = ApiKey.objects.get(key_hash=hash_secret(plaintext))
    assert key.team == team
    assert key.created_by == owner


def test_seed_demo_is_idempotent_and_prints_no_secret_again(db):
    first, _ = run("seed_demo")
    counts = (User.objects.count(), Membership.objects.count(), ApiKey.objects.count(), TextAccount.objects.count())
    second, _ = run("seed_demo")
    assert second.strip() == "Demo data already present."
    assert "Password" not in second
    assert ApiKey.PREFIX not in second
    assert counts == (
        User.objects.count(),
        Membership.objects.count(),
        ApiKey.objects.count(),
        TextAccount.objects.count(),
    )


def test_seed_demo_reuses_existing_demo_users(db):
    from tests.factories import UserFactory

    UserFactory(email="owner@demo.crewdesk.local", phone="+79160000001")
    out, _ = run("seed_demo")
    assert User.objects.filter(email="owner@demo.crewdesk.local").count() == 1
    password = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Password: "))
    assert User.objects.get(email="owner@demo.crewdesk.local").check_password(password)


def test_seed_demo_phone_taken_by_someone_else_is_a_command_error_and_writes_nothing(db):
    from tests.factories import UserFactory

    UserFactory(email="stranger@example.com", phone="+79160000002")
    with pytest.raises(CommandError, match="already"):
        run("seed_demo")
    assert not Team.objects.filter(slug="demo").exists()
    assert not User.objects.filter(email="owner@demo.crewdesk.local").exists()


def test_seed_demo_team_can_multicast_the_shift_reminder_at_once(db, django_capture_on_commit_callbacks):
    """README "Multicasts": the demo key sends `shift-reminder` to everyone; the demo people have verified phones."""
    import json

    from messaging import sms
    from messaging.models import IndividualGroup, MessageTemplate

    out, _ = run("seed_demo", "--no-schedule")
    assert "shift-reminder" in out
    team = Team.objects.get(slug="demo")
    assert {"shift-reminder", "schedule-published", "team-announcement"} <= set(
        MessageTemplate.objects.filter(team=team).values_list("template_id", flat=True)
    )
    assert IndividualGroup.objects.get(team=team).members.count() == 3
    plaintext = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("API key: "))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    body = {
        "data": {
            "type": "multicasts",
            "attributes": {
                "template-id": "shift-reminder",
                "data": {"start": "9:00"},
                "filter-type": "all-participants",
            },
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/courier/v1/multicasts/", json.dumps(body), content_type="application/vnd.api+json")
    assert response.status_code == 201, response.content
    assert sorted(m.to for m in sms.outbox) == ["+79160000001", "+79160000002", "+79160000003"]
    assert sms.outbox[0].body.startswith("Hi ")
