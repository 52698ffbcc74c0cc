"""Each family publishes its own OpenAPI document and a Swagger UI served from local (sidecar) assets."""

import pytest

pytestmark = pytest.mark.django_db

PREFIXES = {"tommy": "/api/v1/", "courier": "/courier/v1/", "inbox": "/inbox/v3/", "tada": "/api/v3/"}


@pytest.mark.parametrize(("family", "prefix"), PREFIXES.items())
def test_schema_lists_only_that_familys_paths(client, family, prefix):
    response = client.get(f"/api/schema/{family}/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert paths, f"{family} schema has no paths"
    assert all(path.startswith(prefix) for path in paths)


@pytest.mark.parametrize("family", PREFIXES)
def test_swagger_ui_uses_local_assets(client, family):
    response = client.get(f"/api/docs/{family}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/api/schema/{family}/" in html
    assert "drf_spectacular_sidecar" in html
    assert "cdn.jsdelivr" not in html
