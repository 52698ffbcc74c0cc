"""What an inbound SMS does (messaging.services.replies through inbound_receive + inbound_process): STOP/START/HELP,
consent replies, expected responses (callback-one-off), forward-to, the unknown-number rule, no text to an
opted-out phone."""

import pytest

from messaging import services, sms
from messaging.models import InboundText, SmsOptOut, Text, TextNumberLog, UserConsent, WebhookDelivery
from messaging.services import inbound, numbers, optouts, preferences
from tests.factories import MembershipFactory, TextAccountFactory, TextNumberFactory, UserFactory

pytestmark = pytest.mark.django_db

MEMBER_PHONE = "+12025550177"


@pytest.fixture
def number(team):
    return TextNumberFactory(account=TextAccountFactory(team=team), phone_number="+12025550123")


@pytest.fixture
def member(team):
    user = UserFactory(phone=MEMBER_PHONE)
    MembershipFactory(team=team, user=user)
    return user


@pytest.fixture
def receive(number, django_capture_on_commit_callbacks):
    counter = iter(range(1, 10_000))

    def receive(body: str, *, sender: str = MEMBER_PHONE, sid: str | None = None) -> InboundText:
        message = sms.InboundSms(sid=sid or f"SM{next(counter):032d}", sender=sender, to=number.phone_number, body=body)
        with django_capture_on_commit_callbacks(execute=True):
            row_id, _ = inbound.inbound_receive_for(number_uid=number.uid, message=message)
        return InboundText.objects.get(pk=row_id)

    return receive


def sent_to(phone: str) -> list[str]:
    return [m.body for m in sms.outbox if m.to == phone]


@pytest.mark.parametrize("word", ["STOP", "stop", " Stop. ", "STOPALL", "unsubscribe", "Cancel", "END", "quit"])
def test_stop_words_opt_out_with_one_confirmation(team, member, receive, word):
    first = receive(word)
    receive("STOP")

    assert first.outcome.startswith("opted out")
    assert optouts.is_opted_out(team_id=team.pk, phone=MEMBER_PHONE)
    confirmations = sent_to(MEMBER_PHONE)
    assert len(confirmations) == 1
    assert "unsubscribed" in confirmations[0]
    row = SmsOptOut.objects.get(team=team, phone=MEMBER_PHONE)
    assert row.reason.startswith("replied ")


def test_stop_is_a_whole_message_keyword(team, member, receive):
    receive("please stop texting at night")
    assert not optouts.is_opted_out(team_id=team.pk, phone=MEMBER_PHONE)


def test_opted_out_phone_gets_no_text_until_start(team, member, receive, django_capture_on_commit_callbacks):
    receive("STOP")
    sms.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        refused = services.text_queue(to=MEMBER_PHONE, body="Shift at 9", team_id=team.pk)
    assert (refused.status, refused.error) == (Text.Status.FAILED, services.OPTED_OUT_ERROR)
    assert sms.outbox == []

    assert receive("start").outcome.startswith("opted in")
    assert "subscribed again" in sent_to(MEMBER_PHONE)[0]
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.text_queue(to=MEMBER_PHONE, body="Shift at 9", team_id=team.pk)
    assert Text.objects.get(pk=sent.pk).status == Text.Status.SENT


def test_opt_out_is_per_organization(team, other_team, member, receive, django_capture_on_commit_callbacks):
    receive("STOP")
    with django_capture_on_commit_callbacks(execute=True):
        text = services.text_queue(to=MEMBER_PHONE, body="hi", team_id=other_team.pk)
    assert Text.objects.get(pk=text.pk).status == Text.Status.SENT


def test_opting_out_between_queue_and_send_still_stops_the_text(team, member, receive):
    text = services.text_queue(to=MEMBER_PHONE, body="hi", team_id=team.pk)  # not sent yet (no commit)
    receive("STOP")
    sms.outbox.clear()
    services.text_deliver(text_id=text.pk)
    assert Text.objects.get(pk=text.pk).error == services.OPTED_OUT_ERROR
    assert sms.outbox == []


def test_help_answers_with_the_organizations_help_text(team, member, receive):
    receive("HELP")
    assert sent_to(MEMBER_PHONE) == [f"{team.name}: reply STOP to stop these texts, START to get them again."]
    preferences.org_preference_set(team=team, name="sms-help-message", value="Call {organization} at 555-0100.")
    receive("help")
    assert sent_to(MEMBER_PHONE)[-1] == f"Call {team.name} at 555-0100."


def test_help_reaches_an_opted_out_phone(team, member, receive):
    receive("STOP")
    receive("HELP")
    assert len(sent_to(MEMBER_PHONE)) == 2


# --- consent -------------------------------------------------------------------------------------------------------


