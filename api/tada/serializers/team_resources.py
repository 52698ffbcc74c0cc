"""Tada (/api/v3/) shapes of a team's integrations and join invitations (spec/teams-sms-auth.md "Integration",
"Invitation"). Input serializers validate shape only; outputs are plain dicts in the document's key order."""

import html
from string import Template

from django.urls import reverse
from rest_framework import serializers

from accounts.models import Integration, Invitation
from accounts.services.integrations import DEFAULT_COMMENT, FORM_FIELDS, writable_form_fields
from api.tada.serializers.accounts import UtcDateTimeField
from core.ids import UUID_PATTERN

GROUP_JID = rf"^g-{UUID_PATTERN}$"
FORM_NAMES = sorted({name for fields in FORM_FIELDS.values() for name, _label, readonly in fields if not readonly})


# --- Integration --------------------------------------------------------------------------------------------------


class IntegrationWriteSerializer(serializers.Serializer):
    """POST (kind required) and PUT (partial; kind is fixed once created). Form values come flat (`webhook_url`
    at the top level, as the document's PUT sends them); a `form` object copied from a template or a GET
    (`{"webhook_url": {"value": …}}`) is read too."""

    kind = serializers.ChoiceField(choices=Integration.Kind.choices)
    comment = serializers.CharField(max_length=255, required=False, allow_blank=True)
    enabled = serializers.BooleanField(required=False)
    group = serializers.RegexField(GROUP_JID, required=False, allow_blank=True, max_length=64)
    webhook_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    form = serializers.DictField(required=False)

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            self.fields.pop("kind")

    def validate_webhook_url(self, value: str) -> str:
        if value and not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError("must be an http:// or https:// URL.")
        return value

    def validate(self, attrs):
        nested = attrs.pop("form", {}) or {}
        for name, entry in nested.items():
            value = entry.get("value", "") if isinstance(entry, dict) else entry
            if name in FORM_NAMES and name not in attrs:
                try:
                    attrs[name] = self.fields[name].run_validation(value)
                except serializers.ValidationError as exc:
                    raise serializers.ValidationError({name: exc.detail}) from None
        return attrs

    def to_service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        data["form"] = {name: data.pop(name) for name in FORM_NAMES if name in data}
        return data


def _form(integration: Integration) -> dict:
    return {
        name: {"label": label, "readonly": readonly, "value": getattr(integration, name)}
        for name, label, readonly in FORM_FIELDS[integration.kind]
    }


RAW_HELP = Template(
    """<p>To send a message, make a POST request to <code>$host/api/message</code> with the parameters:</p>
<ul>
    <li>
        <code>key</code> the API key. For this team and this group: <strong class="nowrap">$key</strong>
    </li>
    <li>
        <code>message</code> the message itself
    </li>
</ul>

<h2>Command-line example</h2>
<pre>curl $host/api/message \\
    -F key='$key' \\
    -F message='Your message'</pre>

<h2>Response</h2>
<p>If all goes well, the server answers <code>{"ok": true}</code>. If an error
occurs, <code>{"ok": false, "error": "Error description"}</code>.</p>

<h2>Receiving messages from the chat</h2>
<p>If a Webhook URL is set, every new message sends a POST request to it with the parameters:
<code>"chat"</code>,<code>"chat_display_name"</code>, <code>"created"</code>, <code>"sender"</code>,
<code>"sender_display_name"</code> and, most importantly, <code>"text"</code>. The request also
carries the HTTP header <code>"key"</code>, equal to this group's API key
(<code>$key</code>), so that you can make sure the request
really comes from us. If your server answers with a code other than 200, the request is repeated
8 more times at increasing intervals.</p>"""
)


def integration_help(integration: Integration, *, host: str) -> str:
    """The document's HTML instructions with host and key substituted (raw only; the others have none)."""
    if integration.kind != Integration.Kind.RAW:
        return ""
    return RAW_HELP.substitute(host=html.escape(host), key=html.escape(integration.api_key))


def integration_data(integration: Integration, *, host: str) -> dict:
    return {
        "comment": integration.comment,
        "created": UtcDateTimeField().to_representation(integration.created_at),
        "enabled": integration.enabled,
        "form": _form(integration),
        "group": integration.group,
        "help": integration_help(integration, host=host),
        "kind": integration.kind,
        "uid": str(integration.uid),
    }


def integration_kinds() -> list[dict]:
    """The catalogue of kinds a team may add, each with the template a client pre-fills its form from."""
    return [
        {
            "kind": kind.value,
            "template": {
                "comment": DEFAULT_COMMENT,
                "enabled": True,
                "form": {
                    name: {"label": label, "readonly": False, "value": ""}
                    for name, label, readonly in FORM_FIELDS[kind]
                    if name in writable_form_fields(kind)
                },
                "kind": kind.value,
            },
            "title": kind.label,
        }
        for kind in Integration.Kind
    ]


class IntegrationFieldSerializer(serializers.Serializer):
    label = serializers.CharField()
    readonly = serializers.BooleanField()
    value = serializers.CharField()


class IntegrationSerializer(serializers.Serializer):
    """OpenAPI description of `integration_data` (the views build the dict directly)."""

    comment = serializers.CharField()
    created = UtcDateTimeField()
    enabled = serializers.BooleanField()
    form = serializers.DictField(child=IntegrationFieldSerializer())
    group = serializers.CharField()
    help = serializers.CharField()
    kind = serializers.ChoiceField(choices=Integration.Kind.choices)
    uid = serializers.UUIDField()


class IntegrationTemplateSerializer(serializers.Serializer):
    comment = serializers.CharField()
    enabled = serializers.BooleanField()
    form = serializers.DictField(child=IntegrationFieldSerializer())
    kind = serializers.CharField()


class IntegrationKindSerializer(serializers.Serializer):
    kind = serializers.CharField()
    template = IntegrationTemplateSerializer()
    title = serializers.CharField()


class IntegrationListSerializer(serializers.Serializer):
    integrations = IntegrationSerializer(many=True)
    kinds = IntegrationKindSerializer(many=True)


# --- Invitation ---------------------------------------------------------------------------------------------------


def invitation_qr_url(request, invitation: Invitation, team_uid) -> str:
    path = reverse("tada:team-invitation-png", kwargs={"team_uid": str(team_uid), "token": invitation.token})
    return request.build_absolute_uri(path)


class TeamInvitationSerializer(serializers.Serializer):
    """{created, qr, token, uid}; `qr` is the absolute URL of the invitation's QR image."""

    created = UtcDateTimeField(source="created_at")
    qr = serializers.SerializerMethodField()
    token = serializers.CharField()
    uid = serializers.UUIDField()

    def get_qr(self, invitation: Invitation) -> str:
        return invitation_qr_url(self.context["request"], invitation, self.context["team"].uid)
