"""Opt-in pytest plugin: every family answer made anywhere in the suite is checked against its OpenAPI document.

    .venv/bin/python -m pytest -p tests.openapi_conformance

A test fails when one of its answers has an undocumented status or content type, or a body that does not fit the
documented schema (tests/openapi.py). Answers to paths or methods the document does not list (a 404 for an unknown
path, a 405, OPTIONS) are the documents' `default` errors and are not checked. Opt-in, so that each test keeps
asserting only what it says; it costs little (the whole suite passed under it in about the same time). Run it after
changing a view or a serializer (docs/decisions.md, "OpenAPI documents (issue 9 §4)").
"""

from django.test import client as django_client

from tests.openapi import FAMILY_PREFIXES, assert_documented, operation_for

_request = django_client.Client.request


def _checked_request(self, **kwargs):
    response = _request(self, **kwargs)
    path, method = response.request.get("PATH_INFO", ""), response.request.get("REQUEST_METHOD", "")
    family = next((name for name, prefix in FAMILY_PREFIXES.items() if path.startswith(prefix)), None)
    if family is None or method == "OPTIONS":
        return response
    try:
        operation_for(family, method, path)
    except AssertionError:
        return response  # not a documented operation: 404/405 in the envelope, covered by tests/core
    assert_documented(response, family)
    return response


def pytest_configure(config):
    django_client.Client.request = _checked_request


def pytest_unconfigure(config):
    django_client.Client.request = _request
