"""Mounts the four API families (each at its documented prefix), their OpenAPI docs, and the admin."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from django.views import defaults
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api.courier.base import CourierUnknownPath
from api.inbox.base import InboxUnknownPath
from api.tada.base import TadaUnknownPath
from api.tommy.base import TommyUnknownPath

# family: (prefix, its url module in api/<family>/, the view answering unknown paths, title)
FAMILIES = {
    "tommy": ("api/v1/", "api.tommy.urls", TommyUnknownPath, "Tommy API v1"),
    "courier": ("courier/v1/", "api.courier.urls", CourierUnknownPath, "courier API"),
    "inbox": ("inbox/v3/", "api.inbox.urls", InboxUnknownPath, "Conversations Inbox API v3"),
    "tada": ("api/v3/", "api.tada.urls", TadaUnknownPath, "Team messenger API v3"),
}


def family_patterns(family: str) -> list:
    prefix, module, unknown_path_view, _ = FAMILIES[family]
    # [\s\S], not `.`: a path with an encoded newline (%0A) must reach the family's 404 too, not Django's HTML page.
    routes = [path("", include(module)), re_path(r"^[\s\S]*$", unknown_path_view.as_view(), name="unknown-path")]
    return [path(prefix, include((routes, family), namespace=family))]


def family_docs(family: str) -> list:
    title = FAMILIES[family][3]
    schema = SpectacularAPIView.as_view(
        urlconf=family_patterns(family),
        custom_settings={"TITLE": title},
        authentication_classes=[],
        permission_classes=[],
    )
    return [
        path(f"api/schema/{family}/", schema, name=f"schema-{family}"),
        path(
            f"api/docs/{family}/",
            SpectacularSwaggerView.as_view(
                url_name=f"schema-{family}", authentication_classes=[], permission_classes=[]
            ),
            name=f"docs-{family}",
        ),
    ]


def family_error_handler(status: int):
    """Django's handler400/handler500: under a family's prefix, the family's envelope (an error raised outside any
    view, e.g. in a middleware, would otherwise be Django's HTML page); elsewhere Django's own page."""
    django_default = {400: defaults.bad_request, 500: defaults.server_error}[status]

    def handler(request, exception=None):
        for prefix, _module, unknown_path_view, _title in FAMILIES.values():
            if request.path_info.startswith(f"/{prefix}"):
                response = unknown_path_view.as_view(answer_status=status)(request)
                return response.render()
        return django_default(request) if status == 500 else django_default(request, exception)

    return handler


handler400 = family_error_handler(400)
handler500 = family_error_handler(500)

urlpatterns = [path("admin/", admin.site.urls)]
if settings.DEBUG:  # uploads (team icons, avatars) in `make run`; production serves MEDIA_ROOT from the web server
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
for _family in FAMILIES:
    urlpatterns += family_docs(_family)
for _family in FAMILIES:
    urlpatterns += family_patterns(_family)
