"""Calls for the tommy account, team and team-member samples, merged into CALLS of test_tommy_contract.py (kept
apart so that each helper edits only its own block). Every call fills the documented fields first, so that no
field is legitimately null (team picture, phone and email; the member's labels)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Contact, Membership
from tests.factories import UserFactory


def _png(name: str = "t.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _membership(ctx) -> Membership:
    membership = Membership.objects.select_related("team").filter(user=ctx["owner"]).first()
    membership.roles, membership.locations, membership.tags = ["Chef"], ["Downtown"], ["night"]
    membership.save()
    return membership


def _dressed_team(ctx):
    """The owner's team with a picture, an email and a phone."""
    team = _membership(ctx).team
    body = {"email": "ops@example.com", "phone": "+12025550100", "photo": _png()}
    assert ctx["tommy_client"].put("/api/v1/team", body, format="multipart").status_code == 200
    team.refresh_from_db()
    return team


def _as_team_member(ctx):
    membership = _membership(ctx)
    query = f"current_account_type=TeamMember&current_account_id={membership.pk}"
    assert ctx["tommy_client"].put(f"/api/v1/me/current_account?{query}").status_code == 200
    return membership


def call_accounts_search(ctx):
    team = _dressed_team(ctx)
    return ctx["tommy_client"].get("/api/v1/accounts/search", {"term": team.slug})


def call_me_accounts(ctx):
    _as_team_member(ctx)
    return ctx["tommy_client"].get("/api/v1/me/accounts")


def call_get_current_account(ctx):
    _as_team_member(ctx)
    return ctx["tommy_client"].get("/api/v1/me/current_account")


def call_put_current_account(ctx):
    membership = _membership(ctx)
    query = f"current_account_type=TeamMember&current_account_id={membership.pk}"
    return ctx["tommy_client"].put(f"/api/v1/me/current_account?{query}")


def call_users_search(ctx):
    return ctx["tommy_client"].get("/api/v1/users/search", {"term": ctx["owner"].phone})


def call_post_teams(ctx):
    body = {"name": "Operations", "email": "ops@example.com", "phone": "+12025550100", "photo": _png()}
    return ctx["tommy_client"].post("/api/v1/teams", body, format="multipart")


def call_get_team(ctx):
    _dressed_team(ctx)
    return ctx["tommy_client"].get("/api/v1/team")


def call_put_team(ctx):
    _dressed_team(ctx)
    return ctx["tommy_client"].put("/api/v1/team", {"name": "Operations"}, format="json")


def call_team_members(ctx):
    _membership(ctx)
    return ctx["tommy_client"].get("/api/v1/team/members")


def call_team_member(ctx):
    _membership(ctx)
    return ctx["tommy_client"].get(f"/api/v1/team/members/{ctx['owner'].pk}")


def call_put_team_member(ctx):
    _membership(ctx)
    body = {"favorite": True, "roles": ["Chef"], "locations": ["Downtown"], "tags": ["night"]}
    return ctx["tommy_client"].put(f"/api/v1/team/members/{ctx['owner'].pk}", body, format="json")


def call_invite_team_member(ctx):
    """Invite one of the owner's contacts (someone with a complete profile) by user id."""
    _membership(ctx)
    friend = UserFactory(avatar=_png("f.png"))
    # A contact of the team: the client is the team's API key, which acts for the team (issue 8).
    team = ctx["owner"].memberships.get().team
    Contact.objects.create(owner=ctx["owner"], team=team, friend=friend, status=Contact.Status.ACCEPTED)
    body = {"user_id": friend.pk, "roles": ["Chef"], "locations": ["Downtown"], "tags": ["night"]}
    with ctx["captured"](execute=True):
        return ctx["tommy_client"].post("/api/v1/team/members/invite", body, format="json")


def call_team_by_slug(ctx):
    team = _dressed_team(ctx)
    return ctx["tommy_client"].get(f"/api/v1/teams/{team.slug}")


# PATCH /team/features documents its answer as "Updated team features", not a "… response", so the contract test
# does not check it; tests/tommy/test_team_api.py asserts its {"features": {13 booleans}} shape.
TEAM_CALLS = {
    ("GET", "/accounts/search"): (call_accounts_search, 200),
    ("GET", "/me/accounts"): (call_me_accounts, 200),
    ("GET", "/me/current_account"): (call_get_current_account, 200),
    ("PUT", "/me/current_account"): (call_put_current_account, 200),
    ("GET", "/users/search"): (call_users_search, 200),
    ("POST", "/teams"): (call_post_teams, 201),
    ("GET", "/team"): (call_get_team, 200),
    ("PUT", "/team"): (call_put_team, 200),
    ("GET", "/team/members"): (call_team_members, 200),
    ("GET", "/team/members/{user_id}"): (call_team_member, 200),
    ("PUT", "/team/members/{user_id}"): (call_put_team_member, 200),
    ("POST", "/team/members/invite"): (call_invite_team_member, 201),
    ("GET", "/teams/{id}"): (call_team_by_slug, 200),
}
