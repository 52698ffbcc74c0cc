"""courier `users` (list, get, deprecated PATCH of `notifications`, `{id}/multicast`,
`{id}/validate-multicast-params`), `individuals/{id}` (+ `multicast`, `recalculate-communication-summary`) and
`individual-groups/{id}`.

People are rendered only through the one visibility rule (accounts.visibility via api/people.py): email, phone,
their verification and the birth date only at the DETAILS level.
"""

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Membership, User
from accounts.permissions import Action
from accounts.services.users import user_notification_channels_set
from accounts.visibility import Level
from api import people
from api.courier.documents import CourierDocumentViewSet, attributes_of, flat_body, iso, one, resource, uuid_or_none
from api.courier.multicast_common import multicast_answer, send_to_one
from api.courier.serializers.notifications import (
    CourierIndividualGroupSerializer,
    CourierIndividualSerializer,
    CourierUserSerializer,
)
from api.courier.sms_common import not_found
from core.exceptions import InvalidQueryParameter, NotFoundError, PermissionDeniedError, ValidationFailed
from messaging.models import IndividualGroup, SmsOptOut
from messaging.services import multicasts as multicast_services
from messaging.services.notifications import communication_summary_recalculate


class UserViewSet(CourierDocumentViewSet):
    """GET list (`filter[email]`, `filter[individual-id]`, `filter[username]`), GET one, PATCH (`notifications`
    only; deprecated in the document), POST `{id}/multicast/`, POST `{id}/validate-multicast-params/`."""

    queryset = User.objects.all()

    def get_queryset(self):
        team_ids = list(self.caller_team_ids())
        teammates = Membership.objects.active().filter(team_id__in=team_ids).values("user_id")
        users = User.objects.filter(Q(pk__in=teammates) | Q(pk=self.request.user.pk)).order_by("id")
        if self.action != "list":
            return users
        params = self.request.query_params
        for name in params:
            if name.startswith("filter[") and name not in (
                "filter[email]",
                "filter[individual-id]",
                "filter[username]",
            ):
                raise InvalidQueryParameter(name, "Unknown filter.")
        if params.get("filter[email]"):
            # Only people whose email the caller may see: a hidden email is never matched (no discovery by email).
            viewer = people.viewer(self.request)
            open_teams = [tid for tid in viewer.memberships() if viewer.sees_teammates_details(tid)]
            visible = Membership.objects.active().filter(team_id__in=open_teams).values("user_id")
            users = users.filter(Q(pk__in=visible) | Q(pk=self.request.user.pk), email__iexact=params["filter[email]"])
        if params.get("filter[individual-id]"):
            uid = uuid_or_none(params["filter[individual-id]"])
            if uid is None:
                raise InvalidQueryParameter("filter[individual-id]", "must be a uuid.")
            users = users.filter(memberships__uid=uid, memberships__team_id__in=team_ids)
        if params.get("filter[username]"):
            name = params["filter[username]"][:255]
            users = users.filter(Q(username=name) | Q(slug=name))
        return users

    def get_object(self):
        user = self.get_queryset().filter(uid=uuid_or_none(self.kwargs["uid"])).first()
        if user is None:
            raise NotFoundError("No such user.")
        return user

    # --- rendering -------------------------------------------------------------------------------------------------

    def _context(self, users: list[User]) -> dict:
        """What a page of users needs, in a constant number of queries: levels, individuals, opt-outs."""
        lens = people.lens({"request": self.request})
        lens.prime([u.pk for u in users])
        team_ids = list(self.caller_team_ids())
        individuals = {}
        for user_id, uid in (
            Membership.objects.active()
            .filter(team_id__in=team_ids, user_id__in=[u.pk for u in users])
            .order_by("id")
            .values_list("user_id", "uid")
        ):
            individuals.setdefault(user_id, uid)
        phones = [u.phone for u in users if u.phone]
        opted_out = set(
            SmsOptOut.objects.filter(team_id__in=team_ids, phone__in=phones, opted_out=True).values_list(
                "phone", flat=True
            )
        )
        return {"lens": lens, "individuals": individuals, "opted_out": opted_out}

    def render_user(self, user: User, context: dict) -> dict:
        person = context["lens"].person(user)
        details = person.level == Level.DETAILS
        unsubscribed = details and user.phone in context["opted_out"]
        phone_verified = details and user.phone_verified_at is not None
        channels = user.notification_channels if isinstance(user.notification_channels, list) else []
        individual = context["individuals"].get(user.pk)
        return resource(
            "users",
            user.uid,
            {
                "auto-sign-up": False,
                "communication-preferences": {"notifications": channels},
                "email": person.email or "",
                "email-verified": details and user.email_verified_at is not None,
                "first-name": person.first_name,
                "last-name": person.last_name,
                "last-sync-time": iso(user.updated_at),
                "locale": person.locale,
                "locale-explicit": bool(person.locale),
                "notifications": channels,
                "phone": person.phone or "",
                "phone-unsubscribed": unsubscribed,
                "phone-verified": phone_verified,
                "primary-individual-id": str(individual) if individual else None,
                "sms-mode": "enabled" if phone_verified and not unsubscribed else "disabled",
                "state": user.status,
                "tz": "",
                "tz-explicit": False,
                "username": user.username or user.slug,
            },
        )

    def render_one(self, user: User) -> dict:
        return self.render_user(user, self._context([user]))

    @extend_schema(responses={200: CourierUserSerializer(many=True)}, operation_id="courier_v1_users_list")
    def list(self, request, *args, **kwargs):
        rows = self.paginator.paginate_queryset(self.get_queryset(), request, view=self)
        context = self._context(rows)
        meta = {"page[limit]": self.paginator.limit, "page[offset]": self.paginator.offset}
        meta["page[total]"] = self.paginator.total
        return Response({"data": [self.render_user(u, context) for u in rows], "meta": meta})

    @extend_schema(responses={200: CourierUserSerializer})
    def retrieve(self, request, *args, **kwargs):
        return one(self.render_one(self.get_object()))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: CourierUserSerializer})
    def partial_update(self, request, *args, **kwargs):
        user = self.get_object()
        if user.pk != request.user.pk:
            raise PermissionDeniedError("Only the person themselves may change their notification preferences.")
        values = attributes_of(request, "users")
        channels = values.get("notifications")
        if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
            raise ValidationFailed.for_field("notifications", "A list of channels: push, sms, email.")
        user = user_notification_channels_set(user=user, channels=channels)
        return one(self.render_one(user))

    # --- multicast to one user -------------------------------------------------------------------------------------

    def individual_of(self, user: User, body: dict) -> Membership:
        """The user's individual the call means: `individual-id`, else the one in `organization-id`, else the one in
        the caller's only organization."""
        memberships = Membership.objects.active().filter(user=user, team_id__in=self.caller_team_ids())
        if body.get("individual_id"):
            found = memberships.filter(uid=uuid_or_none(body["individual_id"])).select_related("team", "user").first()
            if found is None:
                raise not_found("individual_id", "individual of this user")
            return found
        if body.get("organization_id"):
            found = memberships.filter(team__uid=uuid_or_none(body["organization_id"])).first()
            if found is None:
                raise not_found("organization_id", "organization")
            return found
        found = list(memberships.select_related("team", "user")[:2])
        if len(found) != 1:
            raise ValidationFailed.for_field("organization_id", "Name the organization (or the individual).")
        return found[0]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"], url_path="multicast")
    def multicast(self, request, *args, **kwargs):
        user = self.get_object()
        body = flat_body(request)
        individual = self.individual_of(user, body)
        self.require(Action.NOTIFY_PEOPLE, team_id=individual.team_id)
        multicast = send_to_one(individual=individual, body=body, data_field="data", by=request.user, source="user")
        return multicast_answer(multicast)

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"], url_path="validate-multicast-params")
    def validate_multicast_params(self, request, *args, **kwargs):
        user = self.get_object()
        body = flat_body(request)
        missing = [name for name in ("data", "individual_id", "organization_id", "template_id") if name not in body]
        if missing:
            raise ValidationFailed(
                "Missing required fields.", details={name: ["This field is required."] for name in missing}
            )
        if not isinstance(body["data"], dict):
            raise ValidationFailed.for_field("data", "Must be an object.")
        individual = self.individual_of(user, body)
        if str(individual.team.uid) != str(body["organization_id"]):
            raise not_found("organization_id", "organization of this individual")
        result = multicast_services.multicast_validate(
            team=individual.team, template_id=str(body["template_id"])[:255], data=body["data"], individual=individual
        )
        return Response({"info": result.info, "success": result.success}, status=status.HTTP_201_CREATED)