@pytest.fixture
def consent(team, member, number, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        asked = services.consents.consent_request(
            team=team,
            user_uid=member.uid,
            args={"messages": {"initial": "Texts from Acme?", "accept": "Welcome!", "invalid-response": "YES or NO"}},
        )
    assert sent_to(MEMBER_PHONE) == ["Texts from Acme?"]
    assert sms.outbox[0].from_number == number.phone_number  # so the reply comes back to a number we receive
    sms.outbox.clear()
    return asked


def test_accepting_reply_accepts_and_sends_the_accept_message(consent, receive):
    assert receive("Yes").outcome == "consent accepted"
    consent.refresh_from_db()
    assert consent.state == UserConsent.State.ACCEPTED
    assert sent_to(MEMBER_PHONE) == ["Welcome!"]


def test_refusal_declines(consent, receive):
    receive("no")
    consent.refresh_from_db()
    assert consent.state == UserConsent.State.DECLINED


def test_anything_else_gets_the_invalid_response_message(consent, receive):
    receive("maybe later")
    consent.refresh_from_db()
    assert consent.state == UserConsent.State.PENDING
    assert sent_to(MEMBER_PHONE) == ["YES or NO"]


def test_stop_declines_a_pending_consent(consent, receive):
    receive("STOP")
    consent.refresh_from_db()
    assert consent.state == UserConsent.State.DECLINED


def test_consent_initial_message_defaults_to_the_org_preference(
    team, member, number, django_capture_on_commit_callbacks
):
    preferences.org_preference_set(team=team, name="initial-sms-message", value="{organization} asks: OK?")
    with django_capture_on_commit_callbacks(execute=True):
        services.consents.consent_request(team=team, user_uid=member.uid)
    assert sent_to(MEMBER_PHONE) == [f"{team.name} asks: OK?"]


# --- expected responses --------------------------------------------------------------------------------------------


def text_expecting(number, *, one_off=True, **fields):
    return Text.objects.create(
        team=number.account.team,
        account=number.account,
        number=number,
        to=MEMBER_PHONE,
        from_number=number.phone_number,
        body="Can you work Friday?",
        status=Text.Status.SENT,
        expected_responses=["Yes please", "NO"],
        callback_url="https://client.example.com/replies",
        callback_json={"shift": 7},
        callback_one_off=one_off,
        **fields,
    )


def test_matching_reply_is_posted_once_with_callback_json(number, member, receive):
    text = text_expecting(number)

    first = receive(" yes   PLEASE ")
    second = receive("NO")

    assert first.matched_text == text
    assert first.outcome == "matched; forwarded to callback-url"
    assert second.outcome.startswith("matched; not forwarded")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.url, delivery.event_type) == ("https://client.example.com/replies", "text.reply")
    assert delivery.payload["callback_json"] == {"shift": 7}
    assert delivery.payload["response"] == "Yes please"
    assert delivery.payload["text_id"] == str(text.uid)


def test_without_one_off_every_matching_reply_is_posted(number, member, receive):
    text_expecting(number, one_off=False)
    receive("yes please")
    receive("no")
    receive("what?")
    assert WebhookDelivery.objects.count() == 2


def test_a_reply_from_another_phone_or_to_another_number_does_not_match(number, member, receive, team):
    text_expecting(number)
    stranger = receive("NO", sender="+12025550999")
    assert stranger.matched_text is None
    assert not WebhookDelivery.objects.exists()


def test_processing_twice_changes_nothing(number, member, receive):
    text_expecting(number)
    row = receive("NO")
    assert inbound.inbound_process(inbound_id=row.pk) == "done"
    assert WebhookDelivery.objects.count() == 1


def test_the_same_provider_message_is_stored_once(number, member, receive):
    text_expecting(number)
    receive("NO", sid="SMdup")
    receive("NO", sid="SMdup")
    assert InboundText.objects.count() == 1
    assert WebhookDelivery.objects.count() == 1


# --- forwarding, unknown senders, logs -----------------------------------------------------------------------------


def test_forward_to_gets_a_copy_from_the_number(number, member, receive):
    numbers.text_number_update(number=number, forward_to="+1 202 555 0188")
    receive("Running late")
    forwarded = [m for m in sms.outbox if m.to == "+12025550188"]
    assert [(m.body, m.from_number) for m in forwarded] == [(f"From {MEMBER_PHONE}: Running late", number.phone_number)]


def test_unknown_sender_rules(number, member, receive):
    numbers.text_number_update(number=number, forward_to="+12025550188")
    stranger = "+12025550999"
    assert receive("hi", sender=stranger).outcome == "stored"  # accept by default

    numbers.text_number_update(number=number, events={"unknown-number": {"action": "reply", "message": "Who?"}})
    sms.outbox.clear()
    assert receive("hi", sender=stranger).outcome == "unknown sender: replied"
    assert [(m.to, m.body) for m in sms.outbox] == [(stranger, "Who?")]  # no forward copy

    numbers.text_number_update(number=number, events={"unknown-number": {"action": "drop"}})
    sms.outbox.clear()
    assert receive("hi", sender=stranger).outcome == "unknown sender: dropped"
    assert sms.outbox == []
    assert receive("hi").outcome == "stored"  # a member is known: the rule does not apply
    assert receive("STOP", sender=stranger).outcome.startswith("opted out")  # keywords are always honoured


def test_number_logs_are_written_only_while_logging(number, member, receive):
    receive("one")
    numbers.text_number_update(number=number, logging=True)
    receive("two")
    assert [log.log for log in TextNumberLog.objects.all()] == [f"received from {MEMBER_PHONE}: two"]
    assert numbers.text_number_reset_logs(number=number) == 1
    assert not TextNumberLog.objects.exists()
