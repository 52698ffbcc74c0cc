"""POST /teams/join {token}: join the team of a pending link invitation; the reduced Team shape answers."""

import pytest

from accounts.models import Invitation, Membership, ServerEvent

pytestmark = pytest.mark.django_db

URL = "/api/v3/teams/join"
JOIN_KEYS = {
    "uid", "name", "icons", "me", "can_manage_sections", "default_task_deadline", "last_active", "need_confirmation",
    "max_message_update_age", "unread",
}  # fmt: skip


@pytest.fixture
def link(team, owner):
    return Invitation.objects.create(kind=Invitation.Kind.LINK, inviter=owner, team=team)


def test_join_adds_a_member_needing_confirmation(outsider_client, outsider, owner, team, link):
    response = outsider_client.post(URL, {"token": link.token}, format="json")
    assert response.status_code == 200, response.content
    result = response.json()["result"]
    assert set(result) == JOIN_KEYS
    assert result["uid"] == str(team.uid)
    assert result["need_confirmation"] is True
    assert result["me"]["status"] == "member"
    assert result["me"]["jid"] == f"d-{outsider.uid}"
    assert "status" not in result["me"]["changeable_fields"]
    membership = Membership.objects.get(team=team, user=outsider)
    assert (membership.status, membership.need_confirmation, membership.invited_by) == ("member", True, owner)
    link.refresh_from_db()
    assert link.status == Invitation.Status.PENDING  # a link is reusable
    assert str(team.uid) in [t["uid"] for t in outsider_client.get("/api/v3/teams").json()["result"]]
    assert outsider_client.get(f"/api/v3/teams/{team.uid}").status_code == 200


def test_join_path_with_trailing_slash(outsider_client, link):
    assert outsider_client.post(URL + "/", {"token": link.token}, format="json").status_code == 200


def test_joining_twice_changes_nothing(outsider_client, outsider, team, link):
    outsider_client.post(URL, {"token": link.token}, format="json")
    Membership.objects.filter(team=team, user=outsider).update(need_confirmation=False)
    result = outsider_client.post(URL, {"token": link.token}, format="json").json()["result"]
    assert result["need_confirmation"] is False
    assert Membership.objects.filter(team=team, user=outsider).count() == 1


def test_existing_owner_keeps_their_status(tada_client, link):
    assert tada_client.post(URL, {"token": link.token}, format="json").json()["result"]["me"]["status"] == "owner"


def test_link_never_grants_more_than_member(outsider_client, outsider, team, link):
    link.membership_status = "owner"
    link.save()
    outsider_client.post(URL, {"token": link.token}, format="json")
    assert Membership.objects.get(team=team, user=outsider).status == "member"


def test_link_may_grant_guest(outsider_client, outsider, team, link):
    link.membership_status = "guest"
    link.save()
    assert outsider_client.post(URL, {"token": link.token}, format="json").json()["result"]["me"]["status"] == "guest"


@pytest.mark.parametrize(
    "spoil",
    [
        lambda inv: setattr(inv, "status", Invitation.Status.REVOKED),
        lambda inv: setattr(inv, "kind", Invitation.Kind.PERSONAL),
        lambda inv: setattr(inv.team, "is_archived", True) or inv.team.save(),
    ],
    ids=["revoked", "personal", "archived-team"],
)
def test_unusable_invitation_is_404(outsider_client, outsider, team, link, spoil):
    spoil(link)
    link.save()
    response = outsider_client.post(URL, {"token": link.token}, format="json")
    assert response.status_code == 404
    assert response.json()["ok"] is False
    assert not Membership.objects.filter(team=team, user=outsider).exists()


def test_unknown_token_is_404(outsider_client):
    response = outsider_client.post(URL, {"token": "_GPHfNsbkxiCR3jKq3CyESw8MMw"}, format="json")
    assert response.status_code == 404
    assert response.json()["ok"] is False


@pytest.mark.parametrize("body", [{}, {"token": ""}, {"token": "x" * 65}])
def test_missing_token_is_400(outsider_client, body):
    response = outsider_client.post(URL, body, format="json")
    assert response.status_code == 400
    assert "token" in response.json()["details"]


def test_unauthenticated_is_401(client, link):
    response = client.post(URL, {"token": link.token}, format="json")
    assert response.status_code == 401
    assert response.json()["ok"] is False
    assert Membership.objects.filter(team=link.team).count() == 1


def test_join_publishes_no_event(outsider_client, link):
    outsider_client.post(URL, {"token": link.token}, format="json")
    assert not ServerEvent.objects.exists()
