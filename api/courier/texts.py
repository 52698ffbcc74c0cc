"""courier `text-accounts`, `texts` and the provider's delivery-status callback. Thin: validate, call a service."""

from uuid import UUID

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response

from accounts.permissions import Action
from api.courier.base import CourierFlatAPIView, CourierViewSet
from api.courier.filters_texts import TextAccountFilter, TextFilter
from api.courier.serializers.texts import (
    TextAccountCreateSerializer,
    TextAccountSerializer,
    TextAccountUpdateSerializer,
    TextCallbackSerializer,
    TextCreateSerializer,
    TextSerializer,
)
from core.api.base import PublicEndpointMixin
from core.exceptions import InvalidQueryParameter, NotFoundError, PermissionDeniedError
from core.ids import UUID_PATTERN
from messaging import selectors, services, sms
from messaging.models import Text, TextAccount


class _CourierResourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CourierViewSet):
    lookup_field = "uid"
    lookup_value_regex = UUID_PATTERN

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "team_ids": self.caller_team_ids()}

    def read_response(self, instance, *, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(instance).data, status=status_code)


class TextAccountViewSet(_CourierResourceViewSet):
    """GET list (`organization-id`), POST, GET one, PATCH. No PUT, no DELETE (the document has none)."""

    resource_name = "text-accounts"
    queryset = TextAccount.objects.select_related("team")
    serializer_class = TextAccountSerializer
    filterset_class = TextAccountFilter
    openapi_errors = {"create": (404,)}  # an `organization-id` of another team

    @extend_schema(request=TextAccountCreateSerializer)
    def create(self, request, *args, **kwargs):
        serializer = TextAccountCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        self.require(Action.CONFIGURE_MESSAGING, team_id=serializer.validated_data["team_id"])
        account = services.text_account_create(**serializer.validated_data)
        return self.read_response(account, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=TextAccountUpdateSerializer)
    def partial_update(self, request, *args, **kwargs):
        account = self.get_object()
        self.require(Action.CONFIGURE_MESSAGING, team_id=account.team_id)
        serializer = TextAccountUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        account = services.text_account_update(account=account, **serializer.validated_data)
        return self.read_response(account)


class TextViewSet(_CourierResourceViewSet):
    """GET list (`account-id` required), POST (queue an SMS), GET one."""

    resource_name = "texts"
    queryset = Text.objects.select_related("created_by")
    serializer_class = TextSerializer
    filterset_class = TextFilter
    openapi_errors = {"list": (404,), "create": (404,)}  # an `account-id` (or `number-id`) of another team

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "account-id", OpenApiTypes.UUID, required=True, description="The text account whose texts to list."
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            queryset = queryset.filter(account=self.listed_account())
        return queryset

    def listed_account(self) -> TextAccount:
        raw = self.request.query_params.get("account-id", "")
        if not raw:
            raise InvalidQueryParameter("account-id", "This parameter is required.")
        try:
            uid = UUID(raw)
        except ValueError:
            raise InvalidQueryParameter("account-id", f"must be a uuid, got {raw!r}.") from None
        account = selectors.text_account_get(uid=uid, team_ids=self.caller_team_ids())
        if account is None:
            error = NotFoundError("No such text account.", details={"account-id": ["No such text account."]})
            error.location = "query"
            raise error
        return account

    @extend_schema(request=TextCreateSerializer)
    def create(self, request, *args, **kwargs):
        serializer = TextCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        text = services.text_queue(to=data.pop("target"), body=data.pop("message"), created_by=request.user, **data)
        return self.read_response(text, status_code=status.HTTP_201_CREATED)


class TextCallbackView(PublicEndpointMixin, CourierFlatAPIView):
    """The provider reports delivery status here: no credential, but a valid provider signature (Twilio)."""

    openapi_errors = (403,)  # a missing or wrong provider signature

    @extend_schema(
        # Twilio posts a form; JSON is read too.
        request={
            "application/x-www-form-urlencoded": TextCallbackSerializer,
            "application/json": TextCallbackSerializer,
        },
        responses={204: None},
    )
    def post(self, request, uid):
        verified = sms.get_backend().verify_callback(
            url=request.build_absolute_uri(),
            params=request.POST.dict(),
            signature=request.headers.get("X-Twilio-Signature", ""),
        )
        if not verified:
            raise PermissionDeniedError("Invalid provider signature.")
        text = selectors.text_get_for_callback(uid=uid)
        if text is None:
            raise NotFoundError("No such text.")
        serializer = TextCallbackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.text_apply_status(text=text, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)
