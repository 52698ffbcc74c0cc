"""The console's inbox in a real browser (issue 15 §4): the demo owner (seed_demo, as `make run` makes it) opens the
inbox, filters it, answers a customer inside the 24-hour window, answers one outside it with a template (the reply
box offers only templates there), assigns and labels a conversation and plays the sandbox customer; a manager of
another team cannot open the demo team's conversations. Screenshots: var/screenshots/inbox-*.png."""

import io
import re

import pytest
from django.core.management import call_command

from accounts.models import Membership, User
from accounts.services.memberships import membership_add
from inbox.models import Conversation, InboxMessage
from tests.factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _seed_demo() -> tuple[str, str]:
    out = io.StringIO()
    call_command("seed_demo", "--no-schedule", stdout=out)
    text = out.getvalue()
    return re.search(r"^Owner login: (\S+)", text, re.M).group(1), re.search(r"^Password: (\S+)", text, re.M).group(1)


def _sign_in(page, base: str, login: str, password: str) -> None:
    page.goto(f"{base}/admin/")
    page.fill("#id_username", login)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def _open(page, name: str) -> None:
    page.click(f"#inbox-conversations a:has-text('{name}')")
    page.wait_for_selector("#messages")


def test_owner_answers_customers_from_the_inbox(live_server, new_page, screenshots):
    base = live_server.url
    login, password = _seed_demo()
    owner = User.objects.get(email=login)
    page = new_page()
    _sign_in(page, base, login, password)

    page.click("nav.console-nav >> text=Inbox")
    page.wait_for_selector("#inbox-conversations")
    listing = page.locator("#inbox-conversations").inner_text()
    assert "Anna de Vries" in listing
    assert "Bram Jansen" in listing
    assert "Chloé Martin" not in listing  # closed: the default view shows open conversations
    screenshots(page, "inbox-01-list")

    page.select_option("select[name=label]", label="Billing")
    page.click(".inbox-filters button[type=submit]")
    page.wait_for_load_state()
    assert "Bram Jansen" not in page.locator("#inbox-conversations").inner_text()
    assert "Anna de Vries" in page.locator("#inbox-conversations").inner_text()

    # inside the window: a free-form reply, delivered by the sandbox
    page.goto(f"{base}/admin/inbox/conversation/inbox/")
    _open(page, "Bram Jansen")
    assert page.locator("#reply-body").is_visible()
    page.fill("#reply-body", "Your address is updated.")
    page.click("#reply-send")
    page.wait_for_selector(".messagelist")
    assert "Your address is updated." in page.locator("#messages").inner_text()
    sent = InboxMessage.objects.get(content__body="Your address is updated.")
    assert sent.sent_by == owner
    page.reload()
    assert "delivered" in page.locator("#messages li").last.inner_text()
    screenshots(page, "inbox-02-reply")

    # assign and label it
    mike = User.objects.get(email="mike@demo.crewdesk.local")
    page.select_option("#assignee", value=f"u{mike.pk}")
    page.click("#assign-form button")
    page.wait_for_load_state()
    assert page.locator("#conversation-assignee").inner_text() == mike.email
    page.check("#labels-form input[type=checkbox] >> nth=1")
    page.click("#labels-form button")
    page.wait_for_load_state()
    bram = Conversation.objects.get(contact__name="Bram Jansen")
    assert bram.assignee == mike
    assert bram.labels.count() == 1

    # play the customer: their message shows up in the thread
    page.click(".inbox-play summary")
    page.fill("#play-body", "Great, thank you!")
    page.click("#play-send")
    page.wait_for_load_state()
    page.reload()
    assert "Great, thank you!" in page.locator("#messages").inner_text()

    # outside the window: only templates
    page.goto(f"{base}/admin/inbox/conversation/inbox/?status=all")
    _open(page, "Chloé Martin")
    assert page.locator("#window-closed").is_visible()
    assert page.locator("#reply-body").count() == 0
    page.select_option("#reply-template", value="follow_up|en")
    page.fill("#reply-parameters", "Chloé")
    screenshots(page, "inbox-03-template")
    page.click("#reply-send")
    page.wait_for_selector(".messagelist")
    assert "Hello Chloé, we are following up" in page.locator("#messages").inner_text()


def test_a_manager_of_another_team_cannot_open_the_demo_inbox(live_server, new_page):
    _seed_demo()
    rival = UserFactory(email="rival@example.com")
    rival.set_password("rival-pass-123")
    rival.save()
    membership_add(team=TeamFactory(name="Rival Crew"), user=rival, status=Membership.Status.OWNER)
    anna = Conversation.objects.get(contact__name="Anna de Vries")
    page = new_page()
    _sign_in(page, live_server.url, "rival@example.com", "rival-pass-123")
    page.goto(f"{live_server.url}/admin/inbox/conversation/inbox/")
    assert "Anna de Vries" not in page.content()
    response = page.goto(f"{live_server.url}/admin/inbox/conversation/{anna.pk}/thread/")
    assert response.status == 404
