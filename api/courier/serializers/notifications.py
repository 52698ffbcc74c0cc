"""The shapes of the multicast and notification resources (issue 13), for the courier OpenAPI document: the views
build these documents themselves (api/courier/documents.py); these serializers only describe them (the schema hook
turns each into a JSON:API resource with dasherized attributes)."""

from rest_framework import serializers

S = serializers


class _Doc(S.Serializer):
    id = S.UUIDField(read_only=True)


class CourierUserSerializer(_Doc):
    auto_sign_up = S.BooleanField()
    communication_preferences = S.DictField()
    email = S.CharField()
    email_verified = S.BooleanField()
    first_name = S.CharField()
    last_name = S.CharField()
    last_sync_time = S.CharField()
    locale = S.CharField()
    locale_explicit = S.BooleanField()
    notifications = S.ListField(child=S.ChoiceField(choices=["push", "sms", "email"]))
    phone = S.CharField()
    phone_unsubscribed = S.BooleanField()
    phone_verified = S.BooleanField()
    primary_individual_id = S.UUIDField(allow_null=True)
    sms_mode = S.ChoiceField(choices=["enabled", "disabled"])
    state = S.CharField()
    tz = S.CharField()
    tz_explicit = S.BooleanField()
    username = S.CharField()


class CourierIndividualSerializer(_Doc):
    account_type = S.CharField()
    birth_date = S.DateField(allow_null=True)
    first_name = S.CharField()
    last_modified_time = S.CharField()
    last_name = S.CharField()
    owner_id = S.UUIDField()
    preferred_name = S.CharField()


class _IdOnly(S.Serializer):
    id = S.UUIDField()


class CourierIndividualGroupSerializer(_Doc):
    individuals = _IdOnly(many=True)
    last_sync_time = S.CharField()
    leaders = _IdOnly(many=True)
    name = S.CharField()
    organization_id = S.UUIDField()
    parent_id = S.UUIDField(allow_null=True)


class CourierMulticastSerializer(_Doc):
    created_at = S.CharField()
    created_by = S.UUIDField(allow_null=True)
    data = S.DictField()
    first_name = S.CharField()
    individual_group = S.DictField(required=False, allow_null=True, help_text="With include-individual-group=true.")
    individual_group_id = S.UUIDField(allow_null=True)
    individual_id = S.UUIDField(allow_null=True)
    individual_ids = S.ListField(child=S.UUIDField(), required=False, help_text="With include-individual-ids=true.")
    last_name = S.CharField()
    status = S.ChoiceField(choices=["pending", "sending", "complete", "partially-failed", "failed", "cancelled"])
    template_args = S.DictField()
    template_id = S.CharField()
    user_name = S.CharField()
    channels = S.ListField(child=S.CharField())
    recipients_count = S.IntegerField()
    channel_counts = S.DictField(help_text="channel → {queued, sending, sent, delivered, failed, cancelled}")


class CourierMulticastEstimateSerializer(_Doc):
    recipients = S.IntegerField()
    channels = S.DictField(child=S.IntegerField())
    unreachable = S.IntegerField()
    sms_segments = S.IntegerField()
    sms_encodings = S.DictField(child=S.IntegerField())
    sms_cost = S.CharField()
    currency = S.CharField()
    sampled = S.BooleanField()


class CourierMulticastReportSerializer(_Doc):
    status = S.CharField()
    recipients = S.IntegerField()
    channels = S.DictField()


class CourierUserMulticastSerializer(_Doc):
    created_at = S.CharField()
    individual_id = S.UUIDField()
    organization_id = S.UUIDField()
    template_data = S.DictField()
    template_id = S.CharField()


class CourierUserNotificationSerializer(_Doc):
    acknowledged = S.BooleanField()
    active = S.BooleanField()
    created_at = S.CharField()
    data = S.DictField(help_text="Per channel: apn, fcm, web (title, body, category, data), sms (bodies), email.")
    individual_id = S.UUIDField()
    organization_id = S.UUIDField()
    user_first_name = S.CharField()
    user_id = S.UUIDField()
    user_last_name = S.CharField()


class CourierBadgeCountSerializer(_Doc):
    count = S.IntegerField()
    individual_id = S.UUIDField()
    last_modified_at = S.CharField()
    organization_id = S.UUIDField()
    timestamp = S.CharField()
    type = S.CharField()


class CourierUserDeviceSerializer(_Doc):
    allow_notification = S.BooleanField()
    app_name = S.CharField()
    app_version = S.CharField()
    created_at = S.CharField()
    individual_id = S.CharField()
    last_modified_at = S.CharField()
    model = S.CharField()
    os_version = S.CharField()
    sandbox = S.BooleanField()
    token = S.CharField()
    topic = S.CharField()
    type = S.ChoiceField(choices=["apn", "fcm", "web"])


class CourierUserDeviceLogSerializer(_Doc):
    badge_count = S.IntegerField()
    body = S.CharField()
    category = S.CharField()
    created_at = S.CharField()
    data = S.DictField()
    title = S.CharField()


class CourierAppCredentialSerializer(_Doc):
    app_name = S.CharField()
    archived = S.BooleanField()
    created_at = S.CharField()
    data = S.DictField(help_text="Write-only: always answered as {}.")
    display_name = S.CharField()
    last_modified_at = S.CharField()
    organization_id = S.UUIDField()
    store_id = S.CharField()
    test_mode = S.BooleanField()
    type = S.ChoiceField(choices=["apn", "fcm"])


class CourierUserEmailSerializer(_Doc):
    created_at = S.CharField()
    created_by = S.UUIDField(allow_null=True)
    individual_id = S.UUIDField()
    last_modified_at = S.CharField()
    message = S.CharField()
    message_html = S.CharField()
    result = S.CharField()
    sender_organization_id = S.UUIDField()
    status = S.ChoiceField(choices=["draft", "queued", "sending", "sent", "failed"])
    subject = S.CharField()
    task_id = S.CharField()
    to = S.ListField(child=S.EmailField())
    user_id = S.UUIDField()


class CourierUserEmailAttachmentSerializer(_Doc):
    content_type = S.CharField()
    created_at = S.CharField()
    download_link = S.CharField(required=False, help_text="With with-link=true, once ready.")
    filename = S.CharField()
    ready_to_use = S.BooleanField()
    size = S.IntegerField()
