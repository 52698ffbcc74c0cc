"""credential_find: one hand-written query (core/db/rows.py) that must give what the ORM gives — the same rows,
the same field values and types — and the same active-membership rule as MembershipQuerySet.active()."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import ApiKey, AuthToken, Membership, Team, User
from accounts.services.credentials import api_key_create, auth_token_issue, credential_find
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def field_values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def assert_same_instance(found, expected):
    assert type(found) is type(expected)
    assert found._state.adding is False
    assert found._state.db == "default"
    for name, value in field_values(expected).items():
        assert getattr(found, name) == value, name
        assert type(getattr(found, name)) is type(value), name


def test_an_api_key_comes_with_its_maker_team_and_membership_in_one_query(team, owner):
    key, plaintext = api_key_create(team=team, created_by=owner, scopes=["CHANNEL"], allowed_ips=["10.0.0.1"])
    with CaptureQueriesContext(connection) as captured:
        found = credential_find(plaintext)
        user, key_team, membership = found.created_by, found.team, found.maker_membership
        assert (membership.user, membership.team) == (user, key_team)
    assert len(captured.captured_queries) == 1
    assert_same_instance(found, ApiKey.objects.get(pk=key.pk))
    assert_same_instance(user, User.objects.get(pk=owner.pk))
    assert_same_instance(key_team, Team.objects.get(pk=team.pk))
    assert_same_instance(membership, Membership.objects.get(team=team, user=owner))
    assert found.scopes == ["CHANNEL"]
    assert found.allowed_ips == ["10.0.0.1"]


def test_a_token_comes_with_its_user_in_one_query(owner):
    token, plaintext = auth_token_issue(user=owner)
    with CaptureQueriesContext(connection) as captured:
        found = credential_find(plaintext)
        user = found.user
    assert len(captured.captured_queries) == 1
    assert_same_instance(found, AuthToken.objects.get(pk=token.pk))
    assert_same_instance(user, User.objects.get(pk=owner.pk))


def test_a_saved_instance_updates_its_row(team, owner):
    """The instances are ordinary saved rows: saving one updates, it never inserts a copy."""
    _, plaintext = api_key_create(team=team, created_by=owner, name="before")
    found = credential_find(plaintext)
    found.name = "after"
    found.save(update_fields=["name"])
    assert list(ApiKey.objects.values_list("name", flat=True)) == ["after"]


@pytest.mark.parametrize("secret", ["", "cdk_unknown", "not-a-token"])
def test_unknown_secrets_find_nothing(secret, api_key, owner_token):
    assert credential_find(secret) is None


@pytest.mark.parametrize(
    ("is_active", "invitation_pending", "is_archived"), list(itertools.product([True, False], repeat=3))
)
def test_the_maker_membership_follows_the_active_rule(is_active, invitation_pending, is_archived):
    team = TeamFactory()
    maker = UserFactory()
    membership = MembershipFactory(team=team, user=maker, status=Membership.Status.OWNER)
    MembershipFactory(team=TeamFactory(), user=maker)  # an active membership elsewhere never stands in
    _, plaintext = api_key_create(team=team, created_by=maker)  # made while the maker manages the team
    Membership.objects.filter(pk=membership.pk).update(is_active=is_active, invitation_pending=invitation_pending)
    TeamFactory._meta.model.objects.filter(pk=team.pk).update(is_archived=is_archived)
    expected = Membership.objects.active().filter(team=team, user=maker).first()
    found = credential_find(plaintext).maker_membership
    assert (found and found.pk) == (expected and expected.pk)
    assert (found is None) == (not is_active or invitation_pending or is_archived)


def test_the_maker_membership_is_computed_when_the_key_was_loaded_otherwise(team, owner):
    key, _ = api_key_create(team=team, created_by=owner)
    assert ApiKey.objects.get(pk=key.pk).maker_membership == Membership.objects.get(team=team, user=owner)
