"""A manager's invitation grants nothing until the invitee accepts it."""

import pytest

from accounts.models import Invitation, Membership
from tests.factories import UserFactory
from tests.helpers import user_client as client_for

pytestmark = pytest.mark.django_db


def test_invited_member_sees_the_team_only_after_accepting(tommy_client, team):
    invitee = UserFactory(phone="+79160005555")
    response = tommy_client.post(
        "/api/v1/team/members/invite", {"mobile": "+79160005555", "user_id": 0, "team_id": team.pk}, format="json"
    )
    assert response.status_code in (200, 201), response.content
    membership = Membership.objects.get(team=team, user=invitee)
    assert membership.invitation_pending is True

    as_invitee = client_for(invitee)
    assert as_invitee.get("/api/v3/teams").json()["result"] == []
    assert as_invitee.get("/inbox/v3/companies").json() == []

    invitation = Invitation.objects.get(team=team, invitee=invitee)
    accepted = as_invitee.get(f"/api/v1/invitations/{invitation.token}/accept")
    assert accepted.status_code == 200, accepted.content

    membership.refresh_from_db()
    assert membership.invitation_pending is False
    assert [t["uid"] for t in client_for(invitee).get("/api/v3/teams").json()["result"]] == [str(team.uid)]
