"""Tada family (/api/v3/) views for the accounts domain. Thin: validate, call services, serialize."""

import time

from django.utils import timezone
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api.tada import TadaAPIView


class PingView(TadaAPIView):
    """POST/GET /ping → "pong". GET takes `delay_sec` (bounded) and `error` to test client error handling."""

    authentication_classes: list = []
    permission_classes: list = []
    max_delay_sec = 10.0

    def get_authenticators(self):
        return []

    def post(self, request):
        return Response("pong")

    def get(self, request):
        if "error" in request.query_params:
            raise RuntimeError("Server error requested with ?error (GET /ping).")
        raw = request.query_params.get("delay_sec")
        if raw not in (None, ""):
            try:
                delay = float(raw)
            except ValueError:
                raise ValidationError({"delay_sec": ["must be a number of seconds."]}) from None
            if not 0 <= delay <= self.max_delay_sec:
                raise ValidationError({"delay_sec": [f"must be between 0 and {self.max_delay_sec:g}."]})
            time.sleep(delay)
        return Response("pong")


class TimeView(TadaAPIView):
    permission_classes: list = []

    def get_authenticators(self):
        return []

    def get(self, request):
        return Response(timezone.now().isoformat().replace("+00:00", "Z"))
