import time

from core.request_id import new_request_id, reset_request_id, set_request_id


class RequestIdMiddleware:
    """Gives each request an id (echoed as X-Request-ID) and notes when it started (tada's `_time`)."""

    header = "X-Request-ID"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.started_at = time.perf_counter()
        request.request_id = new_request_id(request.headers.get(self.header))
        token = set_request_id(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response[self.header] = request.request_id
        return response
