"""courier `user-consents` (request a member's consent by SMS; their reply decides it) and `org-preferences`
(list every documented name, stored or default; set one)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.permissions import Action
from api.courier.base import CourierViewSet
from api.courier.filters_numbers import UserConsentFilter
from api.courier.serializers.consents import (
    OrgPreferenceSerializer,
    OrgPreferenceSetSerializer,
    UserConsentRequestSerializer,
    UserConsentSerializer,
)
from api.courier.sms_common import SmsResourceViewSet, not_found, uuid_param
from core.exceptions import InvalidQueryParameter
from messaging import selectors
from messaging.models import UserConsent
from messaging.services import consents, preferences


class UserConsentViewSet(SmsResourceViewSet):
    """GET list (`filter[organization-id]`, `filter[user-id]`), POST (request; the SMS goes out by Celery), GET one."""

    resource_name = "user-consents"
    queryset = UserConsent.objects.select_related("team", "user")
    serializer_class = UserConsentSerializer
    filterset_class = UserConsentFilter

    @extend_schema(request=UserConsentRequestSerializer, responses={201: UserConsentSerializer})
    def create(self, request, *args, **kwargs):
        consent = consents.consent_request(**self.validated(UserConsentRequestSerializer))
        return self.read_response(consent, status_code=status.HTTP_201_CREATED)


class OrgPreferenceViewSet(CourierViewSet):
    """GET list (`organization-id` required, `filter[name]`; not paginated: every name, default or set), POST (set)."""

    resource_name = "org-preferences"
    serializer_class = OrgPreferenceSerializer
    pagination_class = None

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "team_ids": self.caller_team_ids()}

    @extend_schema(responses={200: OrgPreferenceSerializer(many=True)})
    def list(self, request, *args, **kwargs):
        uid = uuid_param(request, "organization-id", required=True)
        team = selectors.team_get(uid=uid, team_ids=self.caller_team_ids())
        if team is None:
            raise not_found("organization-id", "organization", in_query=True)
        names = preferences.NAMES
        wanted = request.query_params.get("filter[name]")
        for name in request.query_params:
            if name.startswith("filter[") and name != "filter[name]":
                raise InvalidQueryParameter(name, "Unknown filter.")
        if wanted is not None:
            if wanted not in names:
                raise InvalidQueryParameter("filter[name]", f"must be one of {', '.join(names)}.")
            names = (wanted,)
        rows = preferences.preferences_of(team=team, names=names)
        return Response(self.get_serializer(rows, many=True).data)

    @extend_schema(request=OrgPreferenceSetSerializer, responses={201: OrgPreferenceSerializer})
    def create(self, request, *args, **kwargs):
        serializer = OrgPreferenceSetSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        self.require(Action.CONFIGURE_MESSAGING, team_id=serializer.validated_data["team"].pk)
        row = preferences.org_preference_set(**serializer.validated_data)
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)
