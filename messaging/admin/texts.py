"""Text accounts, their numbers (provisioned and released through the SMS backend), the journal of texts sent (with
a resend action for failed ones) and of inbound messages."""

import re

from django import forms
from django.contrib import admin, messages

from accounts.admin import ReadOnlyAdminMixin, TeamScopedAdminMixin, managed_team_ids
from accounts.admin.scoping import adopt
from core.exceptions import ApplicationError
from messaging.models import InboundText, Text, TextAccount, TextNumber
from messaging.services import numbers, texts

_DIGITS = re.compile(r"\d")


class TextNumberInline(admin.TabularInline):
    model = TextNumber
    extra = 0
    fields = ("phone_number", "twilio_id", "alert", "forward_to", "logging", "notes")
    readonly_fields = ("phone_number", "twilio_id")

    def has_add_permission(self, request, obj=None):
        return False  # numbers are provisioned on the number page, through the provider


@admin.register(TextAccount)
class TextAccountAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "team", "phone_number", "allow_custom_number", "twilio_id", "created_at")
    list_filter = ("allow_custom_number",)
    list_select_related = ("team",)
    autocomplete_fields = ("team",)
    search_fields = ("phone_number", "twilio_id", "team__name", "team__slug")
    readonly_fields = ("uid", "created_at", "updated_at")
    inlines = [TextNumberInline]


class TextNumberForm(forms.ModelForm):
    area_code = forms.CharField(
        max_length=3, required=False, help_text="Provision a number in this area code (up to 3 digits)."
    )

    class Meta:
        model = TextNumber
        fields = ("account", "alert", "forward_to", "logging", "notes", "events")


@admin.register(TextNumber)
class TextNumberAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    """Adding a number provisions it through the SMS backend; "Release" gives it back; edits go through the
    number service (forward-to normalised, events validated)."""

    team_lookup = "account__team"
    form = TextNumberForm
    list_display = ("phone_number", "account", "alert", "forward_to", "logging", "created_at")
    list_filter = ("alert", "logging")
    list_select_related = ("account__team",)
    autocomplete_fields = ("account",)
    search_fields = ("phone_number", "twilio_id", "account__team__name", "account__phone_number")
    readonly_fields = (
        "uid",
        "phone_number",
        "twilio_id",
        "capability_sms",
        "capability_mms",
        "capability_voice",
        "region",
        "rate_center",
        "created_at",
    )
    actions = ["release_numbers"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("account", "area_code", "alert", "forward_to", "logging", "notes")
        return ("account", *self.readonly_fields, "alert", "forward_to", "logging", "notes", "events")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("account", *self.readonly_fields)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "account":
            queryset = TextAccount.objects.select_related("team")
            if not request.user.is_superuser:
                queryset = queryset.filter(team_id__in=managed_team_ids(request.user))
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if change:
                numbers.text_number_update(
                    number=obj,
                    alert=data["alert"],
                    events=data["events"],
                    forward_to=data["forward_to"],
                    logging=data["logging"],
                    notes=data["notes"],
                )
                return
            saved = numbers.text_number_provision(
                account=data["account"],
                area_code=data.get("area_code", ""),
                alert=data["alert"],
                forward_to=data["forward_to"],
                logging=data["logging"],
                notes=data["notes"],
            )
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            raise _Refused from exc
        adopt(obj, saved)

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except _Refused:
            from django.http import HttpResponseRedirect

            return HttpResponseRedirect(request.get_full_path())

    @admin.action(description="Release the selected numbers (give them back to the provider)")
    def release_numbers(self, request, queryset):
        released = 0
        for number in queryset.select_related("account"):
            try:
                numbers.text_number_release(number=number)
                released += 1
            except ApplicationError as exc:
                self.message_user(request, f"{number}: {exc.message}", messages.ERROR)
        if released:
            self.message_user(request, f"Released {released} number(s).", messages.SUCCESS)


class _Refused(Exception):
    """A service refused the form's write: its message is shown and the form is offered again."""


@admin.register(Text)
class TextAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Texts are written by messaging.services only. Login-code texts show their body with the digits masked."""

    list_display = ("to", "status", "purpose", "team", "account", "from_number", "attempts", "created_at", "sent_at")
    list_filter = ("status", "purpose")
    list_select_related = ("team", "account__team")
    search_fields = ("to", "from_number", "provider_id")
    date_hierarchy = "created_at"
    fields = (
        "uid",
        "team",
        "account",
        "number",
        "created_by",
        "to",
        "from_number",
        "body_display",
        "purpose",
        "status",
        "provider_id",
        "error",
        "attempts",
        "callback_status_url",
        "callback_url",
        "claimed_at",
        "provider_called_at",
        "sent_at",
        "delivered_at",
        "resent_from",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    actions = ["resend_texts"]

    @admin.display(description="Body")
    def body_display(self, text: Text) -> str:
        # An OTP text carries a live login code: staff have no business reading it.
        if text.purpose == Text.Purpose.OTP:
            return _DIGITS.sub("•", text.body)
        return text.body

    @admin.action(description="Resend the selected failed texts (as new texts)")
    def resend_texts(self, request, queryset):
        resent = 0
        for text in queryset.select_related("account", "number"):
            try:
                texts.text_resend(text=text, created_by=request.user)
                resent += 1
            except ApplicationError as exc:
                self.message_user(request, f"{text}: {exc.message}", messages.ERROR)
        if resent:
            self.message_user(request, f"Queued {resent} text(s) again.", messages.SUCCESS)


@admin.register(InboundText)
class InboundTextAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Inbound SMS, as received and what processing did with them."""

    list_display = ("sender", "to", "short_body", "status", "outcome", "team", "created_at")
    list_filter = ("status",)
    list_select_related = ("team",)
    search_fields = ("sender", "to", "sid", "body")
    date_hierarchy = "created_at"
    fields = ("sid", "team", "number", "sender", "to", "body", "status", "outcome", "matched_text", "created_at")
    readonly_fields = fields

    @admin.display(description="Message")
    def short_body(self, inbound: InboundText) -> str:
        return inbound.body if len(inbound.body) <= 60 else f"{inbound.body[:59]}…"