def individual_attributes(individual: Membership, level: Level) -> dict:
    user = individual.user
    details = level == Level.DETAILS
    return {
        "account-type": individual.status,
        "birth-date": user.dob.isoformat() if details and user.dob else None,
        "first-name": user.first_name if level else "",
        "last-modified-time": iso(individual.updated_at),
        "last-name": user.last_name if level else "",
        "owner-id": str(individual.team.uid),
        "preferred-name": "",
    }


class IndividualViewSet(CourierDocumentViewSet):
    """GET one, POST `{id}/multicast/`, POST `{id}/recalculate-communication-summary/`."""

    queryset = Membership.objects.none()

    def get_object(self) -> Membership:
        found = (
            Membership.objects.active()
            .filter(team_id__in=self.caller_team_ids(), uid=uuid_or_none(self.kwargs["uid"]))
            .select_related("team", "user")
            .first()
        )
        if found is None:
            raise NotFoundError("No such individual.")
        return found

    def render_one(self, individual: Membership) -> dict:
        level = people.lens({"request": self.request}).level(individual.user_id)
        return resource("individuals", individual.uid, individual_attributes(individual, level))

    @extend_schema(responses={200: CourierIndividualSerializer})
    def retrieve(self, request, *args, **kwargs):
        return one(self.render_one(self.get_object()))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"], url_path="multicast")
    def multicast(self, request, *args, **kwargs):
        individual = self.get_object()
        body = flat_body(request)
        if body.get("organization_id") and str(body["organization_id"]) != str(individual.team.uid):
            raise not_found("organization_id", "organization of this individual")
        self.require(Action.NOTIFY_PEOPLE, team_id=individual.team_id)
        multicast = send_to_one(
            individual=individual, body=body, data_field="template_data", by=request.user, source="individual"
        )
        return multicast_answer(multicast)

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: CourierIndividualSerializer})
    @action(detail=True, methods=["post"], url_path="recalculate-communication-summary")
    def recalculate_communication_summary(self, request, *args, **kwargs):
        individual = self.get_object()
        if individual.user_id != request.user.pk:
            self.require(Action.NOTIFY_PEOPLE, team_id=individual.team_id)
        communication_summary_recalculate(individual=individual)
        return one(self.render_one(individual), status_code=status.HTTP_201_CREATED)


class IndividualGroupViewSet(CourierDocumentViewSet):
    """GET one (groups are managed in the console)."""

    queryset = IndividualGroup.objects.none()

    @extend_schema(responses={200: CourierIndividualGroupSerializer})
    def retrieve(self, request, *args, **kwargs):
        group = (
            IndividualGroup.objects.filter(team_id__in=self.caller_team_ids(), uid=uuid_or_none(kwargs["uid"]))
            .select_related("team", "parent")
            .prefetch_related("members", "leaders")
            .first()
        )
        if group is None:
            raise NotFoundError("No such individual group.")
        return one(
            resource(
                "individual-groups",
                group.uid,
                {
                    "individuals": [{"id": str(m.uid)} for m in group.members.all()],
                    "last-sync-time": iso(group.last_sync_time),
                    "leaders": [{"id": str(m.uid)} for m in group.leaders.all()],
                    "name": group.name,
                    "organization-id": str(group.team.uid),
                    "parent-id": str(group.parent.uid) if group.parent else None,
                },
            )
        )
