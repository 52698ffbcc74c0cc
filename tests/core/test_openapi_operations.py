"""Every operation of the four documents says what it takes and what it answers, as the servers really do: request
bodies (courier's as JSON:API documents), the success status, and its errors in the family's own envelope."""

import pytest

from tests.courier.conftest import JSONAPI, document
from tests.factories import DeviceFactory
from tests.openapi import FAMILY_PREFIXES, assert_documented, family_document

pytestmark = pytest.mark.django_db

ERROR_COMPONENTS = {"tommy": "TommyError", "courier": "CourierErrors", "inbox": "InboxError", "tada": "TadaError"}
VALIDATION = {"tommy": "422", "courier": "400", "inbox": "400", "tada": "400"}
METHODS = ("get", "post", "put", "patch", "delete")


def _resolve(schema: dict, doc: dict) -> dict:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _operations(family: str):
    for path, operations in family_document(family)["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                yield path, method, operation


def _request_resource(family: str, path: str, method: str) -> dict:
    doc = family_document(family)
    body = doc["paths"][path][method]["requestBody"]
    assert body["required"] is True
    schema = _resolve(body["content"]["application/vnd.api+json"]["schema"], doc)
    assert body["content"]["application/json"]["schema"] == body["content"]["application/vnd.api+json"]["schema"]
    return schema["properties"]["data"]


@pytest.mark.parametrize("family", FAMILY_PREFIXES)
def test_every_operation_documents_its_errors_in_the_family_envelope(family):
    ref = f"#/components/schemas/{ERROR_COMPONENTS[family]}"
    for path, method, operation in _operations(family):
        responses = operation["responses"]
        where = f"{method.upper()} {path}"
        assert any(code.startswith("2") for code in responses), where
        errors = {code: response for code, response in responses.items() if not code.startswith("2")}
        assert "default" in errors, where
        for code, response in errors.items():
            schemas = [content["schema"] for content in response["content"].values()]
            assert schemas, f"{where} {code}"
            assert all(schema == {"$ref": ref} for schema in schemas), f"{where} {code}"
        if operation.get("security") and {} not in operation["security"]:
            assert {"401", "403"} <= set(errors), where
        if "{" in path:
            assert "404" in errors, where
        if "requestBody" in operation:
            assert {"400", VALIDATION[family]} <= set(errors), where


@pytest.mark.parametrize("family", FAMILY_PREFIXES)
def test_every_write_documents_a_request_body(family):
    """Operations that read no body are the documented exceptions (actions named by their path)."""
    bodiless = {
        (method, path)
        for path, method, operation in _operations(family)
        if method in ("post", "put", "patch") and "requestBody" not in operation
    }
    assert bodiless <= {
        ("post", "/api/v1/contacts/{friend_id}/decline"),
        ("post", "/api/v1/contacts/{friend_id}/invite"),
        ("put", "/api/v1/me/current_account"),  # reads current_account_id/_type from the query string
        ("post", "/api/v1/users/{id}/send_verification_email"),
        ("post", "/api/v1/users/{id}/send_verification_sms"),
        ("post", "/api/v3/cookieauth-logout"),
        ("post", "/api/v3/ping"),
        ("post", "/api/v3/teams/{team_uid}/invitations"),
        ("post", "/courier/v1/text-account-numbers/{uid}/reset-logs/"),
    }


def test_courier_text_and_text_account_writes_document_jsonapi_request_documents():
    created = _request_resource("courier", "/courier/v1/texts/", "post")
    assert created["required"] == ["type", "attributes"]
    assert created["properties"]["type"]["enum"] == ["texts"]
    attributes = created["properties"]["attributes"]
    assert set(attributes["required"]) == {"account-id", "message", "target"}
    assert {"callback-url", "expected-responses", "number-id"} <= set(attributes["properties"])
    assert not any(schema.get("readOnly") for schema in attributes["properties"].values())

    account = _request_resource("courier", "/courier/v1/text-accounts/", "post")["properties"]["attributes"]
    assert set(account["properties"]) == {"allow-custom-number", "organization-id", "phone-number"}

    patched = _request_resource("courier", "/courier/v1/text-accounts/{uid}/", "patch")
    assert patched["required"] == ["type", "id", "attributes"]
    assert set(patched["properties"]["attributes"]["properties"]) == {"allow-custom-number", "phone-number"}
    assert "required" not in patched["properties"]["attributes"]


def test_courier_text_list_documents_its_required_account_id():
    parameters = family_document("courier")["paths"]["/courier/v1/texts/"]["get"]["parameters"]
    account_id = next(parameter for parameter in parameters if parameter["name"] == "account-id")
    assert account_id["required"] is True
    assert account_id["in"] == "query"
    assert {"page[limit]", "page[offset]"} <= {parameter["name"] for parameter in parameters}


def test_tada_device_writes_document_their_bodies():
    doc = family_document("tada")
    post = doc["paths"]["/api/v3/devices"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    put = doc["paths"]["/api/v3/devices/{device_id}"]["put"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(_resolve(post, doc)["required"]) == {"device_id", "type"}
    assert "device_id" not in _resolve(put, doc)["properties"]  # it comes from the path
    assert "required" not in _resolve(put, doc)


def test_a_delete_that_answers_a_body_is_documented_with_it(tada_client, owner, client):
    DeviceFactory(user=owner, device_id="ABA")

    response = tada_client.delete("/api/v3/devices/ABA")

    assert response.status_code == 200
    assert assert_documented(response, "tada")["content"]
    assert "204" not in family_document("tada")["paths"]["/api/v3/devices/{device_id}"]["delete"]["responses"]


def test_real_answers_fit_their_documented_responses(tada_client, tommy_client, bearer_client, client, owner):
    """Success and error answers of each family, checked against the documents (status and body)."""
    checked = [
        (tada_client.get("/api/v3/me"), "tada"),
        (tada_client.post("/api/v3/devices", {"device_id": "X1", "type": "android"}, format="json"), "tada"),
        (tada_client.put("/api/v3/devices/X1", {"name": "phone"}, format="json"), "tada"),
        (tada_client.post("/api/v3/devices", {"type": "nokia"}, format="json"), "tada"),
        (tada_client.get("/api/v3/devices/nope"), "tada"),
        (client.get("/api/v3/me"), "tada"),
        (tommy_client.get("/api/v1/me"), "tommy"),
        (tommy_client.get("/api/v1/workforce/manager/shifts?per=0"), "tommy"),
        (tommy_client.delete("/api/v1/devices/999999"), "tommy"),
        (client.get("/api/v1/me"), "tommy"),
        (bearer_client.get("/inbox/v3/keys/currrent"), "inbox"),
        (bearer_client.get("/inbox/v3/companies/nope"), "inbox"),
        (client.get("/inbox/v3/keys"), "inbox"),
        (bearer_client.get("/courier/v1/organizations/"), "courier"),
        (bearer_client.get("/courier/v1/texts/"), "courier"),  # account-id missing
        (
            bearer_client.post(
                "/courier/v1/text-accounts/",
                document("text-accounts", {"allow-custom-number": False}),
                content_type=JSONAPI,
            ),
            "courier",
        ),
        (bearer_client.post("/courier/v1/texts/", document("texts", {"message": ""}), content_type=JSONAPI), "courier"),
        (client.get("/courier/v1/organizations/"), "courier"),
    ]
    statuses = set()
    for response, family in checked:
        assert_documented(response, family)
        statuses.add(response.status_code)
    assert {200, 201, 400, 401, 404, 422} <= statuses


def test_courier_errors_carry_a_title_beside_the_detail(bearer_client):
    response = bearer_client.post("/courier/v1/texts/", document("texts", {"message": ""}), content_type=JSONAPI)

    errors = response.json()["errors"]
    assert response.status_code == 400
    assert {error["title"] for error in errors} == {"Bad Request"}
    assert all(error["detail"] and error["detail"] != error["title"] for error in errors)
    missing = bearer_client.get("/courier/v1/texts/11111111-1111-1111-1111-111111111111/").json()["errors"]
    assert [(error["status"], error["title"]) for error in missing] == [(404, "Not Found")]


def test_tommy_documents_paging_only_where_a_list_pages(tommy_client):
    paths = family_document("tommy")["paths"]
    contacts = paths["/api/v1/contacts"]["get"]
    assert {"page", "per"} <= {parameter["name"] for parameter in contacts["parameters"]}
    assert set(contacts["responses"]["200"]["headers"]) == {"X-Total-Count", "Link"}
    assert "X-Total-Count" in tommy_client.get("/api/v1/contacts?per=1")
    for unpaged in (("get", "/api/v1/me/accounts"), ("post", "/api/v1/contacts/import")):
        operation = paths[unpaged[1]][unpaged[0]]
        assert "page" not in {parameter["name"] for parameter in operation.get("parameters", [])}, unpaged
    assert "X-Total-Count" not in tommy_client.get("/api/v1/me/accounts?per=1")
