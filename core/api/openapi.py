"""OpenAPI description of the families: what each server really sends and accepts, for generated clients.

Two layers over drf-spectacular:
- `FamilyAutoSchema` (DEFAULT_SCHEMA_CLASS) documents each operation's error responses in its family's envelope
  (the view's `error_schema`), the success status the view really answers (a DELETE that answers 200 with a body is
  not a 204), and JSON:API request documents for views that parse them (courier).
- `family_envelopes` (POSTPROCESSING_HOOKS) wraps the success bodies the renderers wrap: tada's renderer puts every
  success in {"_time", "ok", "result"} (api/tada/base.py) and courier's renders JSON:API documents with dasherized
  attributes (api/courier/base.py); and spells each family's paths as its document does (trailing slash or not).
Without them a client generated from the schemas could neither send some requests nor read one answer (found by
checking responses against the schemas with schemathesis and by generating clients:
tests/integration/test_generated_clients.py).
"""

import copy
from http import HTTPStatus

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, force_instance, is_serializer
from rest_framework import serializers
from rest_framework_json_api.parsers import JSONParser as JsonApiParser

# Why each error status can answer an operation; every family writes them in its own envelope.
ERROR_DESCRIPTIONS = {
    400: "Malformed request: the body or a parameter could not be read.",
    401: "No credential, or an invalid, revoked or expired one.",
    403: "The credential may not do this (role, API key address allow-list, CSRF for cookie sessions).",
    404: "No such object, or it belongs to another team.",
    409: "Conflicts with the current state (or, for JSON:API, the document's `type`/`id` with the URL).",
    413: "The request body is too large.",
    422: "Validation failed: `details` names the fields.",
    429: "Too many attempts: wait for `Retry-After` seconds.",
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}
WWW_AUTHENTICATE = {"WWW-Authenticate": {"schema": {"type": "string"}}}
# `details` of the plain-JSON envelopes: field name → its messages.
FIELD_MESSAGES = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}


class FamilyAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus what every family view shares (core.api.base.FamilyViewMixin).

    A view declares its family's error envelope as `error_schema` (and `error_component`, its name). Statuses it can
    answer beyond the generic ones go in `openapi_errors`: a tuple for every operation of the view, or a dict keyed
    by action (viewsets) or lower-case method (API views).
    """

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None or getattr(self.view, "error_schema", None) is None:
            return operation
        responses = operation["responses"]
        for status in sorted(self.error_statuses(operation)):
            responses.setdefault(str(status), self.error_response(status))
        for code, response in responses.items():  # errors a view declared without a body: the envelope
            if code.isdigit() and int(code) >= 400 and not response.get("content"):
                responses[code] = self.error_response(int(code))
        responses.setdefault("default", self.error_response(None))
        return operation

    def error_statuses(self, operation: dict) -> set[int]:
        """The errors an operation can answer, from what it reads: credentials, path ids, a body, query params."""
        statuses = set(self.declared_errors())
        authenticators = self.view.get_authenticators()
        if authenticators:
            statuses |= {401, 403}  # 403: a role, an API key used from outside its allow-list, CSRF
        if any(getattr(authenticator, "rate_limited", False) for authenticator in authenticators):
            statuses.add(429)
        parameters = operation.get("parameters", [])
        if any(parameter["in"] == "path" for parameter in parameters):
            statuses.add(404)
        validation = getattr(self.view, "validation_status", 400)
        if "requestBody" in operation:
            statuses |= {400, validation, 413}
            if self.jsonapi_resource_type():
                statuses.add(409)  # djangorestframework-jsonapi: a `type` (or PATCH `id`) other than the URL's
        if any(parameter["in"] == "query" and parameter["name"] != "format" for parameter in parameters):
            statuses.add(validation)
        return statuses

    def declared_errors(self) -> tuple[int, ...]:
        declared = getattr(self.view, "openapi_errors", ())
        if isinstance(declared, dict):
            key = getattr(self.view, "action", None) or self.method.lower()
            return tuple(declared.get(key, ()))
        return tuple(declared)

    def error_response(self, status: int | None) -> dict:
        component = ResolvedComponent(
            name=self.view.error_component,
            type=ResolvedComponent.SCHEMA,
            object=self.view.error_component,
            schema=copy.deepcopy(self.view.error_schema),  # the enum hook rewrites components in place
        )
        self.registry.register_on_missing(component)
        content = {media_type: {"schema": component.ref} for media_type in self.map_renderers("media_type")}
        if status is None:
            return {"description": "Any other error (405, 406, 415, 5xx), in the same envelope.", "content": content}
        response = {"description": ERROR_DESCRIPTIONS.get(status, HTTPStatus(status).phrase), "content": content}
        if status == 400 and getattr(self.view, "validation_status", 400) == 400:
            response["description"] += " Validation failures name the fields."
        headers = RETRY_AFTER if status == 429 else WWW_AUTHENTICATE if status == 401 else None
        if headers:
            response["headers"] = copy.deepcopy(headers)
        return response

    def _get_pagination_parameters(self):
        """Only list reads page; a write that answers a list (an import, a bulk update) answers all of it."""
        return super()._get_pagination_parameters() if self.method == "GET" else []

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        paginator = self._get_paginator()
        if str(status_code) == "200" and self._get_pagination_parameters() and paginator is not None:
            headers = {**getattr(paginator, "response_headers", {}), **headers}
        return headers

    def map_parsers(self):
        """JSON bodies are documented as JSON only; form encodings only where the body carries a file.

        The views also parse form data (DRF's parsers), but one body documented under three media types makes
        generated clients send all three at once (openapi-python-client); JSON is what the documents show.
        """
        media_types = super().map_parsers()
        if self._request_takes_files():
            return [media_type for media_type in media_types if media_type != "application/x-www-form-urlencoded"]
        return [media_type for media_type in media_types if "json" in media_type] or media_types

    def _request_takes_files(self) -> bool:
        serializer = force_instance(self.get_request_serializer())
        fields = getattr(serializer, "fields", {}) if is_serializer(serializer) else {}
        return any(isinstance(field, serializers.FileField) for field in fields.values())

    def _get_response_bodies(self, direction="response"):
        """A DELETE documented with a body answers 200 with it (drf-spectacular assumes 204 for every DELETE);
        views that answer 204 declare `responses={204: None}`."""
        if self.method == "DELETE":
            declared = self.get_response_serializers()
            if declared is not None and not isinstance(declared, dict):
                return {"200": self._get_response_for_code(declared, "200", direction=direction)}
        return super()._get_response_bodies(direction)

    def jsonapi_resource_type(self) -> str | None:
        """The resource type of a view that reads JSON:API documents (djangorestframework-jsonapi's parser)."""
        if not any(issubclass(parser, JsonApiParser) for parser in self.view.parser_classes):
            return None
        resource_name = getattr(self.view, "resource_name", None)
        return resource_name if isinstance(resource_name, str) else None

    def _get_request_for_media_type(self, serializer, direction="request"):
        """For a JSON:API view the request is a document {data: {type, id (PATCH), attributes}}, with the write
        serializer's fields as dasherized attributes."""
        schema, required = super()._get_request_for_media_type(serializer, direction)
        resource_type = self.jsonapi_resource_type()
        if resource_type and schema and "$ref" in schema:
            name = schema["$ref"].removeprefix(REF_PREFIX)
            source = self.registry[(name, ResolvedComponent.SCHEMA)].schema
            component = ResolvedComponent(
                name=f"{name}Document",
                type=ResolvedComponent.SCHEMA,
                object=f"{name}Document",
                schema=_jsonapi_request_document(source, resource_type, with_id=self.method in ("PATCH", "PUT")),
            )
            self.registry.register_on_missing(component)
            schema, required = component.ref, True
        return schema, required


def _jsonapi_request_document(source: dict, resource_type: str, *, with_id: bool) -> dict:
    attributes = {
        "type": "object",
        "properties": {_dasherize(key): copy.deepcopy(value) for key, value in source.get("properties", {}).items()},
    }
    if source.get("required"):
        attributes["required"] = [_dasherize(key) for key in source["required"]]
    resource = {
        "type": "object",
        "required": ["type", "id", "attributes"] if with_id else ["type", "attributes"],
        "properties": {
            "type": {"type": "string", "enum": [resource_type]},
            **({"id": {"type": "string", "description": "The id in the URL."}} if with_id else {}),
            "attributes": attributes,
        },
    }
    return {
        "type": "object",
        "description": source.get("description", ""),
        "required": ["data"],
        "properties": {"data": resource, "meta": {"type": "object", "additionalProperties": True}},
    }


TADA_PREFIX = "/api/v3/"
COURIER_PREFIX = "/courier/v1/"
# The documents of these families write their paths without a trailing slash (`/api/v1/me`, `/inbox/v3/keys`,
# `/api/v3/ping`); courier's write one (`/v1/texts/`). The servers answer both spellings.
NO_TRAILING_SLASH = ("/api/v1/", "/inbox/v3/", "/api/v3/")
JSON_TYPES = ("application/json", "application/vnd.api+json")
REF_PREFIX = "#/components/schemas/"


def family_envelopes(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry (settings.SPECTACULAR_SETTINGS)."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    for path, operations in result.get("paths", {}).items():
        if path.startswith(TADA_PREFIX):
            wrap = _tada_envelope
        elif path.startswith(COURIER_PREFIX):
            wrap = lambda schema: _jsonapi_document(schema, components)  # noqa: E731
        else:
            continue
        for operation in operations.values():
            for code, response in operation.get("responses", {}).items():
                if not str(code).startswith("2"):
                    continue
                if wrap is _tada_envelope and not response.get("content") and str(code) != "204":
                    # `Response(None)` still goes through the renderer: {"_time", "ok": true, "result": null}
                    response["content"] = {"application/json": {"schema": {"nullable": True, "enum": [None]}}}
                for media_type, content in response.get("content", {}).items():
                    if media_type in JSON_TYPES and "schema" in content:
                        content["schema"] = wrap(content["schema"])
    result["paths"] = {_documented_spelling(path): operations for path, operations in result.get("paths", {}).items()}
    return result


def _documented_spelling(path: str) -> str:
    return path.rstrip("/") if path.startswith(NO_TRAILING_SLASH) and path.endswith("/") else path


def _tada_envelope(schema: dict) -> dict:
    return {
        "type": "object",
        "required": ["_time", "ok", "result"],
        "properties": {
            "_time": {"type": "string", "description": 'Server processing time, e.g. "0.024 ms".'},
            "ok": {"type": "boolean", "enum": [True]},
            "result": schema,
        },
    }


def _jsonapi_document(schema: dict, components: dict) -> dict:
    """A list (array of a component) becomes {data: [resource], meta}; one component becomes {data: resource}."""
    if schema.get("type") == "array" and "$ref" in schema.get("items", {}):
        data = {"type": "array", "items": _resource_ref(schema["items"]["$ref"], components)}
        return {
            "type": "object",
            "required": ["data"],
            "properties": {"data": data, "meta": {"type": "object", "additionalProperties": True}},
        }
    if "$ref" in schema:
        ref = schema["$ref"]
        target = components.get(ref.removeprefix(REF_PREFIX), {})
        if target.get("type") == "array":  # a paginated list component: unwrap it
            return _jsonapi_document(target, components)
        return {"type": "object", "required": ["data"], "properties": {"data": _resource_ref(ref, components)}}
    return schema


def _resource_ref(ref: str, components: dict) -> dict:
    """A `<Name>Resource` component: {type, id, attributes (the serializer's fields, dasherized, without id)}."""
    name = ref.removeprefix(REF_PREFIX)
    resource_name = f"{name}Resource"
    if resource_name not in components:
        source = copy.deepcopy(components.get(name, {}))
        properties = {_dasherize(key): value for key, value in source.get("properties", {}).items() if key != "id"}
        attributes = {"type": "object", "properties": properties}
        required = [_dasherize(key) for key in source.get("required", []) if key != "id"]
        if required:
            attributes["required"] = required
        components[resource_name] = {
            "type": "object",
            "description": source.get("description", ""),
            "required": ["type", "id", "attributes"],
            "properties": {
                "type": {"type": "string"},
                "id": {"type": "string"},
                "attributes": attributes,
                "relationships": {"type": "object", "additionalProperties": True},
                "links": {"type": "object", "additionalProperties": True},
            },
        }
    return {"$ref": f"{REF_PREFIX}{resource_name}"}


def _dasherize(name: str) -> str:
    return name.replace("_", "-")
