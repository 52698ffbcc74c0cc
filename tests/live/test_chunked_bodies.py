"""Chunked request bodies (Transfer-Encoding: chunked, no Content-Length) are refused with 411, never read as empty
(issue 8, item 8). Django reads CONTENT_LENGTH bytes, so a chunked PUT /api/v3/ui-settings answered 200 and replaced
the user's settings with {}. The test client cannot send a chunked body: a real server process gets one here.

No database is needed: the refusal comes before authentication (tests/live/test_live_server.py shows, on a seeded
server, that the stored settings stay as they were).
"""

import http.client
import json
import socket

import pytest

from tests.live import servers

# (method, path, envelope check) in each family
FAMILY_CALLS = [
    ("PUT", "/api/v3/ui-settings", lambda body: body["ok"] is False),
    ("PUT", "/api/v1/me", lambda body: body["error"] is True and body["code"] == "LENGTH_REQUIRED"),
    ("POST", "/courier/v1/texts/", lambda body: body["errors"][0]["status"] == 411),
    ("GET", "/inbox/v3/keys", lambda body: body["error"]["code"] == 1005),
]


@pytest.fixture(scope="module", params=["gunicorn", "runserver"])
def server(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"chunked-{request.param}")
    env = servers.production_env(tmp, f"sqlite:///{tmp / 'empty.sqlite3'}")
    if request.param == "runserver":
        env["DEBUG"] = "1"  # the development server, as `make run` starts it
    running = servers.start(request.param, env, tmp / "server.log")
    yield running
    running.stop()


def send_chunked(server, method: str, path: str, chunks: list[bytes], headers: dict | None = None) -> tuple[int, dict]:
    """One write of a whole chunked request (a server may answer before reading the body and close)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{server.port}", "Content-Type: application/json",
             "Transfer-Encoding: chunked", "Connection: close"]  # fmt: skip
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall("\r\n".join(lines).encode() + b"\r\n\r\n" + body)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, json.loads(response.read() or b"null")


@pytest.mark.parametrize(("method", "path", "is_envelope"), FAMILY_CALLS)
def test_a_chunked_body_is_refused_with_411_in_the_family_envelope(server, method, path, is_envelope):
    status, body = send_chunked(server, method, path, [b'{"theme": ', b'"dark"}'])
    assert status == 411, (body, server.log()[-2000:])
    assert is_envelope(body), body


@pytest.mark.live
def test_a_chunked_put_leaves_the_stored_ui_settings_as_they_were(seeded_server):
    # The audit's case on a seeded server: before, it answered 200 and replaced the user's settings with {}.
    import urllib.request

    token = seeded_server.credentials["owner_token"]
    put = urllib.request.Request(
        f"{seeded_server.url}/api/v3/ui-settings",
        data=b'{"theme": "dark"}',
        method="PUT",
        headers={"Content-Type": "application/json", "token": token},
    )
    assert urllib.request.urlopen(put, timeout=10).status == 200
    status, body = send_chunked(
        seeded_server.server, "PUT", "/api/v3/ui-settings", [b'{"x"', b": 1}"], {"token": token}
    )
    assert (status, body["ok"]) == (411, False)
    read = urllib.request.Request(f"{seeded_server.url}/api/v3/ui-settings", headers={"token": token})
    with urllib.request.urlopen(read, timeout=10) as response:
        assert json.loads(response.read())["result"] == {"theme": "dark"}
