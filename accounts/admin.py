"""The managers' console for people, teams and credentials.

Secrets never reach a page: password hashes, `key_hash` and `code_hash` are left out of every form, list and
detail view. An API key is made through `api_key_create` and its plaintext is shown once, in the success message.
Staff who are not superusers see only the teams they manage (DESIGN.md §2), through TeamScopedAdminMixin.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from accounts.models import ApiKey, AuthToken, Device, Membership, OneTimeCode, Team, User, unique_slug
from accounts.services.credentials import api_key_create, api_key_revoke, auth_token_revoke
from core.exceptions import ValidationFailed
from core.phones import normalize_phone

# --- Tenant scoping for staff who are not superusers -------------------------------------------------------------


def managed_team_ids(user) -> list[int]:
    """Teams `user` may administer: active memberships as owner/admin or workforce manager."""
    return list(
        Membership.objects.active()
        .filter(user=user)
        .filter(Q(status__in=[Membership.Status.OWNER, Membership.Status.ADMIN]) | Q(is_manager=True))
        .values_list("team_id", flat=True)
    )


class TeamScopedAdminMixin:
    """Limits rows (through `team_lookup`) and `team` choices to the teams a non-superuser manages."""

    team_lookup = "team"
    distinct = False  # set when the lookup crosses a to-many relation (users → memberships)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        queryset = queryset.filter(**{f"{self.team_lookup}__in": managed_team_ids(request.user)})
        return queryset.distinct() if self.distinct else queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "team" and not request.user.is_superuser:
            kwargs["queryset"] = Team.objects.filter(pk__in=managed_team_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdminMixin:
    """A journal: rows are written by services only. Delete stays allowed so cascades from users/teams work."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Users -----------------------------------------------------------------------------------------------------------


def _clean_phone(value: str) -> str | None:
    if not value:
        return None
    try:
        return normalize_phone(value)
    except ValidationFailed as exc:
        raise ValidationError(exc.message) from None


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "phone", "first_name", "last_name")

    def clean_phone(self):
        return _clean_phone(self.cleaned_data.get("phone"))

    def clean_email(self):
        return self.cleaned_data.get("email") or None

    def save(self, commit=True):
        user = super().save(commit=False)
        if not user.slug:
            user.slug = unique_slug(User, user.full_name or (user.email or "").split("@")[0], fallback="user")
        if commit:
            user.save()
            self.save_m2m()
        return user


class UserChangeForm(forms.ModelForm):
    """No password field at all (not even Django's masked hash summary); a link leads to the set-password form."""

    class Meta:
        model = User
        fields = (
            "email",
            "phone",
            "username",
            "slug",
            "first_name",
            "last_name",
            "locale",
            "dob",
            "avatar",
            "status",
            "phone_verified_at",
            "email_verified_at",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
        )

    def clean_phone(self):
        return _clean_phone(self.cleaned_data.get("phone"))

    def clean_email(self):
        return self.cleaned_data.get("email") or None

    def clean_username(self):
        return self.cleaned_data.get("username") or None


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)
    fields = ("user", "status", "is_manager", "role", "is_active")


class UserMembershipInline(MembershipInline):
    raw_id_fields = ("team",)
    fields = ("team", "status", "is_manager", "role", "is_active")
    fk_name = "user"


@admin.register(User)
class UserAdmin(TeamScopedAdminMixin, DjangoUserAdmin):
    team_lookup = "memberships__team"
    distinct = True

    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("uid", "email", "phone", "username", "slug", "password_status")}),
        ("Personal info", {"fields": ("first_name", "last_name", "locale", "dob", "avatar")}),
        ("Status", {"fields": ("status", "phone_verified_at", "email_verified_at")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined", "updated_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "phone", "first_name", "last_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("uid", "password_status", "last_login", "date_joined", "updated_at")
    list_display = ("email", "phone", "first_name", "last_name", "status", "phone_verified_at", "is_staff")
    list_filter = ("status", "is_staff", "is_superuser", "is_active")
    search_fields = ("email", "phone", "username", "first_name", "last_name")
    ordering = ("id",)
    inlines = [UserMembershipInline]

    @admin.display(description="Password")
    def password_status(self, obj: User) -> str:
        if obj.pk is None:
            return "-"
        state = "set" if obj.has_usable_password() else "not set (SMS/QR login only)"
        url = reverse("admin:auth_user_password_change", args=[obj.pk])
        return format_html('{} — <a href="{}">set a new password</a>', state, url)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:  # a team manager may not hand out staff rights
            fields += ("is_staff", "is_superuser", "groups", "user_permissions")
        return fields

    def get_inlines(self, request, obj):
        return [] if obj is None else super().get_inlines(request, obj)


# --- Teams and memberships --------------------------------------------------------------------------------------------


@admin.register(Team)
class TeamAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    team_lookup = "pk"
    list_display = ("name", "slug", "timezone", "is_archived", "created_at")
    list_filter = ("is_archived",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("created_by",)
    readonly_fields = ("uid", "created_at", "updated_at")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "team", "status", "is_manager", "role", "is_active", "created_at")
    list_filter = ("status", "is_manager", "is_active")
    list_select_related = ("user", "team")
    raw_id_fields = ("user", "team")
    search_fields = ("user__email", "user__phone", "user__first_name", "user__last_name", "team__name", "team__slug")


@admin.register(Device)
class DeviceAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    team_lookup = "user__memberships__team"
    distinct = True
    list_display = ("device_id", "user", "type", "environment", "name", "allowed_notifications", "last_seen_at")
    list_filter = ("type", "environment")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    search_fields = ("device_id", "name", "user__email", "user__phone")
    readonly_fields = ("created_at", "updated_at", "last_seen_at")


# --- Credentials ------------------------------------------------------------------------------------------------------


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
    raw_id_fields = ("team",)
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
    team_lookup = "user__memberships__team"
    distinct = True
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
    team_lookup = "user__memberships__team"
    distinct = True
    fields = ("phone", "purpose", "user", "requested_ip", "attempts", "expires_at", "used_at", "created_at")
    list_display = ("phone", "purpose", "user", "requested_ip", "attempts", "expires_at", "used_at", "created_at")
    list_filter = ("purpose",)
    list_select_related = ("user",)
    search_fields = ("phone", "user__email", "requested_ip")
    date_hierarchy = "created_at"
