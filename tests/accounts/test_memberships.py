"""The one permission table (accounts.permissions) as enforced by the membership services."""

import pytest

from accounts.models import Membership
from accounts.permissions import contact_permissions, team_permissions
from accounts.services.memberships import membership_add, membership_change, membership_remove
from core.exceptions import PermissionDeniedError, ValidationFailed
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Membership.Status


@pytest.fixture
def crew(team):
    return {status: MembershipFactory(team=team, status=status) for status in (S.OWNER, S.ADMIN, S.MEMBER, S.GUEST)}


def test_owner_may_hand_out_every_status_admin_all_but_owner(crew):
    assert team_permissions(crew[S.OWNER]).changeable_statuses == ["guest", "member", "admin", "owner"]
    assert team_permissions(crew[S.ADMIN]).changeable_statuses == ["guest", "member", "admin"]
    assert team_permissions(crew[S.MEMBER]).changeable_statuses == []


def test_member_cannot_promote_themselves(crew):
    member = crew[S.MEMBER]
    with pytest.raises(PermissionDeniedError):
        membership_change(membership=member, by=member, status=S.ADMIN)
    member.refresh_from_db()
    assert member.status == S.MEMBER


def test_admin_cannot_touch_an_owner_or_make_owners(crew):
    with pytest.raises(PermissionDeniedError):
        membership_change(membership=crew[S.OWNER], by=crew[S.ADMIN], status=S.MEMBER)
    with pytest.raises(PermissionDeniedError):
        membership_change(membership=crew[S.MEMBER], by=crew[S.ADMIN], status=S.OWNER)
    assert membership_change(membership=crew[S.MEMBER], by=crew[S.ADMIN], status=S.ADMIN).status == S.ADMIN


def test_last_owner_can_be_neither_demoted_nor_removed(crew):
    owner = crew[S.OWNER]
    with pytest.raises(ValidationFailed):
        membership_change(membership=owner, by=owner, status=S.MEMBER)
    with pytest.raises(ValidationFailed):
        membership_remove(membership=owner, by=owner)
    membership_change(membership=crew[S.ADMIN], by=owner, status=S.OWNER)
    assert membership_change(membership=owner, by=owner, status=S.MEMBER).status == S.MEMBER


def test_contact_flags_follow_the_table(crew):
    owner_sees_member = contact_permissions(crew[S.OWNER], crew[S.MEMBER])
    assert owner_sees_member.can_delete is True
    assert "status" in owner_sees_member.changeable_fields
    member_sees_owner = contact_permissions(crew[S.MEMBER], crew[S.OWNER])
    assert member_sees_owner.can_delete is False
    assert member_sees_owner.changeable_fields == []
    member_self = contact_permissions(crew[S.MEMBER], crew[S.MEMBER])
    assert "status" not in member_self.changeable_fields
    assert "given_name" in member_self.changeable_fields
    assert "status" in contact_permissions(crew[S.OWNER], crew[S.OWNER]).changeable_fields


def test_removed_member_can_be_added_back(team):
    user = UserFactory()
    membership = membership_add(team=team, user=user)
    MembershipFactory(team=team, status=S.OWNER)
    membership_remove(membership=membership, by=None)
    assert membership_add(team=team, user=user, status=S.GUEST).is_active is True
