"""One HTTP POST to an address checked just before (addresses.resolve_checked): the connection goes to that IP,
while the Host header and TLS (SNI and certificate check) use the URL's host name, so a DNS answer that changes
between the check and the connection cannot redirect the call. Redirects are not followed."""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from messaging.webhooks.addresses import Target, resolve_checked

MAX_RESPONSE_READ = 64 * 1024


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    duration_ms: int


def post(target: Target, *, body: bytes, headers: dict, timeout: float) -> Answer:
    """POST `body`; raises AddressRefused (address not allowed) or OSError/HTTPException (no answer)."""
    address = resolve_checked(target)
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target.host, address, target.port, timeout)
    started = time.monotonic()
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(MAX_RESPONSE_READ).decode("utf-8", errors="replace")
        return Answer(status=response.status, body=text, duration_ms=int((time.monotonic() - started) * 1000))
    finally:
        connection.close()
