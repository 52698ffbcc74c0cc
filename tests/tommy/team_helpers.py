"""Helpers for the tommy account/team test modules (fixtures owner_client, member_client, outsider_client live in
tests/tommy/conftest.py)."""

from tests.helpers import user_client as token_client  # noqa: F401  (acts in all the user's teams)
