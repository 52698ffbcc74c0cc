"""courier `user-emails` (list, create, get, `send`) and `user-email-attachments` (list, start upload, get,
`process-upload`), plus the upload ticket's target: a multipart `POST` of `file` (with the ticket's `upload-data`
fields, as a presigned form) to `/courier/v1/uploads/<token>/`. The token is the credential of that one upload."""

from datetime import UTC

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import Action
from api.courier.base import CourierFlatAPIView
from api.courier.documents import CourierDocumentViewSet, attributes_of, bool_param, iso, one, resource, uuid_or_none
from api.courier.notifications import IndividualAccessMixin
from api.courier.serializers.notifications import CourierUserEmailAttachmentSerializer, CourierUserEmailSerializer
from api.courier.sms_common import not_found, uuid_param
from core.api.base import PublicEndpointMixin
from core.exceptions import NotFoundError, ValidationFailed
from messaging.models import UserEmail, UserEmailAttachment
from messaging.services import emails as services


class UserEmailViewSet(IndividualAccessMixin, CourierDocumentViewSet):
    """GET list (`individual-id` required), POST (a draft, sent at once with `auto-send`), GET one, POST
    `{id}/send/`. Writing is for the organization's managers (Action.NOTIFY_PEOPLE); a person reads their own."""

    queryset = UserEmail.objects.select_related("individual", "created_by", "team", "individual__user")

    def get_object(self) -> UserEmail:
        found = self.get_queryset().filter(uid=uuid_or_none(self.kwargs["uid"])).first()
        if found is None:
            raise NotFoundError("No such email.")
        self.require_access(found.individual)
        return found

    def render_one(self, email: UserEmail) -> dict:
        return resource(
            "user-emails",
            email.uid,
            {
                "created-at": iso(email.created_at),
                "created-by": str(email.created_by.uid) if email.created_by else None,
                "individual-id": str(email.individual.uid),
                "last-modified-at": iso(email.updated_at),
                "message": email.message,
                "message-html": email.message_html,
                "result": email.result,
                "sender-organization-id": str(email.team.uid),
                "status": email.status,
                "subject": email.subject,
                "task-id": email.task_id,
                "to": [email.to],
                "user-id": str(email.individual.user.uid),
            },
        )

    @extend_schema(responses={200: CourierUserEmailSerializer(many=True)}, operation_id="courier_v1_user_emails_list")
    def list(self, request, *args, **kwargs):
        uid = uuid_param(request, "individual-id", required=True)
        individual = self.individual_by_uid(uid, field="individual-id", in_query=True)
        return self.page(self.get_queryset().filter(individual=individual))

    @extend_schema(responses={200: CourierUserEmailSerializer})
    def retrieve(self, request, *args, **kwargs):
        return one(self.render_one(self.get_object()))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: CourierUserEmailSerializer})
    def create(self, request, *args, **kwargs):
        values = attributes_of(request, "user-emails")
        uid = uuid_or_none(values.get("individual_id"))
        if uid is None:
            raise ValidationFailed.for_field("individual_id", "A uuid is required.")
        individual = self.individual_by_uid(uid, field="individual_id", in_query=False)
        self.require(Action.NOTIFY_PEOPLE, team_id=individual.team_id)
        sender = values.get("sender_organization_id")
        if sender and uuid_or_none(sender) != individual.team.uid:
            raise not_found("sender_organization_id", "organization of this individual")
        problems = {}
        subject = values.get("subject")
        if not isinstance(subject, str) or not subject.strip() or len(subject) > 255:
            problems["subject"] = ["A subject of 1 to 255 characters is required."]
        for name in ("message", "message_html"):
            if not isinstance(values.get(name, ""), str):
                problems[name] = ["Must be a string."]
        to = values.get("to", "")
        if isinstance(to, list):
            to = to[0] if len(to) == 1 else None
        if not isinstance(to, str) or (to and not _is_email(to)):
            problems["to"] = ["One email address."]
        auto_send = values.get("auto_send", False)
        if not isinstance(auto_send, bool):
            problems["auto_send"] = ["Must be a boolean."]
        if problems:
            raise ValidationFailed(next(iter(problems.values()))[0], details=problems)
        email = services.user_email_create(
            individual=individual,
            subject=subject.strip(),
            message=values.get("message", ""),
            message_html=values.get("message_html", ""),
            to=to,
            auto_send=auto_send,
            by=request.user,
        )
        return one(self.render_one(email), status_code=status.HTTP_201_CREATED)

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: CourierUserEmailSerializer})
    @action(detail=True, methods=["post"], url_path="send")
    def send(self, request, *args, **kwargs):
        email = self.get_object()
        self.require(Action.NOTIFY_PEOPLE, team_id=email.team_id)
        return one(self.render_one(services.user_email_send(email=email)), status_code=status.HTTP_201_CREATED)


