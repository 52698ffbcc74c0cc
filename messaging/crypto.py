"""Secrets stored encrypted at rest (push app credentials): Fernet (AES-128-CBC + HMAC-SHA256, `cryptography`).

Keys: `APP_CREDENTIALS_KEYS` (comma-separated Fernet keys; the first encrypts, all decrypt, so a key can be rotated
by putting the new one first), else one key derived from SECRET_KEY — then changing SECRET_KEY makes the stored
credentials unreadable (they must be entered again), which README "Environment" says.
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _fernet() -> MultiFernet:
    keys = [k.strip() for k in (settings.APP_CREDENTIALS_KEYS or "").split(",") if k.strip()]
    if not keys:
        digest = hashlib.sha256(b"crewdesk.app-credentials:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt_json(value: dict) -> str:
    return _fernet().encrypt(json.dumps(value, separators=(",", ":")).encode()).decode()


class UnreadableSecret(Exception):
    """Stored with a key that is no longer configured."""


def decrypt_json(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken:
        raise UnreadableSecret("The credential was encrypted with a key that is no longer configured.") from None
