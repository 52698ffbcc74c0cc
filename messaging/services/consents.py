"""Consent requests (courier `user-consents`): for type `sms` the member is texted the initial message and their
reply decides the state (messaging.services.replies)."""

import uuid

from django.db import transaction

from accounts.selectors import active_member_get
from core.exceptions import NotFoundError, ValidationFailed
from messaging.models import Text, TextAccount, TextNumber, UserConsent
from messaging.services.preferences import preference_text
from messaging.services.texts import text_queue

MESSAGE_NAMES = ("accept", "initial", "invalid-response", "decline")
MAX_MESSAGE = 1600


def validate_args(args) -> dict:
    """`{"messages": {"initial": …, "accept": …, "invalid-response": …, "decline": …}}`, every text optional."""
    if args is None:
        return {}
    if not isinstance(args, dict) or set(args) - {"messages"}:
        raise ValidationFailed.for_field("args", 'args takes one key, "messages".')
    messages = args.get("messages", {})
    if not isinstance(messages, dict) or set(messages) - set(MESSAGE_NAMES):
        raise ValidationFailed.for_field("args", f"messages takes {', '.join(MESSAGE_NAMES)}.")
    for name, value in messages.items():
        if not isinstance(value, str) or len(value) > MAX_MESSAGE:
            raise ValidationFailed.for_field("args", f"messages.{name} is a text of at most {MAX_MESSAGE} characters.")
    return args


def team_sender(*, team_id: int) -> tuple[TextAccount | None, TextNumber | None]:
    """What a team's own texts (consent requests, replies) go out from: its oldest number, so the answer comes
    back to a number whose inbound webhook Crewdesk receives; else its first account's number or default."""
    number = TextNumber.objects.filter(account__team_id=team_id).select_related("account").order_by("id").first()
    if number is not None:
        return number.account, number
    return TextAccount.objects.filter(team_id=team_id).order_by("id").first(), None


@transaction.atomic
def consent_request(*, team, user_uid: uuid.UUID, type: str = UserConsent.Type.SMS, args=None) -> UserConsent:
    """Ask a member for consent. A request while one is pending for the same phone replaces its texts and asks
    again (one pending request per phone, so a reply is never ambiguous)."""
    if type not in UserConsent.Type.values:
        known = ", ".join(UserConsent.Type.values)
        raise ValidationFailed.for_field("type", f"Unknown consent type {type!r}; one of {known}.")
    args = validate_args(args)
    user = active_member_get(team_id=team.pk, user_uid=user_uid)
    if user is None:
        raise NotFoundError("No such member.", details={"user_id": ["No such member of this organization."]})
    if not user.phone:
        raise ValidationFailed.for_field("user_id", "This member has no mobile number to ask by SMS.")
    consent = (
        UserConsent.objects.select_for_update(of=("self",))
        .filter(team=team, target_id=user.phone, type=type, state=UserConsent.State.PENDING)
        .first()
    )
    if consent is None:
        consent = UserConsent.objects.create(team=team, user=user, type=type, target_id=user.phone, args=args)
    else:
        consent.user, consent.args = user, args
        consent.save(update_fields=["user", "args", "updated_at"])
    account, number = team_sender(team_id=team.pk)
    text_queue(
        to=user.phone,
        body=consent.message("initial") or preference_text(team=team, name="initial-sms-message"),
        purpose=Text.Purpose.MESSAGE,
        team_id=team.pk,
        account=account,
        number=number,
    )
    return consent
