"""The inbox family's routes, one module: paths as its document has them (trailing slash optional)."""

from django.urls import re_path

from api.inbox import companies as views

# --- companies --------------------------------------------------------------------------------------

# The document spells the current-key path `currrent` (three r's) in every sample; `current` is accepted too.
# Two routes, not one pattern with an alternation, so the schema documents both spellings (it had read the
# alternation as `/keys/curent`, a path that answers 404).
companies_patterns = [
    re_path(r"^keys/?$", views.KeyViewSet.as_view({"get": "list"}), name="key-list"),
    re_path(r"^keys/currrent/?$", views.KeyViewSet.as_view({"get": "current"}), name="key-currrent"),
    re_path(r"^keys/current/?$", views.KeyViewSet.as_view({"get": "current"}), name="key-current"),
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


urlpatterns = [*companies_patterns]
