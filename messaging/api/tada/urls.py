"""Tada (/api/v3/) routes served by messaging: websocket client events sent over HTTP."""

from django.urls import re_path

from messaging.api.tada.views import TeamWsEventView

UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

urlpatterns = [
    re_path(
        rf"^teams/(?P<team_uid>{UUID})/ws/(?P<client_event_name>[A-Za-z0-9._-]+)/?$",
        TeamWsEventView.as_view(),
        name="team-ws-event",
    ),
]
