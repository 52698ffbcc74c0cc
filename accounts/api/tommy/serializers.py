"""Tommy shapes for users, sessions and devices (spec/tommy-1 "Resource: User", tommy-3 "Resource: Device").

Input serializers validate shape and types only and hand service-ready keyword arguments to the views.
"""

from django.contrib.auth.base_user import BaseUserManager
from rest_framework import serializers

from accounts.models import Device, User
from core.phones import normalize_phone


class UserSerializer(serializers.ModelSerializer):
    """The `User` model. Absent values are null (an account without an avatar has `icon_url: null`)."""

    mobile = serializers.CharField(source="phone", allow_null=True)
    icon_url = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "status", "first_name", "last_name", "slug", "email", "mobile", "dob", "locale", "icon_url"]
        read_only_fields = fields

    def get_icon_url(self, user: User) -> str | None:
        if not user.avatar:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(user.avatar.url) if request else user.avatar.url


class UserInputSerializer(serializers.Serializer):
    """`UserInput`: `User` plus write-only `photo` and `password`; `id`, `status` and `icon_url` are ignored."""

    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    slug = serializers.SlugField(max_length=64, required=False)
    email = serializers.EmailField(required=False, allow_blank=True, allow_null=True)
    mobile = serializers.CharField(max_length=40, required=False, allow_blank=True, allow_null=True)
    dob = serializers.DateField(required=False, allow_null=True)
    locale = serializers.CharField(max_length=35, required=False, allow_blank=True)
    photo = serializers.ImageField(required=False, write_only=True)
    password = serializers.CharField(required=False, write_only=True, trim_whitespace=False, max_length=128)

    def validate_email(self, value):
        return BaseUserManager.normalize_email(value) if value else None

    def validate_mobile(self, value):
        # Raises ValidationFailed naming `mobile`; the tommy base renders it as a 422.
        return normalize_phone(value, field="mobile") if value else None

    def to_service_kwargs(self) -> dict:
        """validated_data in the names the services take (mobile → phone, photo → avatar)."""
        data = dict(self.validated_data)
        if "mobile" in data:
            data["phone"] = data.pop("mobile")
        if "photo" in data:
            data["avatar"] = data.pop("photo")
        return data


class CredentialsSerializer(serializers.Serializer):
    """`UserCredentials`: an email or mobile number and a password."""

    login = serializers.CharField(max_length=254)
    password = serializers.CharField(trim_whitespace=False, max_length=128)


class VerifyQuerySerializer(serializers.Serializer):
    pin = serializers.CharField(max_length=16)
    user_id = serializers.IntegerField(required=False, min_value=1)
    email = serializers.EmailField(required=False)
    mobile = serializers.CharField(max_length=40, required=False)

    def validate_mobile(self, value):
        return normalize_phone(value, field="mobile")


class ResetPasswordSerializer(serializers.Serializer):
    """`login` (documented, query) starts a reset; `pin` + `password` with the same login complete it."""

    login = serializers.CharField(max_length=254)
    pin = serializers.CharField(max_length=16, required=False)
    password = serializers.CharField(required=False, trim_whitespace=False, max_length=128)

    def validate(self, attrs):
        if ("pin" in attrs) != ("password" in attrs):
            missing = "password" if "pin" in attrs else "pin"
            raise serializers.ValidationError({missing: ["is required to complete a password reset"]})
        return attrs


PLATFORMS = {"ios": Device.Type.IOS, "android": Device.Type.ANDROID}


class DeviceSerializer(serializers.ModelSerializer):
    """The tommy `Device`: platform/uuid/token are Device.type/device_id/notification_token."""

    platform = serializers.ChoiceField(source="type", choices=list(PLATFORMS))
    uuid = serializers.CharField(source="device_id", max_length=255)
    token = serializers.CharField(
        source="notification_token", max_length=4096, required=False, allow_blank=True, allow_null=True
    )
    environment = serializers.ChoiceField(choices=Device.Environment.choices, required=False)
    user_id = serializers.IntegerField(required=False)

    class Meta:
        model = Device
        fields = ["id", "user_id", "platform", "environment", "uuid", "token"]
        read_only_fields = ["id"]
        validators: list = []  # the upsert service owns (user, uuid) uniqueness

    def validate_user_id(self, value):
        request = self.context["request"]
        if value not in (None, 0) and value != request.user.pk:
            raise serializers.ValidationError("must be the current user")
        return value

    def to_service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        data.pop("user_id", None)
        if data.get("notification_token") is None:
            data.pop("notification_token", None)
        return data
