"""The README promises an OpenAPI schema and a Swagger UI per family: both must render (no server needed)."""

import pytest

FAMILIES = ["tommy", "courier", "inbox", "tada"]


@pytest.mark.django_db
@pytest.mark.parametrize("family", FAMILIES)
def test_family_openapi_schema_renders(client, family):
    response = client.get(f"/api/schema/{family}/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200, response.content[:500]
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["paths"], f"{family} schema lists no paths"


@pytest.mark.django_db
@pytest.mark.parametrize("family", FAMILIES)
def test_family_swagger_ui_answers(client, family):
    response = client.get(f"/api/docs/{family}/")

    assert response.status_code == 200
    assert f"/api/schema/{family}/".encode() in response.content
