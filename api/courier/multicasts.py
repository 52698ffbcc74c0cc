"""courier `multicasts` (list, create, get) and `user-multicasts` (list, create), with Crewdesk's documented
extension actions: `POST /multicasts/estimate/` (recipients per channel, SMS segments and cost, nothing stored),
`GET /multicasts/{id}/report/`, `POST /multicasts/{id}/retry-failed/`, `POST /multicasts/{id}/cancel/`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Membership
from accounts.permissions import Action
from api.courier.documents import (
    CourierDocumentViewSet,
    attributes_of,
    bool_param,
    cmp_filter,
    flat_body,
    iso,
    one,
    resource,
    uuid_or_none,
)
from api.courier.multicast_common import channel_counts, multicast_answer, render_multicast, template_fields
from api.courier.serializers.notifications import (
    CourierMulticastEstimateSerializer,
    CourierMulticastReportSerializer,
    CourierMulticastSerializer,
    CourierUserMulticastSerializer,
)
from api.courier.sms_common import not_found, organization_of, uuid_param
from core.exceptions import InvalidQueryParameter, NotFoundError, ValidationFailed
from messaging.models import Multicast, UserNotification
from messaging.services import multicast_ops
from messaging.services import recipients as recipient_rules
from messaging.services.multicasts import multicast_check, multicast_estimate, multicast_send

LIST_PARAMS = ("filter[cmp-created-at]",)


class MulticastViewSet(CourierDocumentViewSet):
    queryset = Multicast.objects.select_related("created_by", "individual_group", "individual", "team")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            return queryset
        for name in self.request.query_params:
            if name.startswith("filter[") and name not in LIST_PARAMS:
                raise InvalidQueryParameter(name, "Unknown filter.")
        for lookup, moment in cmp_filter(self.request, "filter[cmp-created-at]"):
            queryset = queryset.filter(**{f"created_at__{lookup}": moment})
        group = uuid_param(self.request, "individual-group-id", required=False)
        if group is not None:
            queryset = queryset.filter(individual_group__uid=group)
        template_id = self.request.query_params.get("template-id")
        if template_id:
            queryset = queryset.filter(template_id=template_id[:255])
        if bool_param(self.request, "include-individual-group"):
            queryset = queryset.prefetch_related(
                "individual_group__members__user", "individual_group__leaders__user", "individual_group__team"
            )
        return queryset

    def render_one(self, multicast: Multicast, counts: dict | None = None) -> dict:
        return render_multicast(
            multicast,
            self.request,
            include_group=bool_param(self.request, "include-individual-group"),
            include_ids=bool_param(self.request, "include-individual-ids"),
            counts=channel_counts([multicast]) if counts is None else counts,
        )

    def get_object(self) -> Multicast:
        found = self.get_queryset().filter(uid=uuid_or_none(self.kwargs["uid"])).first()
        if found is None:
            raise NotFoundError("No such multicast.")
        return found

    @extend_schema(responses={200: CourierMulticastSerializer(many=True)}, operation_id="courier_v1_multicasts_list")
    def list(self, request, *args, **kwargs):
        rows = self.paginator.paginate_queryset(self.get_queryset(), request, view=self)
        counts = channel_counts(rows)
        meta = {"page[limit]": self.paginator.limit, "page[offset]": self.paginator.offset}
        meta["page[total]"] = self.paginator.total
        return Response({"data": [self.render_one(m, counts) for m in rows], "meta": meta})

    @extend_schema(responses={200: CourierMulticastSerializer})
    def retrieve(self, request, *args, **kwargs):
        return one(self.render_one(self.get_object()))

    def _parsed(self, request) -> dict:
        values = attributes_of(request, "multicasts")
        team = organization_of(uuid_or_none(values.get("organization_id")), self.caller_team_ids())
        if values.get("organization_id") and uuid_or_none(values["organization_id"]) is None:
            raise ValidationFailed.for_field("organization_id", "Must be a uuid.")
        self.require(Action.NOTIFY_PEOPLE, team_id=team.pk)
        template_id, data = template_fields(values, data_field="data")
        filter_value = values.get("filter_value") or {}
        if not isinstance(filter_value, dict):
            raise ValidationFailed.for_field("filter_value", "Must be an object.")
        channels = values.get("channels")
        if channels is not None and not isinstance(channels, list):
            raise ValidationFailed.for_field("channels", "A list of channels: push, sms, email.")
        filter_type = values.get("filter_type") or "all-participants"
        return {
            "team": team,
            "template_id": template_id,
            "params": data,
            "target": recipient_rules.target_for(team=team, filter_type=filter_type, filter_value=filter_value),
            "channels": channels,
        }

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: CourierMulticastSerializer})
    def create(self, request, *args, **kwargs):
        multicast = multicast_send(**self._parsed(request), by=request.user, source=Multicast.Source.MULTICAST)
        return one(self.render_one(multicast), status_code=status.HTTP_201_CREATED)

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: CourierMulticastEstimateSerializer})
    @action(detail=False, methods=["post"], url_path="estimate")
    def estimate(self, request, *args, **kwargs):
        """What a multicast with this body would cost, without storing or sending anything."""
        parsed = self._parsed(request)
        checked = multicast_check(
            team=parsed["team"], template_id=parsed["template_id"], params=parsed["params"], channels=parsed["channels"]
        )
        template, parts, channels = checked.template, checked.parts, checked.channels
        found = multicast_estimate(
            team=parsed["team"], parts=parts, params=parsed["params"], target=parsed["target"], channels=channels
        )
        return one(
            resource(
                "multicast-estimates",
                template.uid,
                {
                    "recipients": found.recipients,
                    "channels": found.channels,
                    "unreachable": found.unreachable,
                    "sms-segments": found.sms_segments,
                    "sms-encodings": found.sms_encodings,
                    "sms-cost": str(found.sms_cost),
                    "currency": found.currency,
                    "sampled": found.sampled,
                },
            )
        )

    @extend_schema(responses={200: CourierMulticastReportSerializer})
    @action(detail=True, methods=["get"], url_path="report")
    def report(self, request, *args, **kwargs):
        multicast = self.get_object()
        found = multicast_ops.multicast_report(multicast=multicast)
        return one(
            resource(
                "multicast-reports",
                multicast.uid,
                {"status": found.status, "recipients": found.recipients, "channels": found.channels},
            )
        )

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: CourierMulticastSerializer})
    @action(detail=True, methods=["post"], url_path="retry-failed")
    def retry_failed(self, request, *args, **kwargs):
        multicast = self.get_object()
        self.require(Action.NOTIFY_PEOPLE, team_id=multicast.team_id)
        multicast_ops.multicast_retry_failed(multicast=multicast)
        return one(self.render_one(multicast), status_code=status.HTTP_201_CREATED)

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: CourierMulticastSerializer})
    @action(detail=True, methods=["post"], url_path="cancel")
    def cancel(self, request, *args, **kwargs):
        multicast = self.get_object()
        self.require(Action.NOTIFY_PEOPLE, team_id=multicast.team_id)
        multicast_ops.multicast_cancel(multicast=multicast)
        return one(self.render_one(multicast), status_code=status.HTTP_201_CREATED)


class UserMulticastViewSet(CourierDocumentViewSet):
    """GET list (`individual-id` required: what that individual received), POST (flat body: templated multicast to
    individuals and/or groups)."""

    queryset = UserNotification.objects.select_related("multicast", "individual", "team")

    def individual(self) -> Membership:
        uid = uuid_param(self.request, "individual-id", required=True)
        found = Membership.objects.active().filter(team_id__in=self.caller_team_ids(), uid=uid).first()
        if found is None:
            raise not_found("individual-id", "individual", in_query=True)
        if found.user_id != self.request.user.pk:
            self.require(Action.NOTIFY_PEOPLE, team_id=found.team_id)
        return found

    def render_one(self, notification: UserNotification) -> dict:
        return resource(
            "user-multicasts",
            notification.uid,
            {
                "created-at": iso(notification.created_at),
                "individual-id": str(notification.individual.uid),
                "organization-id": str(notification.team.uid),
                "template-data": notification.multicast.data,
                "template-id": notification.multicast.template_id,
            },
        )

    @extend_schema(
        responses={200: CourierUserMulticastSerializer(many=True)}, operation_id="courier_v1_user_multicasts_list"
    )
    def list(self, request, *args, **kwargs):
        return self.page(self.get_queryset().filter(individual=self.individual()))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT})
    def create(self, request, *args, **kwargs):
        body = flat_body(request)
        team = organization_of(uuid_or_none(body.get("organization_id")), self.caller_team_ids())
        self.require(Action.NOTIFY_PEOPLE, team_id=team.pk)
        template_id, data = template_fields(body, data_field="template_data")
        for name in ("individual_ids", "individual_group_ids"):
            if name in body and (not isinstance(body[name], list) or not body[name]):
                raise ValidationFailed.for_field(name, "Must be a non-empty list of ids.")
        target = recipient_rules.individuals_target(
            team=team, individual_ids=body.get("individual_ids"), individual_group_ids=body.get("individual_group_ids")
        )
        multicast = multicast_send(
            team=team,
            template_id=template_id,
            params=data,
            by=request.user,
            target=target,
            source=Multicast.Source.USER_MULTICAST,
            data_field="template_data",
        )
        return multicast_answer(multicast)
