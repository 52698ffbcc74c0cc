"""Check a real answer against its family's OpenAPI document: the status is documented, the body fits its schema.

OpenAPI 3.0 schemas are JSON Schema with `nullable`; they are turned into plain JSON Schema (null allowed) and
checked with jsonschema (which drf-spectacular itself depends on).
"""

import re
from functools import cache

import jsonschema
from django.test import Client

FAMILY_PREFIXES = {"tommy": "/api/v1/", "courier": "/courier/v1/", "inbox": "/inbox/v3/", "tada": "/api/v3/"}


@cache
def _document(family: str) -> dict:
    return Client().get(f"/api/schema/{family}/?format=json").json()


def family_document(family: str) -> dict:
    return _document(family)


def _json_schema(node):
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key not in ("nullable", "example")}
    if node.get("nullable"):
        if "enum" in converted and None not in converted["enum"]:
            converted["enum"] = [*converted["enum"], None]
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def operation_for(family: str, method: str, path: str) -> dict:
    """The documented operation answering `method path` (parameters match one path segment each; literal paths
    first, as the servers route `/users/search` before `/users/{id}`)."""
    paths = _document(family)["paths"]
    for template in sorted(paths, key=lambda template: (template.count("{"), -len(re.sub(r"\{[^}]*\}", "", template)))):
        operations = paths[template]
        pattern = re.escape(template.rstrip("/")).replace(r"\{", "{").replace(r"\}", "}")
        pattern = re.sub(r"\{[^}]*\}", "[^/]+", pattern)
        if re.fullmatch(pattern + "/?", path) and method.lower() in operations:
            return operations[method.lower()]
    raise AssertionError(f"{method} {path} is not in the {family} document")


def assert_documented(response, family: str) -> dict:
    """The answer's status is documented for its operation, and its JSON body fits the documented schema.
    Returns the documented response object."""
    request = response.request
    operation = operation_for(family, request["REQUEST_METHOD"], request["PATH_INFO"])
    status = str(response.status_code)
    documented = operation["responses"].get(status)
    if documented is None:
        assert status >= "400", f"{status} is not documented"
        assert "default" in operation["responses"], f"{status} is not documented"
        documented = operation["responses"]["default"]
    content_type = (response.get("Content-Type") or "").split(";")[0]
    if not response.content:
        assert not documented.get("content"), f"{status}: a body is documented, none was sent"
        return documented
    assert content_type in documented.get("content", {}), f"{status}: {content_type} is not documented"
    schema = documented["content"][content_type].get("schema")
    if schema and content_type.endswith("json"):
        components = _json_schema(_document(family)["components"])
        jsonschema.validate(response.json(), {**_json_schema(schema), "components": components})
    return documented
