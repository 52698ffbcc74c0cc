from django.urls import re_path

from accounts.api.tada import views

# Paths answer with and without a trailing slash: the document's prose uses both.
urlpatterns = [
    re_path(r"^ping/?$", views.PingView.as_view(), name="ping"),
    re_path(r"^time/?$", views.TimeView.as_view(), name="time"),
]
