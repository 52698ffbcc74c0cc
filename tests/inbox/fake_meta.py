"""A real HTTP server on 127.0.0.1 that plays Meta's Graph API (WhatsApp Cloud API) for the inbox's WhatsApp adapter
(no mocked HTTP): it records every request, checks the access token, and answers as the Cloud API does — message
ids for sends, PENDING for template submissions, QR codes, media URLs — or the errors it is told to."""

import hashlib
import hmac
import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOKEN = "meta-test-token"
APP_SECRET = "meta-app-secret"


@dataclass
class Call:
    method: str
    path: str
    query: dict
    body: dict | None
    headers: dict


@dataclass
class FakeMeta:
    calls: list[Call] = field(default_factory=list)
    # (HTTP status, Meta error code, message) answered in turn before succeeding again
    failures: list[tuple[int, int, str]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/v21.0"

    def sends(self) -> list[dict]:
        return [c.body for c in self.calls if c.method == "POST" and c.path.endswith("/messages")]

    def answer(self, method: str, path: str, query: dict, body: dict | None) -> tuple[int, dict]:
        if self.failures:
            status, code, message = self.failures.pop(0)
            return status, {"error": {"message": message, "type": "OAuthException", "code": code}}
        parts = path.split("/")[2:]  # /v21.0/<id>/<edge>…
        edge = parts[1] if len(parts) > 1 else ""
        n = next(self._ids)
        if method == "POST" and edge == "messages":
            to = body["to"]
            return 200, {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}],
                         "messages": [{"id": f"wamid.TEST{n:06d}"}]}  # fmt: skip
        if method == "POST" and edge == "message_templates":
            return 200, {"id": str(9000 + n), "status": "PENDING", "category": body.get("category")}
        if method == "POST" and edge == "message_qrdls":
            code = body.get("code") or f"QR{n:012d}"
            return 200, {"code": code, "prefilled_message": body["prefilled_message"],
                         "deep_link_url": f"https://wa.me/message/{code}",
                         "qr_image_url": f"https://scontent.example.com/qr/{code}.png"}  # fmt: skip
        if method == "GET" and not edge:
            return 200, {"id": parts[0], "url": f"https://lookaside.example.com/media/{parts[0]}",
                         "mime_type": "image/jpeg", "file_size": 2048}  # fmt: skip
        return 200, {"success": True}

    def start(self) -> "FakeMeta":
        meta = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method):
                parts = urlsplit(self.path)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = json.loads(raw) if raw else None
                meta.calls.append(Call(method, parts.path, parse_qs(parts.query), body, dict(self.headers.items())))
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    status, answer = 401, {"error": {"message": "Invalid OAuth access token.", "code": 190}}
                else:
                    status, answer = meta.answer(method, parts.path, parse_qs(parts.query), body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

            def do_DELETE(self):
                self._serve("DELETE")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def signed(payload: dict, secret: str = APP_SECRET) -> tuple[bytes, str]:
    """The body and `X-Hub-Signature-256` header Meta would send."""
    body = json.dumps(payload).encode()
    return body, "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def notification(phone_number_id: str, *, messages=(), statuses=(), contacts=()) -> dict:
    """A `messages` webhook notification as the Cloud API sends it."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "WABA-1",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"display_phone_number": "15550001234", "phone_number_id": phone_number_id},
                            "contacts": list(contacts),
                            "messages": list(messages),
                            "statuses": list(statuses),
                        },
                    }
                ],
            }
        ],
    }
