from django.urls import re_path

from accounts.api.tada import views

# Paths answer with and without a trailing slash: the document's prose uses both.
urlpatterns = [
    re_path(r"^ping/?$", views.PingView.as_view(), name="ping"),
    re_path(r"^time/?$", views.TimeView.as_view(), name="time"),
    re_path(r"^countries/?$", views.CountriesView.as_view(), name="countries"),
    re_path(r"^sms-login/?$", views.SmsLoginView.as_view(), name="sms-login"),
    re_path(r"^sms-auth/?$", views.SmsAuthView.as_view(), name="sms-auth"),
    re_path(r"^sms-cookieauth/?$", views.SmsCookieAuthView.as_view(), name="sms-cookieauth"),
    re_path(r"^qr-login\.png/?$", views.QrLoginPngView.as_view(), name="qr-login-png"),
    re_path(r"^qr-auth/?$", views.QrAuthView.as_view(), name="qr-auth"),
    re_path(r"^cookieauth-logout/?$", views.CookieAuthLogoutView.as_view(), name="cookieauth-logout"),
    re_path(r"^me/?$", views.MeView.as_view(), name="me"),
    re_path(r"^devices/?$", views.DevicesView.as_view(), name="devices"),
    re_path(r"^devices/(?P<device_id>[^/]+)/?$", views.DeviceDetailView.as_view(), name="device-detail"),
]
