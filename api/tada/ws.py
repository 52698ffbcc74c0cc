"""Tada `POST /teams/{team_uid}/ws/{client_event_name}`: a websocket client event sent over HTTP.

The event name picks a handler from CLIENT_EVENTS; the handler validates the payload, calls one service and returns
the `result`. The same answer also reaches the participants as `server.*` events (seed 003 lines 2837–2872: "the
answer arrives over ws"). The caller must be an active member of the team; any other team is a 404.
"""

from collections.abc import Callable

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from accounts.models import Team, User
from api.tada.base import TadaAPIView
from core.exceptions import ValidationFailed
from messaging import chats

Handler = Callable[..., object]
CLIENT_EVENTS: dict[str, Handler] = {}


def client_event(name: str) -> Callable[[Handler], Handler]:
    """Register a handler `(*, team, user, data) -> result` for the client event `name`."""

    def register(handler: Handler) -> Handler:
        CLIENT_EVENTS[name] = handler
        return handler

    return register


# --- client.message.updated: send a message --------------------------------------------------------------------


class MessageContentSerializer(serializers.Serializer):
    # A CharField, not a ChoiceField: another tada `type` enum (devices) would collide in the OpenAPI schema.
    type = serializers.CharField(help_text="Content type; only `plain` is supported.")
    text = serializers.CharField(max_length=chats.MESSAGE_TEXT_MAX, trim_whitespace=False)

    def validate_type(self, value: str) -> str:
        if value not in chats.CONTENT_TYPES:
            raise serializers.ValidationError(f"Must be one of: {', '.join(chats.CONTENT_TYPES)}.")
        return value

    def validate_text(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("This field may not be blank.")
        return value


class MessageUpdatedSerializer(serializers.Serializer):
    to = serializers.RegexField(chats.JID, error_messages={"invalid": "Must be a jid: d-<uuid> or g-<uuid>."})
    content = MessageContentSerializer()


class MessageSerializer(serializers.Serializer):
    """The tada Message (for the OpenAPI schema; the data comes from messaging.chats.message_data)."""

    chat = serializers.CharField()
    chat_type = serializers.ChoiceField(choices=["direct", "group"])
    content = MessageContentSerializer()
    created = serializers.DateTimeField()
    editable_until = serializers.DateTimeField()
    gentime = serializers.IntegerField()
    message_id = serializers.UUIDField()
    prev = serializers.UUIDField(allow_null=True)
    to = serializers.CharField()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.CharField()
        return fields


@client_event("client.message.updated")
def message_updated(*, team: Team, user: User, data) -> dict:
    serializer = MessageUpdatedSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    message = chats.chat_message_send_to(team=team, sender=user, **serializer.validated_data)
    return chats.message_data(message, viewer_id=user.pk)


# --- the view ----------------------------------------------------------------------------------------------------


class TeamWsEventView(TadaAPIView):
    @extend_schema(operation_id="team_ws_event", request=MessageUpdatedSerializer, responses=MessageSerializer)
    def post(self, request, team_uid, client_event_name):
        team = self.caller_team(team_uid)
        handler = CLIENT_EVENTS.get(client_event_name)
        if handler is None:
            known = ", ".join(sorted(CLIENT_EVENTS))
            raise ValidationFailed.for_field(
                "client_event_name", f"Unknown client event {client_event_name!r}; supported: {known}."
            )
        return Response(handler(team=team, user=request.user, data=request.data))
