"""Typed `variables`: the JSON Schemas an action's `settings` and a run's `trigger_data` must satisfy.

GET /actions/{id}/variables answers {"settings": <schema>, "trigger_data": <schema>, "schedule": <schema>}; every
failure is a ValidationFailed whose details name the field by its path ("settings.member_id",
"trigger_data.shift_id"), so the tommy envelope shows one list of messages per field (422).

`complete=False` checks what is given (types, ranges, formats) but not what is missing: an install's settings may be
filled in over several PUTs; a run, and enabling a schedule, need them complete.
"""

from jsonschema import Draft202012Validator, FormatChecker

from core.exceptions import ValidationFailed

_FORMATS = FormatChecker()
_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "object": "an object",
    "array": "a list",
    "null": "null",
}


def object_schema(properties: dict, required=(), *, additional: bool = False) -> dict:
    schema = {"type": "object", "properties": properties, "additionalProperties": additional}
    if required:
        schema["required"] = list(required)
    return schema


def _words(types) -> str:
    types = types if isinstance(types, list) else [types]
    return " or ".join(_TYPE_WORDS.get(t, t) for t in types)


def _message(error) -> str:
    kind, expected = error.validator, error.validator_value
    if kind == "type":
        return f"must be {_words(expected)}"
    if kind == "enum":
        return "must be one of: " + ", ".join(str(v) for v in expected)
    if kind in ("minimum", "maximum"):
        return f"must be {'at least' if kind == 'minimum' else 'at most'} {expected}"
    if kind in ("minLength", "maxLength"):
        return f"must be {'at least' if kind == 'minLength' else 'at most'} {expected} characters"
    if kind in ("minItems", "maxItems"):
        return f"must have {'at least' if kind == 'minItems' else 'at most'} {expected} items"
    if kind == "pattern":
        return f"must match {expected}"
    if kind == "format":
        return f"must be a valid {expected}"
    return error.message


def problems(value, schema: dict, *, field: str, complete: bool = True) -> dict[str, list[str]]:
    """Per-field messages for `value` against `schema` (empty when it is valid)."""
    details: dict[str, list[str]] = {}

    def add(path: list, message: str) -> None:
        details.setdefault(".".join([field, *map(str, path)]), []).append(message)

    for error in Draft202012Validator(schema, format_checker=_FORMATS).iter_errors(value):
        path = list(error.absolute_path)
        if error.validator == "required":
            if complete:
                for name in error.validator_value:
                    if isinstance(error.instance, dict) and name not in error.instance:
                        add([*path, name], "is required")
        elif error.validator == "additionalProperties":
            known = set((error.schema.get("properties") or {}).keys())
            for name in error.instance:
                if name not in known:
                    add([*path, name], "is not a setting of this action")
        else:
            add(path, _message(error))
    return details


def check(value, schema: dict, *, field: str, complete: bool = True) -> None:
    found = problems(value, schema, field=field, complete=complete)
    if found:
        raise ValidationFailed(f"Invalid {field}.", details=found)


def with_defaults(value: dict, schema: dict) -> dict:
    """`value` plus the schema's top-level defaults for what it does not give."""
    merged = {name: prop["default"] for name, prop in (schema.get("properties") or {}).items() if "default" in prop}
    merged.update(value or {})
    return merged
