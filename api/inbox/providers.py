"""The networks' webhooks into the inbox (Crewdesk's own endpoints, not in the document), one per channel, named
by the channel's uid (unguessable) and public like the SMS provider webhook:

- `GET/POST /inbox/v3/providers/whatsapp/{uid}`: Meta's subscription handshake (`hub.challenge`) and its
  notifications, each signed with `X-Hub-Signature-256` (a forged or unsigned POST is 403 and stores nothing);
- `POST /inbox/v3/providers/sandbox/{uid}`: the sandbox's customer (README "Inbox"): a message
  `{"id", "from", "name", "message": {...}}`, a receipt `{"receipt": {"id", "status"}}`, or `{"from", "typing"}`.

Both only store what came (one statement, a repeated id stores nothing) and answer 200; a Celery task does the rest.
"""

import json
import uuid

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response

from api.inbox.base import InboxAPIView
from core.api.base import PublicEndpointMixin
from core.exceptions import NotFoundError, PermissionDeniedError, ValidationFailed
from inbox.models import Channel
from inbox.providers import sandbox
from inbox.providers import whatsapp as wa
from inbox.services.inbound import event_receive_for, events_receive

_FIELDS = ("wa_app_secret", "wa_verify_token", "wa_phone_number_id")


def _channel(uid: str, kind: str) -> Channel:
    try:
        key = uuid.UUID(uid)
    except ValueError:
        raise NotFoundError("No such channel.") from None
    channel = Channel.objects.filter(uid=key, kind=kind).only("id", "kind", "jid", "team_id", *_FIELDS).first()
    if channel is None:
        raise NotFoundError("No such channel.")
    return channel


class WhatsAppWebhookView(PublicEndpointMixin, InboxAPIView):
    @extend_schema(responses={(200, "text/plain"): OpenApiResponse(OpenApiTypes.STR, description="hub.challenge")})
    def get(self, request, uid: str):
        challenge = wa.verify_subscription(_channel(uid, Channel.Kind.WHATSAPP), request.query_params)
        if challenge is None:
            raise PermissionDeniedError("The verify token does not match.")
        return HttpResponse(challenge, content_type="text/plain")

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, uid: str):
        channel = _channel(uid, Channel.Kind.WHATSAPP)
        body = request.body
        if not wa.verify_signature(channel, body=body, header=request.headers.get("X-Hub-Signature-256", "")):
            raise PermissionDeniedError("Invalid signature.")
        try:
            payload = json.loads(body)
        except ValueError:
            raise ValidationFailed("The body is not JSON.") from None
        stored = events_receive(channel_id=channel.pk, events=wa.parse_webhook(channel, payload))
        return Response({"stored": len(stored)})


class SandboxWebhookView(PublicEndpointMixin, InboxAPIView):
    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, uid: str):
        try:
            key = uuid.UUID(uid)
        except ValueError:
            raise NotFoundError("No such channel.") from None
        event = sandbox.customer_event(request.data)
        stored = event_receive_for(channel_uid=key, kind=Channel.Kind.SANDBOX, event=event)
        return Response({"stored": 0 if stored is None else 1})
