"""A real HTTP server on 127.0.0.1 that plays the push providers in the tests (no mocked HTTP):

- `POST /token`: Google's OAuth token endpoint for service accounts (checks the JWT-bearer assertion's issuer);
- `POST /v1/projects/<project>/messages:send`: FCM HTTP v1 (needs the bearer token it issued);
- `POST /push/<id>`: a browser push service (Web Push), answering 201.

`statuses` are answered in turn to the push/FCM calls (then success); every request is recorded.
"""

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ACCESS_TOKEN = "ya29.test-access-token"


def _jwt_claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


@dataclass
class Call:
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class PushProvider:
    statuses: list[int] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    token_requests: list[dict] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> "PushProvider":
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: dict | None = None):
                data = json.dumps(body or {}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}  # names are case-insensitive
                if self.path == "/token":
                    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                    provider.token_requests.append({**form, "claims": _jwt_claims(form.get("assertion", "x.e30.x"))})
                    return self._answer(200, {"access_token": ACCESS_TOKEN, "expires_in": 3600, "token_type": "Bearer"})
                provider.calls.append(Call(self.path, headers, body))
                status = provider.statuses.pop(0) if provider.statuses else None
                if self.path.endswith("messages:send"):
                    if headers.get("authorization") != f"Bearer {ACCESS_TOKEN}":
                        return self._answer(401, {"error": {"status": "UNAUTHENTICATED"}})
                    if status and status >= 300:
                        return self._answer(status, {"error": {"status": "UNREGISTERED"}})
                    project = self.path.split("/")[3]
                    return self._answer(200, {"name": f"projects/{project}/messages/{len(provider.calls)}"})
                return self._answer(status or 201)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
