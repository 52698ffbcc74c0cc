"""Each family's OpenAPI document lists exactly the routes its server answers: same paths, same methods.

The routes are read from Django's URL resolver independently of drf-spectacular: every pattern of the family's url
module is expanded into the paths it matches (an alternation such as `cur(?:rr|r)ent` gives both spellings, which
is how `/keys/curent` — a 404 — once got into the inbox document), and every view is asked which methods it answers.
Paths compare without their parameter names and trailing slash, which the servers treat as optional.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver
from django.urls.resolvers import RoutePattern

from config.urls import FAMILIES, family_patterns

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
GROUP = re.compile(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")  # a named group, with at most one level of (...) inside
ALTERNATION = re.compile(r"\(\?:([^()]*)\)")  # (?:a|b) without nested groups


def _expand(regex: str) -> list[str]:
    """The literal paths (with `{}` for each parameter) a url regex of ours matches."""
    regex = regex.removeprefix("^").removesuffix("$").replace("/?", "/").replace(r"\.", ".")
    regex = GROUP.sub("{}", regex)
    match = ALTERNATION.search(regex)
    if match:
        return [
            path
            for option in match.group(1).split("|")
            for path in _expand(regex[: match.start()] + option + regex[match.end() :])
        ]
    assert not set(regex) & set("()[]*+?\\|^$"), f"a url pattern this test cannot expand: {regex}"
    return [regex]


def _route_regex(pattern) -> str:
    if isinstance(pattern, RoutePattern):  # path("texts/<uuid:uid>/callback/")
        return re.sub(r"<(?:\w+:)?\w+>", "{}", str(pattern))
    return str(pattern)


def _methods(callback) -> set[str]:
    actions = getattr(callback, "actions", None)  # a ViewSet routed with its actions
    if actions is not None:
        return {method for method in actions if method in METHODS}
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    return {method for method in METHODS if hasattr(view_class, method)}


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        regex = _route_regex(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + regex.removeprefix("^"))
        elif isinstance(pattern, URLPattern) and pattern.name != "unknown-path":
            yield prefix + regex.removeprefix("^"), pattern.callback


def _normal(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path).rstrip("/")


def routed(family: str) -> set[tuple[str, str]]:
    return {
        (_normal("/" + path), method)
        for regex, callback in _walk(family_patterns(family))
        for path in _expand(regex)
        for method in _methods(callback)
    }


def documented(client, family: str) -> set[tuple[str, str]]:
    paths = client.get(f"/api/schema/{family}/?format=json").json()["paths"]
    return {(_normal(path), method) for path, operations in paths.items() for method in operations if method in METHODS}


@pytest.mark.parametrize("family", FAMILIES)
def test_the_schema_documents_every_route_and_no_other(client, family):
    server, schema = routed(family), documented(client, family)

    assert sorted(schema - server) == [], "documented, but the server does not answer"
    assert sorted(server - schema) == [], "answered by the server, but not documented"


def test_the_expansion_sees_both_spellings_of_an_alternation():
    assert _expand(r"^keys/cur(?:rr|r)ent/?$") == ["keys/currrent/", "keys/current/"]
    assert _expand(r"^teams/(?P<team_uid>[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12})/icons/?$") == ["teams/{}/icons/"]


def test_inbox_documents_both_spellings_of_the_current_key_and_no_misspelling(client):
    paths = client.get("/api/schema/inbox/?format=json").json()["paths"]

    assert "/inbox/v3/keys/currrent" in paths
    assert "/inbox/v3/keys/current" in paths
    assert not any("curent" in path for path in paths)
