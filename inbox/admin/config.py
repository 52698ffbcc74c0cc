"""Console pages that configure the inbox: channels (made here — the document has no create call; the sandbox's
customer is played from here), webhooks (test event, key rotation, their deliveries), inbox teams, assistants,
labels, quick replies, contacts, lists and templates. Rows are scoped to the teams a manager runs."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from accounts.admin import TeamScopedAdminMixin
from accounts.admin.scoping import adopt, request_team_ids
from accounts.models import ApiKey, Membership
from core.exceptions import ApplicationError
from inbox.models import (
    Assistant,
    AutomatedMessage,
    Channel,
    Contact,
    ContactList,
    InboxTeam,
    InboxWebhook,
    Label,
    QuickReply,
    Template,
    TemplateTranslation,
)
from inbox.providers import sandbox
from inbox.services import directory, inbound, payloads
from inbox.services import webhooks as inbox_webhooks
from inbox.services.channels import channel_create
from messaging.models import TextNumber

WHATSAPP_FIELDS = ("wa_phone_number_id", "wa_business_account_id", "wa_access_token", "wa_app_secret",
                   "wa_verify_token")  # fmt: skip


class AutomatedMessageInline(admin.TabularInline):
    model = AutomatedMessage
    extra = 0
    max_num = 2
    can_delete = False
    fields = ("type", "enabled", "body")
    readonly_fields = ("type",)


class ChannelAddForm(forms.ModelForm):
    phone = forms.CharField(required=False, help_text="WhatsApp and sandbox: the number, e.g. +31611111111.")
    local = forms.CharField(required=False, label="Account id", help_text="Other networks: the account id.")

    class Meta:
        model = Channel
        fields = ("team", "kind", "name", "phone", "local", "sms_number", *WHATSAPP_FIELDS)


class PlayForm(forms.Form):
    phone = forms.CharField(initial="+31612345678", help_text="The customer's number.")
    name = forms.CharField(required=False, initial="Sandbox customer")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), initial="Hello! Is anyone there?")


@admin.register(Channel)
class ChannelAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "jid", "kind", "team", "priority")
    list_filter = ("kind",)
    list_select_related = ("team",)
    search_fields = ("name", "jid")
    inlines = [AutomatedMessageInline]
    actions = ["play_customer"]
    readonly_fields = ("jid", "kind", "uid", "provider_webhook", "template_namespace", "created_at")

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ChannelAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ("team", "kind", "name", "phone", "local", "sms_number")}),
                    ("WhatsApp Cloud API", {"fields": WHATSAPP_FIELDS})]  # fmt: skip
        return [
            (None, {"fields": ("name", "jid", "kind", "team", "priority", "data_retention_days", "sms_number")}),
            ("Provider", {"fields": ("uid", "provider_webhook", "template_namespace", *WHATSAPP_FIELDS)}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else (*self.readonly_fields, "team", "sms_number")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "sms_number" and not request.user.is_superuser:
            kwargs["queryset"] = TextNumber.objects.filter(account__team_id__in=request_team_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Provider webhook")
    def provider_webhook(self, obj):
        if obj.kind not in (Channel.Kind.WHATSAPP, Channel.Kind.SANDBOX):
            return "—" if obj.kind != Channel.Kind.SMS else "The number's SMS webhook (courier)."
        return reverse(f"inbox:{obj.kind}-webhook", kwargs={"uid": obj.uid})

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        try:
            saved = channel_create(
                team=data["team"], kind=data["kind"], name=data["name"], phone=data.get("phone") or "",
                local=data.get("local") or "", sms_number=data.get("sms_number"),
                **{k: data.get(k) or "" for k in WHATSAPP_FIELDS},
            )  # fmt: skip
        except ApplicationError as exc:
            form.add_error(None, f"{exc.message} {exc.details or ''}")
            raise
        adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    @admin.action(description="Play a customer message (sandbox channels)")
    def play_customer(self, request, queryset):
        channels = list(queryset.filter(kind=Channel.Kind.SANDBOX))
        if not channels:
            self.message_user(request, "Only a sandbox channel's customer can be played.", messages.WARNING)
            return None
        form = PlayForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            for channel in channels:
                try:
                    event = sandbox.customer_event(
                        {"from": data["phone"], "name": data["name"], "message": data["text"]}
                    )
                except ApplicationError as exc:
                    self.message_user(request, exc.message, messages.ERROR)
                    return None
                inbound.events_receive(channel_id=channel.pk, events=[event])
            self.message_user(request, f"The customer wrote to {len(channels)} channel(s).", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Play a customer message",
            "form": form,
            "channels": channels,
            "action": "play_customer",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/inbox/play.html", context)


class WebhookForm(forms.ModelForm):
    url = forms.CharField(max_length=500, help_text="https (checked like the API's).")
    events = forms.MultipleChoiceField(choices=InboxWebhook.Event.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = InboxWebhook
        fields = ("channel", "name", "url", "events", "headers", "assistant", "enabled")

    def clean(self):
        data = super().clean()
        try:
            inbox_webhooks.check_url(data.get("url", ""))
            inbox_webhooks.check_headers(data.get("headers") or {})
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None
        return data


@admin.register(InboxWebhook)
class InboxWebhookAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    team_lookup = "channel__team"
    form = WebhookForm
    list_display = ("url", "channel", "events", "enabled", "deliveries")
    list_select_related = ("channel",)
    readonly_fields = ("uid", "cipher_key", "deliveries", "created_at", "updated_at")
    actions = ["send_test_event", "rotate_key"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            team_ids = request_team_ids(request)
            if db_field.name == "channel":
                kwargs["queryset"] = Channel.objects.filter(team_id__in=team_ids)
            elif db_field.name == "assistant":
                kwargs["queryset"] = Assistant.objects.filter(team_id__in=team_ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Deliveries")
    def deliveries(self, obj):
        link = reverse("admin:messaging_webhookdelivery_changelist") + f"?q=inbox:{obj.uid}"
        return format_html('<a href="{}">Deliveries (attempts, replay)</a>', link)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {k: data.get(k) for k in ("url", "events", "headers", "assistant", "name")}
        fields["headers"] = fields["headers"] or {}
        fields["name"] = fields["name"] or ""
        if change:
            adopt(obj, inbox_webhooks.webhook_update(webhook=InboxWebhook.objects.get(pk=obj.pk),
                                                     enabled=data.get("enabled", True), **fields))  # fmt: skip
        else:
            adopt(obj, inbox_webhooks.webhook_create(channel=data["channel"], **fields))

    @admin.action(description="Send a test event (custom) to the selected webhooks")
    def send_test_event(self, request, queryset):
        sent = 0
        with transaction.atomic():
            for webhook in queryset.select_related("channel"):
                if "custom" in webhook.events and webhook.enabled:
                    body = payloads.custom(channel=webhook.channel, data={"test": True, "by": request.user.email})
                    sent += inbox_webhooks.emit(channel=webhook.channel, event="custom", payload=body)
        self.message_user(request, f"Queued {sent} test event(s) (webhooks subscribed to `custom`).", messages.INFO)

    @admin.action(description="Rotate the signing key (cipherKey)")
    def rotate_key(self, request, queryset):
        for webhook in queryset:
            inbox_webhooks.webhook_rotate_key(webhook=webhook)
        self.message_user(request, f"Rotated {queryset.count()} key(s): update the receivers.", messages.WARNING)


class InboxTeamForm(forms.ModelForm):
    class Meta:
        model = InboxTeam
        fields = ("team", "name", "color", "reference", "channels", "members")


@admin.register(InboxTeam)
class InboxTeamAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    form = InboxTeamForm
    list_display = ("name", "jid", "team")
    list_select_related = ("team",)
    filter_horizontal = ("channels", "members")
    readonly_fields = ("jid",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        team_ids = None if request.user.is_superuser else request_team_ids(request)
        if db_field.name == "members":
            members = Membership.objects.active().select_related("user", "team")
            kwargs["queryset"] = members if team_ids is None else members.filter(team_id__in=team_ids)
        elif db_field.name == "channels":
            kwargs["queryset"] = (
                Channel.objects.all() if team_ids is None else Channel.objects.filter(team_id__in=team_ids)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            adopt(obj, directory.team_create(company=form.cleaned_data["team"], name=form.cleaned_data["name"]))
        directory.team_update(team=obj, color=form.cleaned_data["color"], reference=form.cleaned_data["reference"])

    def save_related(self, request, form, formsets, change):
        team = form.instance
        chosen = form.cleaned_data
        try:
            directory.team_members_set(team=team, memberships=chosen["members"])
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        team.channels.set([c for c in chosen["channels"] if c.team_id == team.team_id])

    def delete_model(self, request, obj):
        directory.team_delete(team=obj)


class AssistantForm(forms.ModelForm):
    class Meta:
        model = Assistant
        fields = ("team", "name", "description", "color", "enabled", "api_key")


@admin.register(Assistant)
class AssistantAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    form = AssistantForm
    list_display = ("name", "jid", "team", "enabled")
    list_select_related = ("team",)
    readonly_fields = ("jid",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "api_key":
            keys = ApiKey.objects.usable()
            kwargs["queryset"] = (
                keys if request.user.is_superuser else keys.filter(team_id__in=request_team_ids(request))
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if data.get("api_key") is not None and data["api_key"].team_id != data["team"].pk:
            self.message_user(request, "The API key belongs to another team; not bound.", messages.ERROR)
            data["api_key"] = None
        if change:
            obj.api_key = data.get("api_key")
            return super().save_model(request, obj, form, change)
        saved = directory.assistant_create(
            company=data["team"],
            name=data["name"],
            description=data.get("description", ""),
            api_key=data.get("api_key"),
        )
        adopt(obj, saved)
        directory.assistant_update(assistant=obj, color=data["color"], enabled=data["enabled"])


@admin.register(Label)
class LabelAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "jid", "team", "color", "priority")
    list_select_related = ("team",)
    fields = ("team", "name", "description", "color", "priority", "jid")
    readonly_fields = ("jid",)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            directory.label_update(label=obj, name=data["name"], color=data["color"], priority=data["priority"])
            return
        saved = directory.label_create(company=data["team"], name=data["name"], description=data["description"])
        adopt(obj, directory.label_update(label=saved, color=data["color"], priority=data["priority"]))


@admin.register(QuickReply)
class QuickReplyAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "category", "team")
    list_select_related = ("team",)
    filter_horizontal = ("channels",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "channels" and not request.user.is_superuser:
            kwargs["queryset"] = Channel.objects.filter(team_id__in=request_team_ids(request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Contact)
class ContactAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    team_lookup = "channel__team"
    list_display = ("jid", "name", "channel", "blacklisted_at")
    list_select_related = ("channel",)
    search_fields = ("jid", "name", "reference")
    list_filter = ("channel__kind",)
    fields = ("channel", "jid", "name", "reference", "remarks", "type", "blacklisted_at")
    readonly_fields = ("channel", "jid", "blacklisted_at")
    actions = ["block", "unblock"]

    def has_add_permission(self, request):
        return False  # contacts come with their messages (or the API)

    @admin.action(description="Block (blacklist) the selected contacts")
    def block(self, request, queryset):
        from inbox.services import contacts

        for contact in queryset.select_related("channel"):
            contacts.blacklist_add(channel=contact.channel, jid=contact.jid)

    @admin.action(description="Unblock the selected contacts")
    def unblock(self, request, queryset):
        from inbox.services import contacts

        for contact in queryset.select_related("channel"):
            contacts.blacklist_remove(channel=contact.channel, jid=contact.jid)


@admin.register(ContactList)
class ContactListAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    team_lookup = "channel__team"
    list_display = ("name", "jid", "channel")
    readonly_fields = ("jid",)
    autocomplete_fields = ("contacts",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "channel" and not request.user.is_superuser:
            kwargs["queryset"] = Channel.objects.filter(team_id__in=request_team_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not obj.jid:
            from inbox import jids

            obj.jid = jids.new_jid("list")
        super().save_model(request, obj, form, change)


class TranslationInline(admin.TabularInline):
    model = TemplateTranslation
    extra = 0
    can_delete = False
    fields = ("language", "status", "rejected_reason", "components")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Template)
class TemplateAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    """Read-only: templates are made and deleted through the API (the network approves them)."""

    team_lookup = "channel__team"
    list_display = ("name", "category", "channel")
    list_select_related = ("channel",)
    readonly_fields = ("channel", "name", "category", "created_at")
    inlines = [TranslationInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
