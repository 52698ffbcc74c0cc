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


def _schema(client, family: str) -> dict:
    return client.get(f"/api/schema/{family}/?format=json").json()


def _resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_tada_documents_its_envelope_around_every_json_result(client):
    """The renderer wraps each success in {_time, ok, result}; the schema says so (it described bare results)."""
    document = _schema(client, "tada")
    ping = document["paths"]["/api/v3/ping"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ping["required"] == ["_time", "ok", "result"]
    assert ping["properties"]["result"] == {"type": "string"}
    checked = 0
    for operations in document["paths"].values():
        for operation in operations.values():
            for code, response in operation["responses"].items():
                content = response.get("content", {}).get("application/json")
                if code.startswith("2") and content:
                    assert set(content["schema"]["properties"]) == {"_time", "ok", "result"}
                    checked += 1
    assert checked > 30


def test_tada_answers_match_the_documented_envelope(tada_client, client):
    body = tada_client.get("/api/v3/teams/").json()
    document = _schema(client, "tada")
    schema = document["paths"]["/api/v3/teams"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(schema["required"]) <= set(body)
    assert schema["properties"]["result"]["type"] == "array"
    assert isinstance(body["result"], list)


def test_courier_documents_jsonapi_documents_with_dasherized_attributes(client, bearer_client):
    document = _schema(client, "courier")
    responses = document["paths"]["/courier/v1/text-accounts/"]
    listed = responses["get"]["responses"]["200"]["content"]["application/vnd.api+json"]["schema"]
    resource = _resolve(listed["properties"]["data"]["items"], document)
    assert resource["required"] == ["type", "id", "attributes"]
    attributes = resource["properties"]["attributes"]["properties"]
    assert "allow-custom-number" in attributes
    assert "id" not in attributes
    created = responses["post"]["responses"]["201"]["content"]["application/vnd.api+json"]["schema"]
    assert _resolve(created["properties"]["data"], document) == resource
    assert "ModelSerializer" not in resource["description"]
    # and a real answer has that shape
    body = bearer_client.get("/courier/v1/text-accounts").json()
    assert isinstance(body["data"], list)


def test_a_contact_id_is_nullable_as_an_invitation_sends_it(client):
    """An invitation's `contact` describes whom it went to before any contact row exists (id null)."""
    contact = _schema(client, "tommy")["components"]["schemas"]["Contact"]
    assert contact["properties"]["id"]["nullable"] is True
