"""courier `user-notifications` (list, get, `ack` with `ack-previous`), `user-notification-counts`, `badge-counts`
(list, set, get), `bulk-badge-counts` and `communication-summaries`.

A person reads their own; reading or changing someone else's is for the organization's managers
(Action.NOTIFY_PEOPLE). Another organization's individual is a 404.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Membership
from accounts.permissions import Action
from api.courier.base import CourierAPIView
from api.courier.documents import (
    PARSERS,
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
from api.courier.serializers.notifications import CourierBadgeCountSerializer, CourierUserNotificationSerializer
from api.courier.sms_common import not_found, uuid_param
from core.api.pagination import bounded_int_param
from core.exceptions import InvalidQueryParameter, NotFoundError, ValidationFailed
from messaging.models import BadgeCount, UserNotification
from messaging.services import notifications as services


class IndividualAccessMixin:
    """Whose records: the caller's own individual, or (for the organization's managers) anyone's."""

    def individual_by_uid(self, uid, *, field: str, in_query: bool) -> Membership:
        found = (
            Membership.objects.active()
            .filter(team_id__in=self.caller_team_ids(), uid=uid)
            .select_related("team", "user")
            .first()
        )
        if found is None:
            raise not_found(field, "individual", in_query=in_query)
        self.require_access(found)
        return found

    def require_access(self, individual: Membership) -> None:
        if individual.user_id != self.request.user.pk:
            self.require(Action.NOTIFY_PEOPLE, team_id=individual.team_id)


class UserNotificationViewSet(IndividualAccessMixin, CourierDocumentViewSet):
    """GET list (`acknowledged`, `filter[category]`, `include[inactive]`, `individual-id`, `organization-id`),
    GET one, POST `{id}/ack/` (`ack-previous`)."""

    queryset = UserNotification.objects.select_related("individual", "team", "user")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            return queryset
        params = self.request.query_params
        for name in params:
            if name.startswith("filter[") and name != "filter[category]":
                raise InvalidQueryParameter(name, "Unknown filter.")
        individual = uuid_param(self.request, "individual-id", required=False)
        if individual is not None:
            queryset = queryset.filter(
                individual=self.individual_by_uid(individual, field="individual-id", in_query=True)
            )
        else:
            queryset = queryset.filter(user=self.request.user)  # by default: the caller's own
        organization = uuid_param(self.request, "organization-id", required=False)
        if organization is not None:
            queryset = queryset.filter(team__uid=organization)
        if params.get("acknowledged") not in (None, ""):
            queryset = queryset.filter(acknowledged=bool_param(self.request, "acknowledged"))
        if params.get("filter[category]"):
            queryset = queryset.filter(category=params["filter[category]"][:32])
        if not bool_param(self.request, "include[inactive]"):
            queryset = queryset.filter(active=True)
        return queryset

    def get_object(self) -> UserNotification:
        found = self.get_queryset().filter(uid=uuid_or_none(self.kwargs["uid"])).first()
        if found is None:
            raise NotFoundError("No such notification.")
        self.require_access(found.individual)
        return found

    def render_one(self, notification: UserNotification) -> dict:
        data = {"apn": {}, "fcm": {}, "sms": {"bodies": []}, "web": {}, **(notification.data or {})}
        return resource(
            "user-notifications",
            notification.uid,
            {
                "acknowledged": notification.acknowledged,
                "active": notification.active,
                "created-at": iso(notification.created_at),
                "data": data,
                "individual-id": str(notification.individual.uid),
                "organization-id": str(notification.team.uid),
                "user-first-name": notification.user.first_name,
                "user-id": str(notification.user.uid),
                "user-last-name": notification.user.last_name,
            },
        )

    @extend_schema(
        responses={200: CourierUserNotificationSerializer(many=True)}, operation_id="courier_v1_user_notifications_list"
    )
    def list(self, request, *args, **kwargs):
        return self.page(self.get_queryset())

    @extend_schema(responses={200: CourierUserNotificationSerializer})
    def retrieve(self, request, *args, **kwargs):
        return one(self.render_one(self.get_object()))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: CourierUserNotificationSerializer})
    @action(detail=True, methods=["post"], url_path="ack")
    def ack(self, request, *args, **kwargs):
        notification = self.get_object()
        body = flat_body(request) if request.data else {}
        ack_previous = body.get("ack_previous", False)
        if not isinstance(ack_previous, bool):
            raise ValidationFailed.for_field("ack_previous", "Must be a boolean.")
        notification = services.notification_ack(notification=notification, ack_previous=ack_previous)
        return one(self.render_one(notification), status_code=status.HTTP_201_CREATED)


class NotificationCountsView(CourierAPIView):
    """GET `user-notification-counts`: notifications per user per day over the caller's organizations (the
    caller's own; managers see their organizations' people), one query. Items have no id, as documented."""

    resource_name = False

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        for name in request.query_params:
            if name.startswith("filter[") and name != "filter[cmp-created-at]":
                raise InvalidQueryParameter(name, "Unknown filter.")
        limit = bounded_int_param(request.query_params, "page[limit]", default=500, minimum=0, maximum=1000)
        offset = bounded_int_param(request.query_params, "page[offset]", default=0, minimum=0, maximum=2**31 - 1)
        scope = UserNotification.objects.filter(team_id__in=self.caller_team_ids())
        managed = [tid for tid in self.caller_team_ids() if self.may_notify(tid)]
        scope = scope.filter(team_id__in=managed) | scope.filter(user=request.user)
        bounds = dict(cmp_filter(request, "filter[cmp-created-at]", allowed=(">=", "<=")))
        rows = list(
            services.notification_counts(scope, since=bounds.get("gte"), until=bounds.get("lte"))[
                offset : offset + limit
            ]
        )
        data = [
            {
                "type": "notification-counts",
                "attributes": {
                    "count": r["count"],
                    "daily-for-date": r["day"].isoformat(),
                    "user-id": str(r["user__uid"]),
                },
            }
            for r in rows
        ]
        return Response({"data": data, "meta": {"page[limit]": limit, "page[offset]": offset}})

    def may_notify(self, team_id: int) -> bool:
        from accounts.permissions import may

        return may(self.organization_membership(team_id), Action.NOTIFY_PEOPLE)


