"""POST/DELETE /teams/{uid}/icons (multipart `file`, Pillow: sm 256×256, lg ≤ 1736 wide) and GET /teams/{uid}/usage."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Membership, ServerEvent, Team

pytestmark = pytest.mark.django_db


def picture(width: int, height: int, fmt: str = "PNG", name: str = "pic.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 60)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def _icons_url(team) -> str:
    return f"/api/v3/teams/{team.uid}/icons"


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_upload_downscales_to_sm_and_lg(tada_client, team):
    response = tada_client.post(_icons_url(team), {"file": picture(3472, 2048)}, format="multipart")
    assert response.status_code == 200, response.content
    result = response.json()["result"]
    assert (result["sm"]["width"], result["sm"]["height"]) == (256, 256)
    assert (result["lg"]["width"], result["lg"]["height"]) == (1736, 1024)
    assert result["sm"]["url"].startswith("http://testserver/")
    team.refresh_from_db()
    with Image.open(team.icon_sm.path) as sm, Image.open(team.icon_lg.path) as lg:
        assert sm.size == (256, 256)
        assert lg.size == (1736, 1024)
        assert sm.format == lg.format == "JPEG"
    files = _media_files()
    assert len(files) == 2
    assert team.uploads_size == sum(f.stat().st_size for f in files)
    icons = tada_client.get(f"/api/v3/teams/{team.uid}").json()["result"]["icons"]
    assert icons["sm"] == result["sm"]
    assert icons["lg"] == result["lg"]
    assert "stub" in icons


def test_small_picture_is_not_enlarged(tada_client, team):
    result = tada_client.post(_icons_url(team), {"file": picture(300, 120, "JPEG", "a.jpg")}, format="multipart")
    lg = result.json()["result"]["lg"]
    assert (lg["width"], lg["height"]) == (300, 120)


def test_replacing_removes_the_old_files(tada_client, team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tada_client.post(_icons_url(team), {"file": picture(800, 600)}, format="multipart")
    first = _media_files()
    with django_capture_on_commit_callbacks(execute=True):
        tada_client.post(_icons_url(team), {"file": picture(400, 400)}, format="multipart")
    second = _media_files()
    assert len(second) == 2
    assert not set(first) & set(second)
    team.refresh_from_db()
    assert team.uploads_size == sum(f.stat().st_size for f in second)


def test_delete_removes_the_picture_and_returns_the_stub(tada_client, team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tada_client.post(_icons_url(team), {"file": picture(800, 600)}, format="multipart")
    with django_capture_on_commit_callbacks(execute=True):
        response = tada_client.delete(_icons_url(team))
    assert response.status_code == 200
    result = response.json()["result"]
    assert set(result) == {"stub"}
    assert result["stub"].endswith("/AC/256.png")
    assert _media_files() == []
    team.refresh_from_db()
    assert (team.icon_sm.name, team.icon_lg.name, team.uploads_size) == ("", "", 0)
    assert set(tada_client.get(f"/api/v3/teams/{team.uid}").json()["result"]["icons"]) == {"stub"}


def test_delete_without_picture_is_fine(tada_client, team):
    assert tada_client.delete(_icons_url(team) + "/").json()["result"]["stub"].endswith("/256.png")


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("notes.png", b"this is not a picture", content_type="image/png"),
        SimpleUploadedFile("cut.png", picture(50, 50).read()[:40], content_type="image/png"),
    ],
    ids=["text", "truncated"],
)
def test_non_image_is_400(tada_client, team, upload):
    response = tada_client.post(_icons_url(team), {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert "file" in response.json()["details"]
    assert _media_files() == []


def test_file_over_5_mb_is_400(tada_client, team):
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024), content_type="image/png")
    response = tada_client.post(_icons_url(team), {"file": big}, format="multipart")
    assert response.status_code == 400
    assert "5 MB" in response.json()["error"]
    team.refresh_from_db()
    assert team.uploads_size == 0


def test_missing_file_is_400(tada_client, team):
    response = tada_client.post(_icons_url(team), {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["details"]


def test_no_storage_left_is_400(tada_client, team):
    Team.objects.filter(pk=team.pk).update(uploads_size_limit=10)
    response = tada_client.post(_icons_url(team), {"file": picture(64, 64)}, format="multipart")
    assert response.status_code == 400
    assert _media_files() == []


@pytest.mark.parametrize("method", ["post", "delete"])
def test_member_may_not_change_the_picture(teammate_client, team, method):
    response = getattr(teammate_client, method)(_icons_url(team), {"file": picture(64, 64)}, format="multipart")
    assert response.status_code == 403
    assert response.json()["ok"] is False
    assert _media_files() == []


def test_admin_may_change_the_picture(teammate_client, teammate, team):
    Membership.objects.filter(team=team, user=teammate).update(status="admin")
    assert teammate_client.post(_icons_url(team), {"file": picture(64, 64)}, format="multipart").status_code == 200


@pytest.mark.parametrize("method", ["post", "delete"])
def test_another_teams_icons_are_404(tada_client, other_team, outsider, method):
    response = getattr(tada_client, method)(_icons_url(other_team), {"file": picture(64, 64)}, format="multipart")
    assert response.status_code == 404
    assert _media_files() == []


@pytest.mark.parametrize("method", ["post", "delete"])
def test_icons_unauthenticated_is_401(client, team, method):
    response = getattr(client, method)(_icons_url(team), {"file": picture(64, 64)}, format="multipart")
    assert response.status_code == 401


def test_icons_publish_no_event(tada_client, team):
    tada_client.post(_icons_url(team), {"file": picture(64, 64)}, format="multipart")
    assert not ServerEvent.objects.exists()


# --- usage -------------------------------------------------------------------------------------------------------


def test_usage_lists_every_month_since_creation(tada_client, team):
    created = datetime.datetime(2017, 10, 15, 12, tzinfo=datetime.UTC)
    Team.objects.filter(pk=team.pk).update(created_at=created, uploads_size=36025984, uploads_size_limit=108077952)
    response = tada_client.get(f"/api/v3/teams/{team.uid}/usage")
    assert response.status_code == 200
    result = response.json()["result"]
    assert result["uploads_size"] == 36025984
    assert result["uploads_size_limit"] == 108077952
    months = result["by_months"]
    assert months[0] == {"month": 10, "uploads_size": 0, "year": 2017}
    assert months[3] == {"month": 1, "uploads_size": 0, "year": 2018}
    today = datetime.date.today()
    assert (months[-1]["year"], months[-1]["month"]) == (today.year, today.month)
    assert len(months) == (today.year - 2017) * 12 + today.month - 10 + 1


def test_usage_of_a_new_team_has_one_month(tada_client, team):
    assert len(tada_client.get(f"/api/v3/teams/{team.uid}/usage/").json()["result"]["by_months"]) == 1


def test_usage_counts_the_picture(tada_client, team):
    tada_client.post(_icons_url(team), {"file": picture(640, 480)}, format="multipart")
    assert tada_client.get(f"/api/v3/teams/{team.uid}/usage").json()["result"]["uploads_size"] > 0


def test_usage_of_another_team_is_404(tada_client, other_team, outsider):
    assert tada_client.get(f"/api/v3/teams/{other_team.uid}/usage").status_code == 404


def test_usage_unauthenticated_is_401(client, team):
    assert client.get(f"/api/v3/teams/{team.uid}/usage").status_code == 401
