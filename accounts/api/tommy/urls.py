"""Tommy (/api/v1/) routes of the accounts app; paths as documented, trailing slash optional."""

from django.urls import re_path

from accounts.api.tommy import views

urlpatterns = [
    re_path(r"^users/?$", views.UsersView.as_view(), name="users"),
    re_path(r"^users/verify/?$", views.VerifyView.as_view(), name="users-verify"),
    re_path(r"^users/search/?$", views.UsersSearchView.as_view(), name="users-search"),
    re_path(r"^users/reset_password/?$", views.ResetPasswordView.as_view(), name="users-reset-password"),
    re_path(
        r"^users/(?P<pk>[0-9]+)/send_verification_sms/?$",
        views.SendVerificationSmsView.as_view(),
        name="users-send-verification-sms",
    ),
    re_path(
        r"^users/(?P<pk>[0-9]+)/send_verification_email/?$",
        views.SendVerificationEmailView.as_view(),
        name="users-send-verification-email",
    ),
    re_path(r"^users/(?P<id_or_slug>[^/]+)/?$", views.UserDetailView.as_view(), name="user-detail"),
    re_path(r"^me/?$", views.MeView.as_view(), name="me"),
    re_path(r"^accounts/search/?$", views.AccountsSearchView.as_view(), name="accounts-search"),
    re_path(r"^me/accounts/?$", views.MeAccountsView.as_view(), name="me-accounts"),
    re_path(r"^me/current_account/?$", views.MeCurrentAccountView.as_view(), name="me-current-account"),
    re_path(r"^me/settings/?$", views.MeSettingsView.as_view(), name="me-settings"),
    re_path(r"^me/settings/(?P<name>[^/]+)/?$", views.MeSettingDetailView.as_view(), name="me-setting-detail"),
    re_path(r"^me/qr/?$", views.MeQrView.as_view(), name="me-qr"),
    re_path(r"^me/wls/?$", views.MeWlsView.as_view(), name="me-wls"),
    re_path(r"^teams/?$", views.TeamsView.as_view(), name="teams"),
    re_path(r"^teams/(?P<slug>[^/]+)/?$", views.TeamBySlugView.as_view(), name="team-by-slug"),
    re_path(r"^team/?$", views.TeamView.as_view(), name="team"),
    re_path(r"^team/features/?$", views.TeamFeaturesView.as_view(), name="team-features"),
    re_path(r"^team/settings/?$", views.TeamSettingsView.as_view(), name="team-settings"),
    re_path(r"^team/settings/(?P<name>[^/]+)/?$", views.TeamSettingDetailView.as_view(), name="team-setting-detail"),
    re_path(r"^team/members/?$", views.TeamMembersView.as_view(), name="team-members"),
    re_path(r"^team/members/invite/?$", views.TeamMemberInviteView.as_view(), name="team-members-invite"),
    re_path(r"^team/members/(?P<user_id>[0-9]+)/?$", views.TeamMemberDetailView.as_view(), name="team-member-detail"),
    re_path(r"^sessions/?$", views.SessionsView.as_view(), name="sessions"),
    re_path(r"^devices/?$", views.DevicesView.as_view(), name="devices"),
    re_path(r"^devices/(?P<pk>[0-9]+)/?$", views.DeviceDetailView.as_view(), name="device-detail"),
]
