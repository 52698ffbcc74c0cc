"""Inbox shapes of channels and their WhatsApp features: `channelResponse`, `profileResponse`, `qrCodeResponse`,
the template list (spec/inbox.md "Message Templates")."""

from rest_framework import serializers

from api.inbox.serializers.companies import inbox_datetime
from core.api.validators import FreeformJSON


class ChannelSerializer(serializers.Serializer):
    dataRetentionInDays = serializers.IntegerField(source="data_retention_days")
    jid = serializers.CharField()
    name = serializers.CharField()
    priority = serializers.IntegerField()


class ChannelPatchSerializer(serializers.Serializer):
    # The document types `name` as an integer (surely meant as a string): both are read, stored as text.
    name = serializers.CharField(required=False, max_length=100)
    priority = serializers.IntegerField(required=False, min_value=-(2**31), max_value=2**31 - 1)


class BusinessProfileSerializer(serializers.Serializer):
    address = serializers.CharField(allow_null=True, allow_blank=True, required=False)
    description = serializers.CharField(allow_null=True, allow_blank=True, required=False)
    email = serializers.EmailField(allow_null=True, allow_blank=True, required=False)
    vertical = serializers.CharField(allow_null=True, allow_blank=True, required=False)
    websites = serializers.ListField(child=serializers.CharField(), allow_null=True, required=False)


class ProfileInputSerializer(serializers.Serializer):
    about = serializers.CharField(allow_blank=True, required=False, max_length=139)
    businessProfile = BusinessProfileSerializer(required=False)


class ProfileSerializer(serializers.Serializer):
    """`profileResponse`; `name` is the channel's, `phoneNumber` its number, `pictureUrl` the network's logo."""

    about = serializers.SerializerMethodField()
    businessProfile = serializers.SerializerMethodField()
    name = serializers.CharField()
    phoneNumber = serializers.SerializerMethodField()
    pictureUrl = serializers.SerializerMethodField()

    def get_about(self, channel) -> str:
        return (channel.profile or {}).get("about", "")

    def get_businessProfile(self, channel) -> dict:
        business = (channel.profile or {}).get("businessProfile") or {}
        return {
            "address": business.get("address") or "",
            "description": business.get("description") or "",
            "email": business.get("email") or "",
            "vertical": business.get("vertical") or "",
            "websites": business.get("websites") or [],
        }

    def get_phoneNumber(self, channel) -> int | None:
        local = channel.jid.split("@", 1)[0]
        return int(local) if local.isdigit() else None

    def get_pictureUrl(self, channel) -> str:
        return (channel.profile or {}).get("pictureUrl", "")


class QrCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    createdAt = serializers.SerializerMethodField()
    image = serializers.CharField()
    message = serializers.CharField()
    updatedAt = serializers.SerializerMethodField()
    url = serializers.CharField()

    def get_createdAt(self, qr) -> str:
        return inbox_datetime(qr.created_at)

    def get_updatedAt(self, qr) -> str:
        return inbox_datetime(qr.updated_at)


class QrCodeCreateSerializer(serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, max_length=140)


class QrCodePatchSerializer(serializers.Serializer):
    message = serializers.CharField(allow_blank=True, max_length=140)


class TemplateCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=512)
    language = serializers.CharField(max_length=16)
    category = serializers.CharField(max_length=64)
    components = serializers.JSONField(required=False, validators=[FreeformJSON()])


class TranslationSerializer(serializers.Serializer):
    components = serializers.SerializerMethodField()
    localeName = serializers.CharField(source="language")
    status = serializers.CharField()
    rejectedReason = serializers.SerializerMethodField()

    def get_components(self, translation) -> list[dict]:
        # Responses write component types in lower case (the document's examples).
        return [{**c, "type": str(c.get("type", "")).lower()} for c in translation.components or []]

    def get_rejectedReason(self, translation) -> str:
        return translation.rejected_reason or "NONE"


class TemplateSerializer(serializers.Serializer):
    category = serializers.CharField()
    name = serializers.CharField()
    translations = TranslationSerializer(many=True)


class TemplateListSerializer(serializers.Serializer):
    namespace = serializers.CharField()
    templates = TemplateSerializer(many=True)
