"""Callbacks never reach private, loopback or link-local addresses (server-side request forgery): a URL is checked
when it is stored, and its host is resolved and every address checked again right before each attempt."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from core.exceptions import ValidationFailed

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


class AddressRefused(Exception):
    """The URL's host is, or resolves to, an address callbacks may not reach."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent on the request line


def parse_url(url: str) -> Target:
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https"):
        raise AddressRefused("The URL must start with http:// or https://.")
    if not parts.hostname:
        raise AddressRefused("The URL has no host.")
    if parts.username or parts.password:
        raise AddressRefused("The URL must not carry credentials.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise AddressRefused("The URL's port is not a number.") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=parts.scheme, host=parts.hostname, port=port, path=path)


def check_address(address: str) -> None:
    """Raise AddressRefused unless `address` (an IP literal) is a public one (or loopback where allowed)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        if settings.WEBHOOK_ALLOW_LOOPBACK:
            return
        raise AddressRefused(f"{address} is a loopback address.")
    if ip.is_link_local:
        raise AddressRefused(f"{address} is a link-local address.")
    if ip.is_private or ip.is_reserved or ip.is_multicast or ip.is_unspecified or not ip.is_global:
        raise AddressRefused(f"{address} is not a public address.")


def _ip_literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def validate_webhook_url(url: str, *, field: str = "url") -> str:
    """At creation: a well-formed http(s) URL whose host is not a forbidden address written literally (or a
    local name). Host names are resolved before each attempt, not here (no DNS wait inside a request)."""
    try:
        target = parse_url(url)
        literal = _ip_literal(target.host)
        if literal is not None:
            check_address(literal)
        elif target.host.lower().rstrip(".") in LOCAL_NAMES and not settings.WEBHOOK_ALLOW_LOOPBACK:
            raise AddressRefused(f"{target.host} is a loopback address.")
    except AddressRefused as exc:
        raise ValidationFailed.for_field(field, f"Callbacks cannot go to this URL: {exc}") from None
    return url


def resolve_checked(target: Target) -> str:
    """The address to connect to: the host resolved now, every address it resolves to checked (one bad address
    refuses the URL, so a name cannot mix a public and a private answer)."""
    literal = _ip_literal(target.host)
    if literal is not None:
        check_address(literal)
        return literal
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OSError(f"cannot resolve {target.host}: {exc}") from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise OSError(f"{target.host} resolves to no address")
    for address in addresses:
        check_address(address)
    return addresses[0]
