"""Tada /teams/{team_uid}/invitations: join links (create, list, get, delete = revoke) and their QR image."""

import io

import pytest
import qrcode
from PIL import Image

from accounts.models import Invitation, Membership
from accounts.services.invitations import invitation_accept, invitation_create_link
from api.tada.invitations import qr_join_value
from core.exceptions import ValidationFailed
from tests.factories import UserFactory
from tests.helpers import assert_tada_error as assert_error
from tests.helpers import user_client as client_for

pytestmark = pytest.mark.django_db


def url(team, suffix: str = "") -> str:
    return f"/api/v3/teams/{team.uid}/invitations{suffix}"


@pytest.fixture
def link(team, owner):
    return invitation_create_link(team=team, inviter=owner)


def pixels(png: bytes) -> bytes:
    return Image.open(io.BytesIO(png)).convert("L").tobytes()


def test_create_makes_a_link_invitation(tada_client, team, owner):
    response = tada_client.post(url(team), {}, format="json")
    assert response.status_code == 200, response.content
    result = response.json()["result"]
    assert set(result) == {"created", "qr", "token", "uid"}
    invitation = Invitation.objects.get(uid=result["uid"])
    assert invitation.kind == Invitation.Kind.LINK
    assert invitation.team == team
    assert invitation.inviter == owner
    assert invitation.status == Invitation.Status.PENDING
    assert result["token"] == invitation.token
    assert len(result["token"]) == 27
    assert result["qr"] == f"http://testserver/api/v3/teams/{team.uid}/invitations/{invitation.token}.png"
    assert result["created"].endswith("Z")


def test_qr_image_encodes_the_join_value(client, team, link):
    response = client.get(f"/api/v3/teams/{team.uid}/invitations/{link.token}.png", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    value = f"otv://qr-join/127.0.0.1%3A8000/{link.token}"
    assert qr_join_value("127.0.0.1:8000", link.token) == value
    expected = io.BytesIO()
    qrcode.make(value).save(expected, format="PNG")
    assert pixels(response.content) == pixels(expected.getvalue())


def test_qr_image_of_unknown_or_other_teams_token_is_404(client, team, other_team, link):
    assert_error(client.get(f"/api/v3/teams/{other_team.uid}/invitations/{link.token}.png"), 404)
    assert_error(client.get(f"/api/v3/teams/{team.uid}/invitations/nope.png"), 404)


def test_list_and_get(tada_client, team, link):
    response = tada_client.get(url(team))
    assert response.status_code == 200
    assert [i["uid"] for i in response.json()["result"]] == [str(link.uid)]
    response = tada_client.get(url(team, f"/{link.uid}/"))
    assert response.status_code == 200
    assert response.json()["result"]["token"] == link.token


def test_delete_revokes_so_the_link_no_longer_joins(tada_client, client, team, link):
    joiner = UserFactory()
    response = tada_client.delete(url(team, f"/{link.uid}"))
    assert response.status_code == 200
    assert response.json()["result"] is None
    link.refresh_from_db()
    assert link.status == Invitation.Status.REVOKED
    assert tada_client.get(url(team)).json()["result"] == []
    assert_error(tada_client.get(url(team, f"/{link.uid}")), 404)
    assert_error(tada_client.delete(url(team, f"/{link.uid}")), 404)
    assert_error(client.get(f"/api/v3/teams/{team.uid}/invitations/{link.token}.png"), 404)
    with pytest.raises(ValidationFailed):
        invitation_accept(invitation=link, user=joiner)
    assert not Membership.objects.filter(team=team, user=joiner).exists()


def test_a_live_link_joins_as_member_needing_confirmation(team, link):
    joiner = UserFactory()
    invitation_accept(invitation=link, user=joiner)
    membership = Membership.objects.get(team=team, user=joiner)
    assert membership.status == Membership.Status.MEMBER
    assert membership.need_confirmation
    assert membership.invited_by == link.inviter
    link.refresh_from_db()
    assert link.status == Invitation.Status.PENDING  # reusable until revoked


def test_malformed_body_is_400_in_envelope(tada_client, team):
    response = tada_client.post(url(team), "{not json", content_type="application/json")
    assert_error(response, 400)
    assert not Invitation.objects.exists()


def test_unauthenticated_is_401(client, team, link):
    assert_error(client.get(url(team)), 401)
    assert_error(client.post(url(team), {}, format="json"), 401)
    assert_error(client.delete(url(team, f"/{link.uid}")), 401)


def test_plain_members_are_refused(team, teammate, link):
    member = client_for(teammate)
    assert_error(member.get(url(team)), 403)
    assert_error(member.post(url(team), {}, format="json"), 403)
    assert_error(member.get(url(team, f"/{link.uid}")), 403)
    assert_error(member.delete(url(team, f"/{link.uid}")), 403)
    link.refresh_from_db()
    assert link.status == Invitation.Status.PENDING


def test_another_teams_uid_and_objects_are_404(tada_client, team, other_team, outsider):
    theirs = invitation_create_link(team=other_team, inviter=outsider)
    assert_error(tada_client.get(url(other_team)), 404)
    assert_error(tada_client.post(url(other_team), {}, format="json"), 404)
    assert_error(tada_client.get(url(team, f"/{theirs.uid}")), 404)
    assert_error(tada_client.delete(url(team, f"/{theirs.uid}")), 404)
    theirs.refresh_from_db()
    assert theirs.status == Invitation.Status.PENDING


def test_personal_invitations_are_not_listed(tada_client, team, owner, teammate):
    Invitation.objects.create(kind=Invitation.Kind.PERSONAL, team=team, inviter=owner, phone="+79160000000")
    assert tada_client.get(url(team)).json()["result"] == []


@pytest.mark.parametrize("count", [1, 8])
def test_list_query_count_is_constant(tada_client, team, owner, count, django_assert_max_num_queries):
    for _ in range(count):
        invitation_create_link(team=team, inviter=owner)
    with django_assert_max_num_queries(7):
        response = tada_client.get(url(team))
    assert len(response.json()["result"]) == count


def test_teams_join_refuses_a_revoked_link(tada_client, team, link):
    joiner = UserFactory()
    tada_client.delete(url(team, f"/{link.uid}"))
    response = client_for(joiner).post("/api/v3/teams/join", {"token": link.token}, format="json")
    assert response.status_code >= 400
    assert response.json()["ok"] is False
    assert not Membership.objects.filter(team=team, user=joiner).exists()
