"""courier `text-number-logs` (a number's traffic log, `number-id` required) and `text-receive-logs/{id}` (one
inbound SMS, addressed by the provider's message id)."""

from rest_framework import mixins

from api.courier.base import CourierViewSet
from api.courier.serializers.numbers import TextNumberLogSerializer, TextReceiveLogSerializer
from api.courier.sms_common import not_found, uuid_param
from messaging import selectors
from messaging.models import InboundText, TextNumberLog


class TextNumberLogViewSet(mixins.ListModelMixin, CourierViewSet):
    """GET list only: `number-id` (required) names the number; another team's number is a 404 on it."""

    resource_name = "text-number-logs"
    queryset = TextNumberLog.objects.all()
    serializer_class = TextNumberLogSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        uid = uuid_param(self.request, "number-id", required=True)
        number = selectors.text_number_get(uid=uid, team_ids=self.caller_team_ids())
        if number is None:
            raise not_found("number-id", "text account number", in_query=True)
        return queryset.filter(number=number)


class TextReceiveLogViewSet(mixins.RetrieveModelMixin, CourierViewSet):
    """GET one inbound message by its provider id (the document's only text-receive-logs path)."""

    resource_name = "text-receive-logs"
    queryset = InboundText.objects.all()
    serializer_class = TextReceiveLogSerializer
    lookup_field = "sid"
    lookup_value_regex = "[^/]{1,64}"

    def get_object(self):
        found = self.get_queryset().filter(sid=self.kwargs["sid"]).order_by("created_at", "id").first()
        if found is None:
            raise not_found("id", "received text")
        self.check_object_permissions(self.request, found)
        return found
