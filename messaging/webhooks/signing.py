"""Standard Webhooks signatures (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp` and
`webhook-signature` = "v1,<base64 HMAC-SHA256 of id.timestamp.body>", one per secret, space-separated."""

import base64
import datetime
import secrets

from standardwebhooks.webhooks import Webhook


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def signature_headers(*, message_id: str, body: str, secrets_: list[str], now: datetime.datetime) -> dict[str, str]:
    signatures = [Webhook(secret).sign(msg_id=message_id, timestamp=now, data=body) for secret in secrets_]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
