"""courier `text-user-number-maps`: a member's texts go out from their number."""

from drf_spectacular.utils import extend_schema
from rest_framework import status

from accounts.permissions import Action
from api.courier.filters_numbers import TextUserNumberMapFilter
from api.courier.serializers.numbers import TextUserNumberMapCreateSerializer, TextUserNumberMapSerializer
from api.courier.sms_common import SmsResourceViewSet
from messaging.models import TextUserNumberMap
from messaging.services import numbers


class TextUserNumberMapViewSet(SmsResourceViewSet):
    """GET list (`filter[number-id]`, `filter[organization-id]`, `filter[user-id]`), POST, GET one."""

    resource_name = "text-user-number-maps"
    queryset = TextUserNumberMap.objects.select_related("team", "number", "user")
    serializer_class = TextUserNumberMapSerializer
    filterset_class = TextUserNumberMapFilter

    @extend_schema(request=TextUserNumberMapCreateSerializer, responses={201: TextUserNumberMapSerializer})
    def create(self, request, *args, **kwargs):
        data = self.validated(TextUserNumberMapCreateSerializer)
        self.require(Action.CONFIGURE_MESSAGING, team_id=data["team"].pk)
        mapped = numbers.text_user_number_map_set(**data)
        return self.read_response(mapped, status_code=status.HTTP_201_CREATED)
