"""Every family answers every error in its own documented envelope, with the request id of the response."""

import pytest

pytestmark = pytest.mark.django_db


def test_tommy_unknown_path_is_404_in_tommy_envelope(client):
    response = client.get("/api/v1/no/such/thing")
    assert response.status_code == 404
    body = response.json()
    assert body["error"] is True
    assert body["code"] == "NOT_FOUND"
    assert body["request_id"] == response["X-Request-ID"]


def test_courier_unknown_path_is_404_in_jsonapi_errors(client):
    response = client.post("/courier/v1/no-such-resource/", {}, format="json")
    assert response.status_code == 404
    error = response.json()["errors"][0]
    assert error["status"] == 404
    assert error["meta"]["request-id"] == response["X-Request-ID"]


def test_inbox_unknown_path_is_404_with_code_1009(client):
    response = client.delete("/inbox/v3/nothing-here")
    assert response.status_code == 404
    body = response.json()
    assert body["error"]["code"] == 1009
    assert body["traceId"] == response["X-Request-ID"]


def test_tada_unknown_path_is_404_in_ok_false_envelope(client):
    response = client.get("/api/v3/unknown")
    assert response.status_code == 404
    body = response.json()
    assert body["ok"] is False
    assert isinstance(body["error"], str)
    assert body["_time"].endswith(("ms", "s"))


def test_tada_ping_wraps_result_in_envelope(client):
    response = client.post("/api/v3/ping", {}, format="json")
    assert response.status_code == 200
    assert response.json()["result"] == "pong"
    assert response.json()["ok"] is True


def test_unexpected_error_is_500_in_envelope_without_traceback(client):
    response = client.get("/api/v3/ping?error")
    assert response.status_code == 500
    body = response.json()
    assert body == {"_time": body["_time"], "ok": False, "error": "Internal server error."}


def test_method_not_allowed_is_405_in_envelope(client):
    response = client.delete("/api/v3/ping")
    assert response.status_code == 405
    assert response.json()["ok"] is False
    assert "GET" in response["Allow"]


def test_incoming_request_id_is_reused_when_well_formed(client):
    response = client.get("/api/v1/nowhere", HTTP_X_REQUEST_ID="abc12345-proxy-id")
    assert response["X-Request-ID"] == "abc12345-proxy-id"
    assert response.json()["request_id"] == "abc12345-proxy-id"


def test_hostile_request_id_is_replaced(client):
    response = client.get("/api/v1/nowhere", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-ID"] != "bad id\nwith newline"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/workforce", "/api/v1/events", "/courier/v1/texts/", "/inbox/v3/companies", "/api/v3/devices"],
)
def test_options_answers_the_allowed_methods_without_introspection(bearer_client, api_key, path):
    # found by schemathesis: DRF's default metadata called get_object() on views without a queryset (a 500)
    bearer_client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key}", HTTP_API_KEY=api_key)
    response = bearer_client.options(path)
    assert response.status_code == 200, response.content
    assert "GET" in response["Allow"]


def test_too_many_form_fields_is_a_400_not_a_500(tommy_client, settings):
    # found by schemathesis: Django's TooManyFieldsSent, raised while parsing the body, escaped as a 500
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    response = tommy_client.put(
        "/api/v1/workforce/manager/timesheets/bulk_update",
        {f"field{n}": "x" for n in range(10)},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "BAD_REQUEST"


def test_a_body_over_the_size_limit_is_413_in_the_envelope(tommy_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = tommy_client.put("/api/v1/workforce", {"name": "x" * 1000}, format="json")
    assert response.status_code == 413
    assert response.json()["code"] == "PAYLOAD_TOO_LARGE"


def test_a_value_the_database_refuses_is_a_validation_error_not_a_500(caplog):
    from django.db import DataError

    from core.api.errors import problem_from_exception

    problem = problem_from_exception(DataError("value too long for type character varying(100)"))
    assert (problem.status, problem.code, problem.is_validation) == (400, "VALIDATION_ERROR", True)
    assert "character varying" not in problem.message  # the database's wording stays in the log
    assert "value too long" in caplog.text


def test_an_id_beyond_the_databases_integers_is_a_validation_error_not_a_500(db):
    # found by Schemathesis on the live server: form bodies are strings, so no JSON limit applies, and SQLite's
    # driver answered OverflowError (PostgreSQL: DataError) for a 25-digit timesheet id
    from tests.factories import MembershipFactory, UserFactory
    from tests.helpers import user_client

    manager = UserFactory()
    MembershipFactory(user=manager, status="owner", is_manager=True)
    body = {"timesheet_ids": ["2217534391750163058130944"], "status": "denied"}
    response = user_client(manager).put("/api/v1/workforce/manager/timesheets/bulk_update", body, format="multipart")
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "VALIDATION_ERROR"


@pytest.mark.parametrize("prefix", ["/api/v1/", "/courier/v1/", "/inbox/v3/", "/api/v3/"])
def test_a_path_with_an_encoded_newline_is_the_familys_404_not_an_html_page(client, prefix):
    """Found by schemathesis: `.` in the catch-all route did not match a newline, so Django's HTML 404 answered."""
    response = client.get(f"{prefix}workforce/attendances/x%0Ay")

    assert response.status_code == 404
    assert response["Content-Type"].split(";")[0] in ("application/json", "application/vnd.api+json")
