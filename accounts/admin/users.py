"""Users and their devices. No password hash ever reaches a page (a link leads to Django's set-password form)."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html

from accounts.admin.scoping import TeamScopedAdminMixin, member_of_any, request_team_ids
from accounts.models import Device, Membership, User, unique_slug
from accounts.services.console_access import console_access_sync
from accounts.services.epochs import user_epochs_bump
from core.exceptions import ValidationFailed
from core.phones import normalize_phone


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


class UserMembershipInline(admin.TabularInline):
    """Read-only: access levels change through the Membership actions (accounts.services.memberships)."""

    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("team", "status", "is_manager", "role", "is_active")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("team")
        if not request.user.is_superuser:  # a user's memberships in teams this manager does not run stay hidden
            queryset = queryset.filter(team_id__in=request_team_ids(request))
        return queryset


@admin.register(User)
class UserAdmin(TeamScopedAdminMixin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("uid", "email", "phone", "username", "slug", "password_status")}),
        ("Personal info", {"fields": ("first_name", "last_name", "locale", "dob", "avatar")}),
        ("Status", {"fields": ("status", "phone_verified_at", "email_verified_at", "last_seen_at")}),
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
    readonly_fields = ("uid", "password_status", "last_login", "last_seen_at", "date_joined", "updated_at")
    list_display = ("email", "phone", "first_name", "last_name", "status", "phone_verified_at", "is_staff")
    list_filter = ("status", "is_staff", "is_superuser", "is_active")
    search_fields = ("email", "phone", "username", "first_name", "last_name")
    ordering = ("id",)
    inlines = [UserMembershipInline]

    def team_scope(self, team_ids: list[int]) -> Q:
        return Q(member_of_any("pk", team_ids))

    @admin.display(description="Password")
    def password_status(self, obj: User) -> str:
        if obj.pk is None:
            return "-"
        state = "set" if obj.has_usable_password() else "not set (SMS/QR login only)"
        url = reverse("admin:auth_user_password_change", args=[obj.pk])
        return format_html('{} — <a href="{}">set a new password</a>', state, url)

    # A team manager's console session must not become another person's login: a password they set, or an email,
    # mobile or username a reset code could then be sent to, would open that person's other teams too. Only a
    # superuser (or the person) changes them.
    LOGIN_FIELDS = ("email", "phone", "username")

    @staticmethod
    def _may_change_logins(request, obj: User) -> bool:
        return request.user.is_superuser or obj.pk == request.user.pk

    def get_readonly_fields(self, request, obj=None):
        # Staff status and the "Team manager" group follow the membership (accounts.services.console_access), never a
        # tick box; a superuser may still make an operator (is_superuser) or grant single permissions.
        fields = (*super().get_readonly_fields(request, obj), "is_staff", "groups")
        if not request.user.is_superuser:  # a team manager may not hand out rights
            fields += ("is_superuser", "user_permissions")
            if obj is not None and not self._may_change_logins(request, obj):  # the set-password view refuses too
                fields += self.LOGIN_FIELDS
        return fields

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, id)
        if user is not None and not self._may_change_logins(request, user):
            raise PermissionDenied("Only a superuser or the user may set this user's password.")
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.is_superuser and not obj.is_staff:  # an operator needs staff status to sign in to the console
            User.objects.filter(pk=obj.pk).update(is_staff=True)
            user_epochs_bump([obj.pk])
        elif change and "is_superuser" in form.changed_data:  # no longer an operator: staff only if they manage
            console_access_sync(user_ids=[obj.pk])

    def get_inlines(self, request, obj):
        return [] if obj is None else super().get_inlines(request, obj)


@admin.register(Device)
class DeviceAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    scoped_user_fields = ("user",)
    list_display = ("device_id", "user", "type", "environment", "name", "allowed_notifications", "last_seen_at")
    list_filter = ("type", "environment")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    search_fields = ("device_id", "name", "user__email", "user__phone")
    readonly_fields = ("created_at", "updated_at", "last_seen_at")

    def team_scope(self, team_ids: list[int]) -> Q:
        return Q(member_of_any("user", team_ids))
