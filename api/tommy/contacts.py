"""Tommy /contacts endpoints (spec/tommy-2 "Resource: Contact"). Thin: validate, call accounts.services.contacts,
serialize. Contacts belong to the caller's current account: their own list, or their current team's when the
current account is a Team (api/tommy/context.py).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.selectors import TEAM
from accounts.services import contacts
from api.tommy.base import TommyAPIView
from api.tommy.serializers.contacts import (
    ContactImportRowSerializer,
    ContactRequestSerializer,
    ContactSerializer,
    ContactUpdateSerializer,
    TeamIdSerializer,
    TeamIdsSerializer,
)
from core.exceptions import ValidationFailed


class ContactsView(TommyAPIView):
    """Shared by every contacts view: whose contacts the caller is working on."""

    def account(self, team=None) -> contacts.Account:
        user = self.request.user
        if team is None and user.current_account_type == TEAM:
            team = self.current_team_or_none()
        return contacts.Account(user=user, team=team)

    def contact_response(self, contact, code: int = status.HTTP_200_OK) -> Response:
        return Response(ContactSerializer(contact, context={"request": self.request}).data, status=code)

    def body(self) -> dict:
        """The request body as a dict; a missing body (add, invite, decline) is `{}`."""
        data = self.request.data
        if data in (None, "") or (hasattr(data, "keys") and not data):
            return {}
        if not hasattr(data, "keys"):
            raise ValidationFailed.for_field("non_field_errors", "The body must be a JSON object.")
        return data


class ContactListView(ContactsView):
    """GET /contacts (page/per, X-Total-Count) and POST /contacts (ContactRequest)."""

    @extend_schema(responses=ContactSerializer(many=True))
    def get(self, request):
        queryset = contacts.contacts_list(account=self.account())
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        data = ContactSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(request=ContactRequestSerializer, responses={201: ContactSerializer})
    def post(self, request):
        serializer = ContactRequestSerializer(data=self.body())
        serializer.is_valid(raise_exception=True)
        kwargs = serializer.to_service_kwargs()
        teams = contacts.caller_teams(
            requested_ids=kwargs.pop("team_ids", []), allowed_ids=self.caller_team_ids(), field="team_ids"
        )
        contact = contacts.contact_create(account=self.account(), teams=teams, **kwargs)
        return self.contact_response(contact, status.HTTP_201_CREATED)


class ContactImportView(ContactsView):
    """POST /contacts/import — a JSON array of Users; all rows are written or none (422 lists errors per row)."""

    @extend_schema(request=ContactImportRowSerializer(many=True), responses=ContactSerializer(many=True))
    def post(self, request):
        rows = request.data
        if not isinstance(rows, list):
            raise ValidationFailed.for_field("non_field_errors", "The body must be a JSON array of users.")
        if len(rows) > contacts.IMPORT_MAX_ROWS:
            raise ValidationFailed.for_field(
                "non_field_errors", f"At most {contacts.IMPORT_MAX_ROWS} contacts per import."
            )
        valid, errors = [], {}
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                errors[str(index)] = ["must be a JSON object"]
                continue
            serializer = ContactImportRowSerializer(data=row)
            if serializer.is_valid():
                valid.append(serializer.to_service_kwargs())
            else:
                for field, messages in serializer.errors.items():
                    errors[f"{index}.{field}"] = [str(message) for message in messages]
        if errors:
            raise ValidationFailed("Some contacts are invalid; nothing was imported.", details=errors)
        imported = contacts.contacts_import(account=self.account(), rows=valid)
        return Response(ContactSerializer(imported, many=True, context={"request": request}).data)


class ContactDetailView(ContactsView):
    """GET /contacts/{friend_id} and PUT /contacts/{friend_id} (favorite, mute, personal, roles, locations, tags)."""

    @extend_schema(responses=ContactSerializer)
    def get(self, request, friend_id: str):
        return self.contact_response(contacts.contact_get(account=self.account(), friend_id=int(friend_id)))

    @extend_schema(request=ContactUpdateSerializer, responses=ContactSerializer)
    def put(self, request, friend_id: str):
        serializer = ContactUpdateSerializer(data=self.body(), context={"friend_id": int(friend_id)})
        serializer.is_valid(raise_exception=True)
        contact = contacts.contact_update(
            account=self.account(), friend_id=int(friend_id), **serializer.to_service_kwargs()
        )
        return self.contact_response(contact)


class ContactAddView(ContactsView):
    """POST /contacts/{friend_id}/add — a contact request, optionally on behalf of one of the caller's teams."""

    @extend_schema(request=TeamIdSerializer, responses=ContactSerializer)
    def post(self, request, friend_id: str):
        serializer = TeamIdSerializer(data=self.body())
        serializer.is_valid(raise_exception=True)
        team_id = serializer.validated_data.get("team_id")
        teams = contacts.caller_teams(
            requested_ids=[team_id] if team_id else [], allowed_ids=self.caller_team_ids(), field="team_id"
        )
        account = self.account(team=teams[0] if teams else None)
        contact = contacts.contact_add(account=account, friend_id=int(friend_id), team_ids=self.caller_team_ids())
        return self.contact_response(contact)


class ContactInviteView(ContactsView):
    """POST /contacts/{friend_id}/invite — a request plus an invitation by SMS or email."""

    @extend_schema(request=None, responses=ContactSerializer)
    def post(self, request, friend_id: str):
        contact = contacts.contact_invite(
            account=self.account(), friend_id=int(friend_id), team_ids=self.caller_team_ids()
        )
        return self.contact_response(contact)


class ContactAcceptView(ContactsView):
    """POST /contacts/{friend_id}/accept — accept an incoming request; `team_ids` add the friend to those teams too."""

    @extend_schema(request=TeamIdsSerializer, responses=ContactSerializer)
    def post(self, request, friend_id: str):
        serializer = TeamIdsSerializer(data=self.body())
        serializer.is_valid(raise_exception=True)
        teams = contacts.caller_teams(
            requested_ids=serializer.validated_data.get("team_ids", []),
            allowed_ids=self.caller_team_ids(),
            field="team_ids",
        )
        contact = contacts.contact_accept(
            account=self.account(), friend_id=int(friend_id), team_ids=self.caller_team_ids(), teams=teams
        )
        return self.contact_response(contact)


class ContactDeclineView(ContactsView):
    """POST /contacts/{friend_id}/decline — reject an incoming request."""

    @extend_schema(request=None, responses=ContactSerializer)
    def post(self, request, friend_id: str):
        contact = contacts.contact_decline(
            account=self.account(), friend_id=int(friend_id), team_ids=self.caller_team_ids()
        )
        return self.contact_response(contact)
