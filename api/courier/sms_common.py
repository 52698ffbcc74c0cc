"""What the courier SMS resources share: the uuid-addressed viewset, required query parameters that name a parent
(`account-id`, `number-id`, `organization-id`: another team's is a 404 on the parameter), and the organization of
a create body (optional when the caller acts in exactly one team)."""

from uuid import UUID

from rest_framework import mixins, status
from rest_framework.response import Response

from api.courier.base import CourierViewSet
from core.exceptions import InvalidQueryParameter, NotFoundError, ValidationFailed
from messaging import selectors

UUID_REGEX = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


def not_found(field: str, what: str, *, in_query: bool = False) -> NotFoundError:
    message = f"No such {what}."
    error = NotFoundError(message, details={field: [message]})
    if in_query:
        error.location = "query"
    return error


def uuid_param(request, name: str, *, required: bool) -> UUID | None:
    raw = request.query_params.get(name, "")
    if not raw:
        if required:
            raise InvalidQueryParameter(name, "This parameter is required.")
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise InvalidQueryParameter(name, f"must be a uuid, got {raw!r}.") from None


def organization_of(uid: UUID | None, team_ids, *, field: str = "organization_id"):
    """The Team a create body names (`organization-id`), or the caller's only team when it names none."""
    if uid is None:
        if len(team_ids) != 1:
            raise ValidationFailed.for_field(field, "This field is required.")
        uid_team = selectors.team_get_by_pk(pk=next(iter(team_ids)))
        return uid_team
    team = selectors.team_get(uid=uid, team_ids=team_ids)
    if team is None:
        raise not_found(field, "organization")
    return team


class SmsResourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CourierViewSet):
    lookup_field = "uid"
    lookup_value_regex = UUID_REGEX

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "team_ids": self.caller_team_ids()}

    def read_response(self, instance, *, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(instance).data, status=status_code)

    def validated(self, serializer_class, data=None, **kwargs) -> dict:
        serializer = serializer_class(
            data=self.request.data if data is None else data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class TypeAttributeMixin:
    """The document gives some resources a `type` attribute (user-consents, org-preferences, text-number-info),
    a name JSON:API reserves for the resource type. The read serializer adds it after the reserved-name check; the
    JSON:API parser lets an attribute `type` replace the resource type, so on input a `type` equal to the resource
    type means the attribute was not given."""

    type_attribute = True

    def get_fields(self):
        fields = super().get_fields()
        if self.type_attribute and not hasattr(self, "initial_data"):
            from rest_framework import serializers

            fields["type"] = serializers.CharField(read_only=True)
        return fields


def without_resource_type(data, resource_type: str):
    """The parsed body without `type` when it is only the resource type (see TypeAttributeMixin)."""
    if hasattr(data, "get") and data.get("type") == resource_type:
        data = {key: value for key, value in data.items() if key != "type"}
    return data
