"""Fixtures for the tommy accounts endpoints: HTTP Basic clients and an in-memory image upload."""

import base64
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

PASSWORD = "correct-horse-battery-staple"  # tests/factories.py UserFactory


def basic_client(user, password: str = PASSWORD) -> APIClient:
    c = APIClient()
    raw = base64.b64encode(f"{user.email}:{password}".encode()).decode()
    c.credentials(HTTP_AUTHORIZATION=f"Basic {raw}")
    return c


@pytest.fixture
def owner_basic(owner):
    return basic_client(owner)


@pytest.fixture
def outsider_basic(outsider):
    return basic_client(outsider)


def png_upload(name: str = "me.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def png():
    return png_upload()


@pytest.fixture
def owner_client(owner):
    """The owner with a user token (`token` header): acts in all the owner's teams, current account respected."""
    from tests.tommy.team_helpers import token_client

    return token_client(owner)


@pytest.fixture
def member_client(teammate):
    from tests.tommy.team_helpers import token_client

    return token_client(teammate)


@pytest.fixture
def outsider_client(outsider):
    from tests.tommy.team_helpers import token_client

    return token_client(outsider)
