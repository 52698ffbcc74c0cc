"""The console shows and reads times in the time zone of the team it is about (issue 11: managers think in their
team's local time, not in the server's UTC)."""

import zoneinfo

from django.utils import timezone


class ConsoleTimezoneMiddleware:
    """On /admin/ pages of signed-in staff: activate the picked team's time zone (accounts.admin.scoping)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = self._zone(request) if request.path.startswith("/admin/") else None
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):  # the handler renders TemplateResponses inside get_response
            return self.get_response(request)

    def _zone(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return None
        from accounts.admin.scoping import console_teams, picked_team_id

        teams = console_teams(request)
        wanted = request.GET.get("team")
        team = teams.filter(pk=wanted).first() if wanted and wanted.isdigit() else None
        if team is None:
            remembered = picked_team_id(request)
            team = (teams.filter(pk=remembered).first() if remembered else None) or teams.first()
        try:
            return zoneinfo.ZoneInfo(team.timezone) if team is not None and team.timezone else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None
