"""drf-spectacular post-processing: each family's document shows the bodies its renderer really sends.

drf-spectacular describes what a view returns, before the renderer: tada's renderer wraps every success in
{"_time", "ok", "result"} (api/tada/base.py) and courier's renders JSON:API documents with dasherized attributes
(api/courier/base.py). Without this hook the published schemas described bare results, and a client generated from
them could not read one answer (found by checking responses against the schemas with schemathesis).
"""

import copy

TADA_PREFIX = "/api/v3/"
COURIER_PREFIX = "/courier/v1/"
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
                for media_type, content in response.get("content", {}).items():
                    if media_type in JSON_TYPES and "schema" in content:
                        content["schema"] = wrap(content["schema"])
    return result


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