class BadgeCountViewSet(IndividualAccessMixin, CourierDocumentViewSet):
    """GET list (`individual-id` required, `organization-id`; not paginated), POST (upsert by individual and type),
    GET one."""

    queryset = BadgeCount.objects.select_related("individual", "team")
    pagination_class = None

    def render_one(self, badge: BadgeCount) -> dict:
        return resource(
            "badge-counts",
            badge.uid,
            {
                "count": badge.count,
                "individual-id": str(badge.individual.uid),
                "last-modified-at": iso(badge.updated_at),
                "organization-id": str(badge.team.uid),
                "timestamp": badge.timestamp,
                "type": badge.type,
            },
        )

    @extend_schema(responses={200: CourierBadgeCountSerializer(many=True)}, operation_id="courier_v1_badge_counts_list")
    def list(self, request, *args, **kwargs):
        uid = uuid_param(request, "individual-id", required=True)
        individual = self.individual_by_uid(uid, field="individual-id", in_query=True)
        rows = self.get_queryset().filter(individual=individual)
        organization = uuid_param(request, "organization-id", required=False)
        if organization is not None:
            rows = rows.filter(team__uid=organization)
        return Response({"data": [self.render_one(b) for b in rows], "meta": {}})

    @extend_schema(responses={200: CourierBadgeCountSerializer})
    def retrieve(self, request, *args, **kwargs):
        badge = self.get_queryset().filter(uid=uuid_or_none(kwargs["uid"])).first()
        if badge is None:
            raise NotFoundError("No such badge count.")
        self.require_access(badge.individual)
        return one(self.render_one(badge))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: CourierBadgeCountSerializer})
    def create(self, request, *args, **kwargs):
        value = badge_value(self, attributes_of(request, "badge-counts"), prefix="")
        return one(self.render_one(services.badge_count_set(**value)), status_code=status.HTTP_201_CREATED)


def badge_value(view, values: dict, *, prefix: str) -> dict:
    """One badge-count body → the service's arguments; `prefix` points errors into a list (`values.0.`)."""
    problems = {}
    count = values.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        problems[f"{prefix}count"] = ["A whole number, 0 or more."]
    kind = values.get("type")
    if not isinstance(kind, str) or not kind.strip() or len(kind) > 64:
        problems[f"{prefix}type"] = ["A name of at most 64 characters."]
    timestamp = values.get("timestamp", "")
    if not isinstance(timestamp, str) or len(timestamp) > 64:
        problems[f"{prefix}timestamp"] = ["A string of at most 64 characters."]
    uid = uuid_or_none(values.get("individual_id"))
    if uid is None:
        problems[f"{prefix}individual_id"] = ["A uuid is required."]
    if problems:
        raise ValidationFailed(next(iter(problems.values()))[0], details=problems)
    individual = view.individual_by_uid(uid, field=f"{prefix}individual_id", in_query=False)
    organization = uuid_or_none(values.get("organization_id"))
    if values.get("organization_id") and organization != individual.team.uid:
        raise not_found(f"{prefix}organization_id", "organization of this individual")
    return {"individual": individual, "type": kind.strip(), "count": count, "timestamp": timestamp}


class BulkBadgeCountsView(IndividualAccessMixin, CourierAPIView):
    """POST `bulk-badge-counts`: `values` of badge counts, upserted by (individual, type) together; 201 with body
    null, as documented."""

    resource_name = False
    parser_classes = PARSERS

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: None})
    def post(self, request):
        values = attributes_of(request, "bulk-badge-counts").get("values")
        if not isinstance(values, list) or not values or len(values) > 1000:
            raise ValidationFailed.for_field("values", "A list of 1 to 1000 badge counts.")
        parsed = []
        for index, value in enumerate(values):
            if not isinstance(value, dict):
                raise ValidationFailed.for_field(f"values.{index}", "Must be an object.")
            clean = {str(k).replace("-", "_"): v for k, v in value.items()}
            parsed.append(badge_value(self, clean, prefix=f"values.{index}."))
        services.badge_counts_set(values=parsed)
        return Response(None, status=status.HTTP_201_CREATED)


class CommunicationSummariesView(IndividualAccessMixin, CourierAPIView):
    """GET `communication-summaries?individual-id=…[&include-senders=true]` (flat; the caller's own individual in
    their only organization when none is named)."""

    resource_name = False

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        uid = uuid_param(request, "individual-id", required=False)
        if uid is None:
            mine = list(Membership.objects.active().filter(user=request.user, team_id__in=self.caller_team_ids())[:2])
            if len(mine) != 1:
                raise InvalidQueryParameter("individual-id", "This parameter is required.")
            uid = mine[0].uid
        individual = self.individual_by_uid(uid, field="individual-id", in_query=True)
        summary = services.communication_summary_of(individual=individual)
        body = {
            "message-types": summary.message_types,
            "messages": summary.messages,
            "notifications": summary.notifications,
            "provider-messages": summary.provider_messages,
            "video-channels": summary.video_channels,
        }
        if bool_param(request, "include-senders"):
            body["message-senders"] = summary.message_senders
        return Response({"summary": body})
