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
