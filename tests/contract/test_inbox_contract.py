"""Inbox contract: each endpoint answers with every field of its documented success sample, same JSON types.

Samples are copied from spec/samples/inbox.json into tests/contract/samples/inbox.json (without `POST /incoming`,
the customer's own receiver). Where an endpoint's own sample is empty (`[]`, or nothing), the seed's model example
it refers to (`apiKeyResponse`, `agentResponse`, `teamResponse`, `labelResponse`, …; seed 002 lines 9443-9940) is
checked instead (`model_sample`). The calls are made in one company with one of everything
(tests/contract/inbox_calls.py).
"""

import json
from pathlib import Path

import pytest

from tests.contract.inbox_calls import build_world, call

pytestmark = pytest.mark.django_db

SAMPLES = json.loads((Path(__file__).parent / "samples" / "inbox.json").read_text())


def _documented(entry: dict):
    success = next(r for r in entry["responses"] if 200 <= r["status"] < 300)
    sample = success["sample"]
    if sample in (None, []) and "model_sample" in entry:
        sample = entry["model_sample"]
    return success["status"], sample


CASES = [pytest.param(entry, id=f"{entry['method']} {entry['path']}") for entry in SAMPLES]


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]


def assert_matches(sample, actual, where: str = "$") -> None:
    if sample is None:  # documented as null: any value is acceptable
        return
    assert _json_type(actual) == _json_type(sample), f"{where}: expected {_json_type(sample)}, got {actual!r}"
    if isinstance(sample, dict):
        for key, value in sample.items():
            assert key in actual, f"{where}.{key} is missing"
            assert_matches(value, actual[key], f"{where}.{key}")
    elif isinstance(sample, list) and sample:
        # A top-level list must have a row to compare; a nested one may legitimately be empty (a key's `objects`).
        assert actual or where != "$", f"{where}: expected a non-empty array to compare with the sample"
        if actual:
            assert_matches(sample[0], actual[0], f"{where}[0]")


def test_every_documented_inbox_endpoint_has_a_sample():
    documented = json.loads((Path(__file__).parent / "samples" / "inbox.json").read_text())
    assert len(documented) == 55  # the document's 56 endpoints less the customer-side `POST /incoming`


@pytest.mark.parametrize("entry", CASES)
def test_inbox_response_matches_documented_sample(entry, bearer_client, team, owner):
    status, sample = _documented(entry)
    path, body = call(entry, build_world(team, owner))
    response = bearer_client.generic(
        entry["method"], "/inbox/v3" + path, json.dumps(body) if body is not None else "", "application/json"
    )
    assert response.status_code == status, response.content
    if response.status_code != 204 and response.content:
        assert_matches(sample, response.json())
