from django.urls import re_path

from accounts.api.inbox import views

# The document spells the current-key path `currrent` (three r's) in every sample; `current` is accepted too.
urlpatterns = [
    re_path(r"^keys/?$", views.KeyViewSet.as_view({"get": "list"}), name="key-list"),
    re_path(r"^keys/cur(?:rr|r)ent/?$", views.KeyViewSet.as_view({"get": "current"}), name="key-current"),
    re_path(r"^companies/?$", views.CompanyViewSet.as_view({"get": "list"}), name="company-list"),
    re_path(
        r"^companies/(?P<companyId>[^/]+)/agents/?$", views.AgentViewSet.as_view({"get": "list"}), name="agent-list"
    ),
    re_path(
        r"^companies/(?P<companyId>[^/]+)/agents/(?P<email>[^/]+)/?$",
        views.AgentViewSet.as_view({"get": "retrieve"}),
        name="agent-detail",
    ),
    re_path(r"^companies/current/?$", views.CompanyViewSet.as_view({"get": "current"}), name="company-current"),
    re_path(r"^companies/(?P<id>[^/]+)/?$", views.CompanyViewSet.as_view({"get": "retrieve"}), name="company-detail"),
]
