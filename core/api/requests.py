"""Small request facts every family reads the same way."""


def client_ip(request) -> str | None:
    """The caller's address as the server saw it (behind a proxy, set REMOTE_ADDR from it at the proxy/server)."""
    return request.META.get("REMOTE_ADDR") or None
