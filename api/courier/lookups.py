"""courier `text-number-info`: carrier lookups, cached per organization and resolved by Celery."""

from drf_spectacular.utils import extend_schema
from rest_framework import status

from api.courier.filters_numbers import TextNumberInfoFilter
from api.courier.serializers.lookups import TextNumberInfoRequestSerializer, TextNumberInfoSerializer
from api.courier.sms_common import SmsResourceViewSet
from core.exceptions import InvalidQueryParameter
from messaging.models import TextNumberInfo
from messaging.services import numbers


class TextNumberInfoViewSet(SmsResourceViewSet):
    """GET list (`number` required), POST (request a lookup; the cached one unless `reresolve`), GET one."""

    resource_name = "text-number-info"
    queryset = TextNumberInfo.objects.all()
    serializer_class = TextNumberInfoSerializer
    filterset_class = TextNumberInfoFilter

    def list(self, request, *args, **kwargs):
        if not request.query_params.get("number"):
            raise InvalidQueryParameter("number", "This parameter is required.")
        return super().list(request, *args, **kwargs)

    @extend_schema(request=TextNumberInfoRequestSerializer, responses={201: TextNumberInfoSerializer})
    def create(self, request, *args, **kwargs):
        info = numbers.text_number_info_request(**self.validated(TextNumberInfoRequestSerializer))
        return self.read_response(info, status_code=status.HTTP_201_CREATED)
