"""courier `text-account-numbers` (list, provision, get, PATCH, reset-logs), `text-accounts/{id}/claim-number/`,
and each number's provider webhook for inbound messages. Thin: validate, call a service."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import Action
from api.courier.base import CourierFlatAPIView
from api.courier.filters_numbers import TextNumberFilter
from api.courier.serializers.numbers import (
    ClaimNumberSerializer,
    TextNumberCreateSerializer,
    TextNumberSerializer,
    TextNumberUpdateSerializer,
)
from api.courier.sms_common import SmsResourceViewSet, not_found
from core.api.base import PublicEndpointMixin
from core.exceptions import PermissionDeniedError, ValidationFailed
from messaging import selectors, sms
from messaging.models import TextNumber
from messaging.services import inbound, numbers

EMPTY_TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


class TextNumberViewSet(SmsResourceViewSet):
    """GET list (`account-id`, `phone-number`, `filter[phone-number]`), POST (provision), GET one, PATCH,
    POST reset-logs. No PUT, no DELETE (the document has none; numbers are released in the console)."""

    resource_name = "text-account-numbers"
    queryset = TextNumber.objects.select_related("account")
    serializer_class = TextNumberSerializer
    filterset_class = TextNumberFilter

    @extend_schema(request=TextNumberCreateSerializer, responses={201: TextNumberSerializer})
    def create(self, request, *args, **kwargs):
        data = self.validated(TextNumberCreateSerializer)
        self.require(Action.CONFIGURE_MESSAGING, team_id=data["account"].team_id)
        number = numbers.text_number_provision(**data)
        return self.read_response(number, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=TextNumberUpdateSerializer, responses={200: TextNumberSerializer})
    def partial_update(self, request, *args, **kwargs):
        number = self.get_object()
        self.require(Action.CONFIGURE_MESSAGING, team_id=number.account.team_id)
        number = numbers.text_number_update(number=number, **self.validated(TextNumberUpdateSerializer, partial=True))
        return self.read_response(number)

    @extend_schema(request=None, responses={201: TextNumberSerializer})
    @action(detail=True, methods=["post"], url_path="reset-logs")
    def reset_logs(self, request, *args, **kwargs):
        number = self.get_object()
        self.require(Action.CONFIGURE_MESSAGING, team_id=number.account.team_id)
        numbers.text_number_reset_logs(number=number)
        return self.read_response(number, status_code=status.HTTP_201_CREATED)


class ClaimNumberView(CourierFlatAPIView):
    """`POST /text-accounts/{id}/claim-number/` with a flat `{"notes"}`: provisions a number for the account and
    answers the new `text-account-numbers` resource."""

    resource_name = "text-account-numbers"

    @extend_schema(request=ClaimNumberSerializer, responses={201: TextNumberSerializer})
    def post(self, request, uid):
        account = selectors.text_account_get(uid=uid, team_ids=self.caller_team_ids())
        if account is None:
            raise not_found("id", "text account")
        self.require(Action.CONFIGURE_MESSAGING, team_id=account.team_id)
        serializer = ClaimNumberSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        number = numbers.text_number_provision(account=account, notes=serializer.validated_data["notes"])
        return Response(TextNumberSerializer(number, context={"request": request}).data, status=status.HTTP_201_CREATED)


class TextNumberInboundView(PublicEndpointMixin, CourierFlatAPIView):
    """The provider posts each inbound message of the number here (Twilio's form fields MessageSid, From, To,
    Body). No credential: with the twilio backend the request signature is verified (403 otherwise, nothing
    stored). The message is stored once per MessageSid and answered at once (empty TwiML); Celery does the rest."""

    openapi_errors = (403,)  # a missing or wrong provider signature

    @extend_schema(
        # Twilio posts a form; JSON is read too (the local backends).
        request={"application/x-www-form-urlencoded": OpenApiTypes.OBJECT, "application/json": OpenApiTypes.OBJECT},
        responses={(200, "text/xml"): OpenApiResponse(OpenApiTypes.STR, description="Empty TwiML <Response/>")},
    )
    def post(self, request, uid):
        params = request.POST.dict() if request.POST else dict(request.data)
        backend = sms.get_backend()
        signature = request.headers.get("X-Twilio-Signature", "")
        if not backend.verify_inbound(url=request.build_absolute_uri(), params=params, signature=signature):
            raise PermissionDeniedError("Invalid provider signature.")
        try:
            message = backend.parse_inbound(params)
        except sms.InvalidInbound as exc:
            raise ValidationFailed(str(exc)) from None
        inbound.inbound_receive_for(number_uid=uid, message=message)
        return HttpResponse(EMPTY_TWIML, content_type="text/xml")