def _is_email(value: str) -> bool:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


class UserEmailAttachmentViewSet(IndividualAccessMixin, CourierDocumentViewSet):
    """GET list (`email-id` required), POST (start an upload: answers the upload ticket, unwrapped as documented),
    GET one (`with-link=true` adds `download-link`), POST `{id}/process-upload/`."""

    queryset = UserEmailAttachment.objects.select_related("email__individual", "email__team")

    def email(self, uid, *, field: str, in_query: bool) -> UserEmail:
        found = (
            UserEmail.objects.filter(team_id__in=self.caller_team_ids(), uid=uid).select_related("individual").first()
        )
        if found is None:
            raise not_found(field, "email", in_query=in_query)
        self.require_access(found.individual)
        return found

    def get_object(self) -> UserEmailAttachment:
        found = self.get_queryset().filter(uid=uuid_or_none(self.kwargs["uid"])).first()
        if found is None:
            raise NotFoundError("No such attachment.")
        self.require_access(found.email.individual)
        return found

    def render_one(self, attachment: UserEmailAttachment, *, link: bool = False) -> dict:
        attributes = {
            "content-type": attachment.content_type,
            "created-at": iso(attachment.created_at),
            "filename": attachment.filename,
            "ready-to-use": attachment.ready,
            "size": attachment.size,
        }
        if link and attachment.ready:
            attributes["download-link"] = self.request.build_absolute_uri(attachment.file.url)
        return resource("user-email-attachments", attachment.uid, attributes)

    @extend_schema(
        responses={200: CourierUserEmailAttachmentSerializer(many=True)},
        operation_id="courier_v1_user_email_attachments_list",
    )
    def list(self, request, *args, **kwargs):
        email = self.email(uuid_param(request, "email-id", required=True), field="email-id", in_query=True)
        link = bool_param(request, "with-link")
        return self.page(self.get_queryset().filter(email=email), render=lambda a: self.render_one(a, link=link))

    @extend_schema(responses={200: CourierUserEmailAttachmentSerializer})
    def retrieve(self, request, *args, **kwargs):
        return one(self.render_one(self.get_object(), link=bool_param(request, "with-link")))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT})
    def create(self, request, *args, **kwargs):
        values = attributes_of(request, "user-email-attachments")
        uid = uuid_or_none(values.get("email_id"))
        if uid is None:
            raise ValidationFailed.for_field("email_id", "A uuid is required.")
        email = self.email(uid, field="email_id", in_query=False)
        self.require(Action.NOTIFY_PEOPLE, team_id=email.team_id)
        filename = values.get("filename")
        if not isinstance(filename, str) or not filename.strip() or len(filename) > 255:
            raise ValidationFailed.for_field("filename", "A file name of 1 to 255 characters is required.")
        content_type = values.get("content_type", "")
        if not isinstance(content_type, str) or len(content_type) > 255:
            raise ValidationFailed.for_field("content_type", "A media type of at most 255 characters.")
        attachment = services.attachment_start(email=email, filename=filename, content_type=content_type)
        ticket = {
            "expiration-time": int(attachment.expires_at.astimezone(UTC).timestamp()),
            "id": str(attachment.uid),
            "upload-data": {"token": attachment.upload_token},
            "upload-url": request.build_absolute_uri(f"/courier/v1/uploads/{attachment.upload_token}/"),
        }
        return Response(ticket, status=status.HTTP_201_CREATED)

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: CourierUserEmailAttachmentSerializer})
    @action(detail=True, methods=["post"], url_path="process-upload")
    def process_upload(self, request, *args, **kwargs):
        attachment = services.attachment_process(attachment=self.get_object())
        return one(self.render_one(attachment, link=True), status_code=status.HTTP_201_CREATED)


class UploadView(PublicEndpointMixin, CourierFlatAPIView):
    """The target of an upload ticket: the token in the path is the only credential (one file, until it expires)."""

    parser_classes = [parsers.MultiPartParser]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={204: None})
    def post(self, request, token):
        attachment = services.attachment_for_ticket(token=token)
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed.for_field("file", "Send the file as the multipart field `file`.")
        services.attachment_upload(attachment=attachment, content=upload, size=upload.size)
        return Response(status=status.HTTP_204_NO_CONTENT)
