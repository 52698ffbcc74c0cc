"""Inbox channels and their WhatsApp features: `GET/PATCH /channels…`, profile, QR codes, templates, automated
messages. Channels are the caller's company's (InboxContextMixin.channel); configuring them is for its managers."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.permissions import Action
from api.inbox.base import InboxViewSet, valid
from api.inbox.serializers.channels import (
    ChannelPatchSerializer,
    ChannelSerializer,
    ProfileInputSerializer,
    ProfileSerializer,
    QrCodeCreateSerializer,
    QrCodePatchSerializer,
    QrCodeSerializer,
    TemplateCreateSerializer,
    TemplateListSerializer,
    TemplateSerializer,
)
from api.inbox.serializers.contacts import AutomatedMessagePatchSerializer, AutomatedMessageSerializer
from core.exceptions import NotFoundError
from inbox.models import AutomatedMessage, Channel, QrCode, Template, TemplateTranslation
from inbox.services import automated, channels, templates


class ChannelViewSet(InboxViewSet):
    serializer_class = ChannelSerializer
    queryset = Channel.objects.none()  # for the schema: channels are read within the caller's company

    @extend_schema(responses=ChannelSerializer(many=True))
    def list(self, request):
        return Response(ChannelSerializer(Channel.objects.filter(team=self.caller_company()), many=True).data)

    @extend_schema(request=ChannelPatchSerializer, responses=ChannelSerializer)
    def partial_update(self, request, channelJid: str):
        channel = self.channel(channelJid)
        self.require(Action.CONFIGURE_INBOX)
        data = valid(ChannelPatchSerializer, request.data, partial=True)
        return Response(ChannelSerializer(channels.channel_update(channel=channel, **data)).data)


class ProfileViewSet(InboxViewSet):
    serializer_class = ProfileSerializer
    openapi_errors = (400,)  # not a WhatsApp channel

    def _channel(self, jid: str) -> Channel:
        channel = self.channel(jid)
        templates.require_whatsapp_like(channel)
        return channel

    @extend_schema(responses=ProfileSerializer)
    def retrieve(self, request, channelJid: str):
        return Response(ProfileSerializer(self._channel(channelJid)).data)

    def _set(self, request, channelJid: str, *, partial: bool):
        channel = self._channel(channelJid)
        self.require(Action.CONFIGURE_INBOX)
        data = valid(ProfileInputSerializer, request.data, partial=partial)
        channel = channels.profile_set(
            channel=channel, about=data.get("about"), business_profile=data.get("businessProfile"), partial=partial
        )
        return Response(ProfileSerializer(channel).data)

    @extend_schema(request=ProfileInputSerializer, responses={200: ProfileSerializer})
    def create(self, request, channelJid: str):
        """`POST`: replaces the whole writable profile (fields left out become empty)."""
        return self._set(request, channelJid, partial=False)

    @extend_schema(request=ProfileInputSerializer, responses=ProfileSerializer)
    def partial_update(self, request, channelJid: str):
        return self._set(request, channelJid, partial=True)


class QrCodeViewSet(InboxViewSet):
    serializer_class = QrCodeSerializer
    openapi_errors = (400, 502)  # 1005 not a WhatsApp channel; 1012 the network refused or did not answer
    queryset = QrCode.objects.none()

    @extend_schema(responses=QrCodeSerializer(many=True))
    def list(self, request, channelJid: str):
        channel = self.channel(channelJid)
        templates.require_whatsapp_like(channel)
        return Response(QrCodeSerializer(QrCode.objects.filter(channel=channel), many=True).data)

    @extend_schema(request=QrCodeCreateSerializer, responses={201: QrCodeSerializer})
    def create(self, request, channelJid: str):
        channel = self.channel(channelJid)
        self.require(Action.CONFIGURE_INBOX)
        data = valid(QrCodeCreateSerializer, request.data)
        qr = channels.qr_create(channel=channel, message=data.get("message", ""))
        return Response(QrCodeSerializer(qr).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=QrCodePatchSerializer, responses=QrCodeSerializer)
    def partial_update(self, request, channelJid: str, code: str):
        qr = channels.qr_find(channel=self.channel(channelJid), code=code)
        self.require(Action.CONFIGURE_INBOX)
        data = valid(QrCodePatchSerializer, request.data)
        return Response(QrCodeSerializer(channels.qr_update(qr=qr, message=data["message"])).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, channelJid: str, code: str):
        qr = channels.qr_find(channel=self.channel(channelJid), code=code)
        self.require(Action.CONFIGURE_INBOX)
        channels.qr_delete(qr=qr)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _templates(channel: Channel):
    return Template.objects.filter(channel=channel).prefetch_related(
        Prefetch("translations", queryset=TemplateTranslation.objects.order_by("language"))
    )


class TemplateViewSet(InboxViewSet):
    serializer_class = TemplateSerializer
    openapi_errors = {"create": (409,), "catalogue": (400,), "destroy": (400,)}
    queryset = Template.objects.none()

    @extend_schema(responses=TemplateListSerializer)
    def catalogue(self, request, channelJid: str):
        """One object (namespace + templates), not a bare array (the document's example)."""
        channel = self.channel(channelJid)
        templates.require_whatsapp_like(channel)
        data = {"namespace": channel.template_namespace, "templates": _templates(channel)}
        return Response(TemplateListSerializer(data).data)

    @extend_schema(request=TemplateCreateSerializer, responses={201: TemplateSerializer})
    def create(self, request, channelJid: str):
        """The new translation starts PENDING; the network's decision arrives as a `template_pack` event."""
        channel = self.channel(channelJid)
        self.require(Action.CONFIGURE_INBOX)
        data = valid(TemplateCreateSerializer, request.data)
        template = templates.template_create(channel=channel, **data)
        return Response(TemplateSerializer(_templates(channel).get(pk=template.pk)).data, status=201)

    @extend_schema(responses={204: None})
    def destroy(self, request, channelJid: str, name: str):
        channel = self.channel(channelJid)
        self.require(Action.CONFIGURE_INBOX)
        templates.template_delete(channel=channel, name=name)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AutomatedMessageViewSet(InboxViewSet):
    serializer_class = AutomatedMessageSerializer
    queryset = AutomatedMessage.objects.none()

    @staticmethod
    def _type(value: str) -> str:
        if value not in AutomatedMessage.Type.values:
            raise NotFoundError("No such automated message type (AWAY or GREETING).")
        return value

    @extend_schema(responses=AutomatedMessageSerializer(many=True))
    def list(self, request, channelJid: str):
        channel = self.channel(channelJid)
        rows = AutomatedMessage.objects.filter(channel=channel)
        return Response(AutomatedMessageSerializer(rows, many=True).data)

    @extend_schema(responses=AutomatedMessageSerializer)
    def retrieve(self, request, channelJid: str, type: str):
        channel = self.channel(channelJid)
        found = AutomatedMessage.objects.filter(channel=channel, type=self._type(type)).first()
        if found is None:
            raise NotFoundError("Automated message not found.")
        return Response(AutomatedMessageSerializer(found).data)

    @extend_schema(request=AutomatedMessagePatchSerializer, responses=AutomatedMessageSerializer)
    def partial_update(self, request, channelJid: str, type: str):
        channel = self.channel(channelJid)
        kind = self._type(type)
        self.require(Action.CONFIGURE_INBOX)
        data = valid(AutomatedMessagePatchSerializer, request.data, partial=True)
        message = automated.automated_update(channel=channel, type=kind, **data)
        return Response(AutomatedMessageSerializer(message).data)
