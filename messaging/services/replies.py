"""What an inbound SMS does, in this order (each step a function, called by inbound.inbound_process):

1. STOP words opt the phone out of the organization, START words opt it back in, HELP answers with the help text —
   whole message, any case; always honoured, whoever sends them.
2. A sender who is not an active member meets the number's `events.unknown-number` rule: `accept` (default) goes
   on, `reply` answers with the rule's message and stops, `drop` stops (the message stays logged).
3. A reply to a pending SMS consent request decides it (accept / decline / invalid response); anything else is
   told to installed automations (keyword triggers, core.hooks).
4. Otherwise a reply matching a recent text's `expected_responses` is POSTed to that text's `callback_url`.
5. The number's `forward_to` gets a copy of every message that was not stopped at step 2.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.selectors import active_member_by_phone
from core import hooks
from messaging.models import InboundText, Text, UserConsent
from messaging.services import optouts
from messaging.services.consents import team_sender
from messaging.services.numbers import text_number_log
from messaging.services.preferences import preference_text
from messaging.services.texts import text_queue
from messaging.services.webhooks import enqueue_webhook

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
START_WORDS = frozenset({"START", "UNSTOP"})
HELP_WORDS = frozenset({"HELP"})
ACCEPT_WORDS = frozenset({"YES", "Y", "ACCEPT", "AGREE", "OK", "OKAY", "SURE"})
DECLINE_WORDS = frozenset({"NO", "N", "DECLINE", "DENY", "REFUSE"})
EXPECTED_CANDIDATES = 20


def keyword(body: str) -> str:
    """The whole message as a keyword: trimmed, upper-case, without trailing punctuation ("Stop." is STOP)."""
    return body.strip().rstrip(".!").strip().upper()


def squashed(value: str) -> str:
    """Case- and space-insensitive form for expected responses ("Yes please" == "yesplease")."""
    return "".join(value.split()).casefold()


def _answer(inbound: InboundText, body: str, *, purpose: str = Text.Purpose.MESSAGE) -> None:
    """Text the sender back from the number they wrote to (else the team's usual sender)."""
    if inbound.number is not None:
        account, number = inbound.number.account, inbound.number
    else:
        account, number = team_sender(team_id=inbound.team_id)
    text_queue(to=inbound.sender, body=body, purpose=purpose, team_id=inbound.team_id, account=account, number=number)


def handle_reply(inbound: InboundText) -> str:
    """Run the steps of the module docstring; returns what happened (stored as the row's outcome)."""
    if inbound.number is not None:
        text_number_log(number=inbound.number, line=f"received from {inbound.sender}: {inbound.body}")
    outcome = handle_keyword(inbound)
    if outcome is None:
        outcome = handle_unknown_sender(inbound)
        if outcome is not None:
            return outcome
        outcome = handle_consent_reply(inbound)
        if outcome is None:
            announce_to_automations(inbound)
        outcome = outcome or handle_expected_response(inbound) or "stored"
    forward_copy(inbound)
    return outcome


def announce_to_automations(inbound: InboundText) -> None:
    """Installed automations listening to texts (keyword triggers) start their runs (core.hooks; once per message).
    Not for STOP/START/HELP, messages the unknown-sender rule stopped, or replies a consent request consumed."""
    member = active_member_by_phone(team_id=inbound.team_id, phone=inbound.sender)
    data = {
        "inbound_id": inbound.pk,
        "from": inbound.sender,
        "to": inbound.to,
        "body": inbound.body,
        "user_id": member.pk if member is not None else None,
    }
    hooks.emit(hooks.SMS_RECEIVED, team_id=inbound.team_id, key=f"sms:{inbound.pk}", data=data)


def handle_keyword(inbound: InboundText) -> str | None:
    word = keyword(inbound.body)
    team = inbound.team
    if word in STOP_WORDS:
        if optouts.phone_opt_out(team_id=team.pk, phone=inbound.sender, reason=f"replied {word}"):
            _answer(
                inbound,
                f"{team.name}: you are unsubscribed and will get no more texts. Reply START to resubscribe.",
                purpose=Text.Purpose.COMPLIANCE,
            )
        return f"opted out ({word})"
    if word in START_WORDS:
        if optouts.phone_opt_in(team_id=team.pk, phone=inbound.sender, reason=f"replied {word}"):
            _answer(
                inbound,
                f"{team.name}: you are subscribed again. Reply STOP to unsubscribe, HELP for help.",
                purpose=Text.Purpose.COMPLIANCE,
            )
        return f"opted in ({word})"
    if word in HELP_WORDS:
        _answer(inbound, preference_text(team=team, name="sms-help-message"), purpose=Text.Purpose.COMPLIANCE)
        return "help sent"
    return None


def handle_unknown_sender(inbound: InboundText) -> str | None:
    rule = inbound.number.unknown_number_rule if inbound.number is not None else {}
    action = rule.get("action", "accept")
    if action == "accept" or active_member_by_phone(team_id=inbound.team_id, phone=inbound.sender) is not None:
        return None
    if action == "reply":
        _answer(inbound, rule.get("message", ""))
        return "unknown sender: replied"
    return "unknown sender: dropped"


def handle_consent_reply(inbound: InboundText) -> str | None:
    consent = (
        UserConsent.objects.select_for_update(of=("self",))
        .filter(
            team_id=inbound.team_id,
            target_id=inbound.sender,
            type=UserConsent.Type.SMS,
            state=UserConsent.State.PENDING,
        )
        .order_by("-created_at")
        .first()
    )
    if consent is None:
        return None
    word = keyword(inbound.body)
    if word in ACCEPT_WORDS:
        consent.state = UserConsent.State.ACCEPTED
        consent.save(update_fields=["state", "updated_at"])
        _answer(inbound, consent.message("accept") or f"{inbound.team.name}: thank you, you will get our texts.")
        return "consent accepted"
    if word in DECLINE_WORDS:
        consent.state = UserConsent.State.DECLINED
        consent.save(update_fields=["state", "updated_at"])
        if consent.message("decline"):
            _answer(inbound, consent.message("decline"))
        return "consent declined"
    _answer(inbound, consent.message("invalid-response") or f"{inbound.team.name}: please reply YES or NO.")
    return "consent: invalid response"


def handle_expected_response(inbound: InboundText) -> str | None:
    """The newest text sent to this phone from this number (within SMS_REPLY_WINDOW_DAYS) whose expected responses
    contain the reply. With callback_one_off only the first matching reply is forwarded (a conditional UPDATE
    of `reply_forwarded_at` decides which one)."""
    since = timezone.now() - timedelta(days=settings.SMS_REPLY_WINDOW_DAYS)
    candidates = (
        Text.objects.filter(team_id=inbound.team_id, to=inbound.sender, from_number=inbound.to, created_at__gte=since)
        .exclude(callback_url="")
        .order_by("-created_at", "-id")[:EXPECTED_CANDIDATES]
    )
    reply = squashed(inbound.body)
    for text in candidates:
        matched = next((r for r in text.expected_responses or [] if squashed(r) == reply), None)
        if matched is None:
            continue
        inbound.matched_text = text
        first = Text.objects.filter(pk=text.pk, reply_forwarded_at__isnull=True).update(
            reply_forwarded_at=timezone.now()
        )
        if text.callback_one_off and not first:
            return "matched; not forwarded (callback-one-off: an earlier reply was)"
        enqueue_webhook(
            team=inbound.team_id,
            url=text.callback_url,
            event_type="text.reply",
            payload={
                "text_id": str(text.uid),
                "from": inbound.sender,
                "to": inbound.to,
                "message": inbound.body,
                "response": matched,
                "received_at": inbound.created_at.isoformat(),
                "callback_json": text.callback_json,
            },
            idempotency_key=f"text-reply:{inbound.pk}",
            validate=False,  # checked when the text was created; resolved and checked before each attempt
        )
        return "matched; forwarded to callback-url"
    return None


def forward_copy(inbound: InboundText) -> None:
    number = inbound.number
    if number is None or not number.forward_to or number.forward_to == inbound.sender:
        return
    text_queue(
        to=number.forward_to,
        body=f"From {inbound.sender}: {inbound.body}"[:1600],
        purpose=Text.Purpose.MESSAGE,
        team_id=inbound.team_id,
        account=number.account,
        number=number,
    )
