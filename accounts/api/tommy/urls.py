"""Tommy (/api/v1/) routes of the accounts app; paths as documented, trailing slash optional."""

from django.urls import re_path

from accounts.api.tommy import views

urlpatterns = [
    re_path(r"^users/?$", views.UsersView.as_view(), name="users"),
    re_path(r"^users/verify/?$", views.VerifyView.as_view(), name="users-verify"),
    re_path(r"^users/reset_password/?$", views.ResetPasswordView.as_view(), name="users-reset-password"),
    re_path(
        r"^users/(?P<pk>[0-9]+)/send_verification_sms/?$",
        views.SendVerificationSmsView.as_view(),
        name="users-send-verification-sms",
    ),
    re_path(r"^users/(?P<id_or_slug>[^/]+)/?$", views.UserDetailView.as_view(), name="user-detail"),
    re_path(r"^me/?$", views.MeView.as_view(), name="me"),
    re_path(r"^sessions/?$", views.SessionsView.as_view(), name="sessions"),
    re_path(r"^devices/?$", views.DevicesView.as_view(), name="devices"),
    re_path(r"^devices/(?P<pk>[0-9]+)/?$", views.DeviceDetailView.as_view(), name="device-detail"),
]
