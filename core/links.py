"""Links the domain puts in what it sends — an invitation link in an SMS, a verification link in an email, the
status-callback URL given to an SMS provider — are served by an API family, so the family builds them.

A port (DESIGN.md §3): domain code asks for a link by name (`links.build("invitation", token=…)`), and the family
that serves it registers the builder at start-up (api/links.py, from api/apps.py). No domain app imports `api`, and
no domain service knows a family's URL. Links are absolute when PUBLIC_BASE_URL is set, paths otherwise.
"""

from collections.abc import Callable

from django.conf import settings

_builders: dict[str, Callable[..., str]] = {}


def register(name: str, build_path: Callable[..., str]) -> None:
    """`build_path(**kwargs)` answers the path (with query string) of link `name`."""
    _builders[name] = build_path


def build(name: str, **kwargs) -> str:
    try:
        path = _builders[name](**kwargs)
    except KeyError:
        raise LookupError(f"No family serves the link {name!r}; is the `api` app installed?") from None
    return absolute(path)


def absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path if settings.PUBLIC_BASE_URL else path
