"""Credentials: team API keys (made and revoked through accounts.services.credentials, plaintext shown once),
per-device auth tokens and one-time codes (read-only journals). `key_hash` and `code_hash` never reach a page."""

from django import forms
from django.contrib import admin, messages
from django.core.validators import validate_ipv46_address
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import ngettext

from accounts.admin.scoping import ReadOnlyAdminMixin, TeamScopedAdminMixin, member_of_any, request_team_ids
from accounts.models import ApiKey, AuthToken, OneTimeCode, Team
from accounts.services.credentials import api_key_create, api_key_revoke, auth_token_revoke


class CommaSeparatedListField(forms.CharField):
    """A list of short strings typed as `a, b, c` (scopes, IP addresses) instead of raw JSON."""

    def __init__(self, *, item_validator=None, **kwargs):
        self.item_validator = item_validator
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return list(value)
        text = super().to_python(value)
        return [item.strip() for item in text.replace("\n", ",").split(",") if item.strip()]

    def validate(self, value):
        super().validate(value)
        if self.item_validator:
            for item in value:
                self.item_validator(item)


class ApiKeyForm(forms.ModelForm):
    scopes = CommaSeparatedListField(help_text='Comma-separated, e.g. "CHANNEL". Empty means every scope.')
    allowed_ips = CommaSeparatedListField(
        item_validator=validate_ipv46_address,
        help_text="Comma-separated IP addresses allowed to use the key. Empty allows any address.",
    )

    class Meta:
        model = ApiKey
        fields = ("team", "name", "scopes", "allowed_ips")


@admin.register(ApiKey)
class ApiKeyAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ("__str__", "team", "display_prefix", "created_by", "scopes", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "created_at")
    list_select_related = ("team", "created_by")
    autocomplete_fields = ("team",)
    search_fields = ("name", "display_prefix", "team__name", "team__slug", "created_by__email")
    actions = ["revoke_keys"]

    add_fields = ("team", "name", "scopes", "allowed_ips")
    change_fields = (
        "uid",
        "team",
        "created_by",
        "name",
        "display_prefix",
        "scopes",
        "allowed_ips",
        "last_used_at",
        "revoked_at",
        "created_at",
    )
    change_readonly = ("uid", "team", "created_by", "display_prefix", "last_used_at", "revoked_at", "created_at")

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.change_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A key acts as its maker (ApiKey.acts): even a superuser may make keys only for the teams they manage.
        if db_field.name == "team":
            kwargs["queryset"] = Team.objects.filter(pk__in=request_team_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.change_readonly

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        key, plaintext = api_key_create(
            team=form.cleaned_data["team"],
            created_by=request.user,
            name=form.cleaned_data.get("name", ""),
            scopes=form.cleaned_data.get("scopes"),
            allowed_ips=form.cleaned_data.get("allowed_ips"),
        )
        # The admin goes on with `obj` (log entry, redirect): make it the row the service created.
        for field in ApiKey._meta.concrete_fields:
            setattr(obj, field.attname, getattr(key, field.attname))
        obj._state.adding = False
        obj._state.db = key._state.db
        self.message_user(
            request,
            format_html(
                "The new API key of {} is <code>{}</code>. Copy it now: it is stored hashed and cannot be shown again.",
                key.team,
                plaintext,
            ),
            messages.SUCCESS,
        )

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke_keys(self, request, queryset):
        revoked = 0
        for key in queryset.filter(revoked_at__isnull=True):
            api_key_revoke(api_key=key)
            revoked += 1
        self.message_user(request, ngettext("%d key revoked.", "%d keys revoked.", revoked) % revoked, messages.SUCCESS)


@admin.register(AuthToken)
class AuthTokenAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    def team_scope(self, team_ids: list[int]) -> Q:
        return Q(member_of_any("user", team_ids))

    fields = ("user", "device", "display_prefix", "last_used_at", "revoked_at", "created_at")
    list_display = ("display_prefix", "user", "device", "last_used_at", "revoked_at", "created_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    list_select_related = ("user", "device")
    search_fields = ("display_prefix", "user__email", "user__phone")
    actions = ["revoke_tokens"]

    def has_revoke_permission(self, request):
        return request.user.has_perm("accounts.change_authtoken")

    @admin.action(description="Revoke selected tokens", permissions=["revoke"])
    def revoke_tokens(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            auth_token_revoke(token=token)
            revoked += 1
        self.message_user(
            request, ngettext("%d token revoked.", "%d tokens revoked.", revoked) % revoked, messages.SUCCESS
        )


@admin.register(OneTimeCode)
class OneTimeCodeAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    def team_scope(self, team_ids: list[int]) -> Q:
        return Q(member_of_any("user", team_ids))

    fields = ("phone", "purpose", "user", "requested_ip", "attempts", "expires_at", "used_at", "created_at")
    list_display = ("phone", "purpose", "user", "requested_ip", "attempts", "expires_at", "used_at", "created_at")
    list_filter = ("purpose",)
    list_select_related = ("user",)
    search_fields = ("phone", "user__email", "requested_ip")
    date_hierarchy = "created_at"
