"""Push set-up: a team's app credentials (secrets encrypted at rest, never shown again) and devices registered
through courier `user-devices` (accounts.Device rows, written through accounts' device service)."""

import hashlib
import json

from django.db import transaction

from accounts.models import Device, Membership
from accounts.services.users import device_upsert, push_token_claim
from core.exceptions import ValidationFailed
from messaging.crypto import encrypt_json
from messaging.models import AppCredential
from messaging.webhooks.addresses import validate_webhook_url

FCM_REQUIRED = ("project_id", "client_email", "private_key")


def _check_credential(type: str, data: dict) -> None:
    if type == AppCredential.Type.FCM:
        missing = [key for key in FCM_REQUIRED if not data.get(key)]
        if missing:
            raise ValidationFailed.for_field(
                "data", f"An FCM credential is a service-account JSON; missing {', '.join(missing)}."
            )


@transaction.atomic
def app_credential_create(*, team, type: str, data: dict, **fields) -> AppCredential:
    _check_credential(type, data)
    return AppCredential.objects.create(team=team, type=type, data_encrypted=encrypt_json(data), **fields)


@transaction.atomic
def app_credential_update(*, credential: AppCredential, data: dict | None = None, **fields) -> AppCredential:
    """Only the fields given change; a new `data` replaces the secret (it is never merged or shown)."""
    for name, value in fields.items():
        setattr(credential, name, value)
    if data is not None:
        _check_credential(credential.type, data)
        credential.data_encrypted = encrypt_json(data)
    credential.save()
    return credential


def _web_token(token: str) -> str:
    """A web device's token is the browser's PushSubscription JSON; its endpoint must be a URL pushes may reach."""
    try:
        subscription = json.loads(token)
        endpoint = subscription["endpoint"]
        keys = subscription["keys"]
        if not (isinstance(keys, dict) and keys.get("p256dh") and keys.get("auth")):
            raise KeyError("keys")
    except (ValueError, KeyError, TypeError):
        raise ValidationFailed.for_field(
            "token", 'For a web device the token is the PushSubscription JSON: {"endpoint", "keys": {p256dh, auth}}.'
        ) from None
    validate_webhook_url(str(endpoint), field="token")
    return json.dumps(subscription, separators=(",", ":"), sort_keys=True)


@transaction.atomic
def device_register(*, individual: Membership, push_service: str, token: str, **fields) -> tuple[Device, bool]:
    """Register (or update) the individual's device for pushes: upsert by token for that person. The same token
    registered before by someone else (a shared phone that changed hands) stops pushing to them."""
    if push_service == Device.PushService.WEB:
        token = _web_token(token)
    elif len(token) > 255:
        raise ValidationFailed.for_field("token", "Ensure this field has no more than 255 characters.")
    device_id = "push-" + hashlib.sha256(f"{push_service}:{token}".encode()).hexdigest()[:40]
    created = not Device.objects.filter(user_id=individual.user_id, device_id=device_id).exists()
    sandbox = fields.pop("sandbox", None)
    if sandbox is not None:
        fields["environment"] = Device.Environment.DEVELOPMENT if sandbox else Device.Environment.PRODUCTION
    fields.setdefault("type", {"apn": Device.Type.IOS, "fcm": Device.Type.ANDROID}.get(push_service, Device.Type.WEB))
    device = device_upsert(
        user=individual.user,
        device_id=device_id,
        notification_token=token,
        push_service=push_service,
        individual=individual,
        **fields,
    )
    push_token_claim(device=device)
    return device, created
