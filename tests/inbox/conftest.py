import pytest
from rest_framework.test import APIClient


@pytest.fixture
def token_client(owner_token):
    """`Authorization: Bearer <user token>`: inbox reads either credential kind (DESIGN.md §1)."""
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {owner_token}")
    return c
