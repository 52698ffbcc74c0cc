"""The managers' console in a real browser (issue 11 §3): the owner signs in with the login `seed_demo` (make run)
prints, opens the dashboard, creates and assigns shifts on the week board, publishes the week (one SMS per
employee in the outbox), approves a timesheet and exports approved hours; a manager of another team can neither
see nor reach the demo team's board or objects. Screenshots: var/screenshots/console-*.png."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Membership, Team, User
from accounts.services.memberships import membership_add
from messaging import sms
from messaging.models import Text
from tests.factories import TeamFactory, UserFactory
from workforce.models import Availability, Shift, Timesheet, TimesheetItem
from workforce.services import shifts as shift_services
from workforce.services import week as week_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _seed_demo() -> tuple[str, str]:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    return re.search(r"^Owner login: (\S+)", text, re.M).group(1), re.search(r"^Password: (\S+)", text, re.M).group(1)


def _sign_in(page, base: str, login: str, password: str) -> None:
    page.goto(f"{base}/admin/")
    assert "/admin/login/" in page.url
    page.fill("#id_username", login)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def _row(page, name: str):
    return page.locator("table.week-board tbody tr", has=page.locator("th", has_text=name))


def test_owner_runs_the_week_from_the_console(live_server, new_page, screenshots):
    base = live_server.url
    login, password = _seed_demo()
    team = Team.objects.get(slug="demo")
    owner = User.objects.get(email=login)
    mike = User.objects.get(email="mike@demo.crewdesk.local")
    mia = User.objects.get(email="mia@demo.crewdesk.local")
    last_monday = week_services.week_start(team, timezone.now().date()) - datetime.timedelta(days=7)
    sheet = Timesheet.objects.create(
        team=team, user=mike, start_date=last_monday, end_date=last_monday + datetime.timedelta(days=6),
        status="submitted", submitted_at=timezone.now(),
    )  # fmt: skip
    TimesheetItem.objects.create(team=team, timesheet=sheet, user=mike, work_hours=7.5, break_hours=0.5, manual=True)
    Availability.objects.create(team=team, user=mia, date=last_monday + datetime.timedelta(days=17))  # next Thursday

    page = new_page()
    page.goto(f"{base}/admin/")
    screenshots(page, "console-01-login")
    _sign_in(page, base, login, password)
    assert page.locator("#site-name").inner_text() == "Crewdesk console"
    assert page.locator(".console-team-picker select option:checked").inner_text() == "Demo Crew"
    assert page.locator("h2#on-now").is_visible()
    screenshots(page, "console-02-dashboard")

    # the week board, next week (ahead of today, so publishing it texts people)
    page.click("nav.console-nav >> text=Week board")
    page.wait_for_selector("table.week-board")
    screenshots(page, "console-03-board-this-week")
    page.click("text=Next week →")
    page.wait_for_load_state()
    next_monday = last_monday + datetime.timedelta(days=14)
    tuesday = (next_monday + datetime.timedelta(days=1)).isoformat()
    assert f"week={next_monday.isoformat()}" in page.url

    # create a shift for Mike on Tuesday
    add = _row(page, "Mike Member").locator(f"td[data-day='{tuesday}'] details.add-shift")
    add.locator("summary").click()
    add.locator("input[name=start]").fill("10:00")
    add.locator("input[name=end]").fill("18:00")
    add.locator("input[name=title]").fill("Browser bar")
    add.locator("button:has-text('Add shift')").click()
    page.wait_for_selector(".messagelist .success")
    mike_card = _row(page, "Mike Member").locator(f"td[data-day='{tuesday}'] details.shift-card")
    assert "Browser bar" in mike_card.inner_text()
    assert "draft" in mike_card.inner_text().lower()

    # an open shift, then reassigned to Mia from its card
    add = page.locator("tr.board-open-row").locator(f"td[data-day='{tuesday}'] details.add-shift")
    add.locator("summary").click()
    add.locator("input[name=title]").fill("Cover")
    add.locator("button:has-text('Add shift')").click()
    page.wait_for_selector(".messagelist .success")
    card = page.locator("tr.board-open-row").locator("details.shift-card", has_text="Cover")
    card.locator("summary").click()
    card.locator("select[name=assignee]").select_option(label=str(mia))
    card.locator("button:has-text('Save')").click()
    page.wait_for_selector(".messagelist .success")
    assert "Cover" in _row(page, "Mia Member").inner_text()
    thursday = (next_monday + datetime.timedelta(days=3)).isoformat()
    assert "Unavailable" in _row(page, "Mia Member").locator(f"td[data-day='{thursday}']").inner_text()
    cover = Shift.objects.get(team=team, title="Cover")
    assert (cover.assignee_id, cover.status) == (mia.pk, "assigned")
    screenshots(page, "console-04-board-drafts")

    # publish the week: one text per employee, recorded
    sms.outbox.clear()
    page.click("#publish-week")
    page.wait_for_selector(".messagelist .success")
    assert "get one text each" in page.locator(".messagelist").inner_text()
    phones = [m.to for m in sms.outbox]
    assert sorted(phones) == sorted([mike.phone, mia.phone])  # exactly one each (demo people are never texted)
    assert Text.objects.filter(to=mike.phone, purpose="notification").count() == 1
    assert "Browser bar" in next(m.body for m in sms.outbox if m.to == mike.phone)
    assert "published" in _row(page, "Mike Member").inner_text().lower()
    screenshots(page, "console-05-board-published")

    # timesheets: hours, approve from the timesheet's page, export approved hours
    page.click("nav.console-nav >> text=Timesheets")
    page.wait_for_selector("#result_list")
    assert "Totals per person" in page.content()
    screenshots(page, "console-06-timesheets")
    page.goto(f"{base}/admin/workforce/timesheet/{sheet.pk}/change/")
    assert "Worked" in page.locator(".timesheet-hours").inner_text()
    page.click("#approve-timesheet")
    page.wait_for_selector(".messagelist .success")
    sheet.refresh_from_db()
    assert (sheet.status, sheet.decided_by_id) == ("approved", owner.pk)
    screenshots(page, "console-07-timesheet-approved")
    page.goto(f"{base}/admin/workforce/timesheet/")
    with page.expect_download() as download:
        page.click("#export-approved")
    with open(download.value.path(), encoding="utf-8") as exported:
        assert "Mike Member" in exported.read()

    # demo data with its progress page
    page.click("nav.console-nav >> text=Demo data")
    page.fill("input[name=number_of_team_members]", "2")
    screenshots(page, "console-08-demo-data")
    page.click("input[type=submit][value='Load demo data']")
    page.wait_for_selector("#sync-progress")
    page.wait_for_selector("#sync-result >> text=Done")
    screenshots(page, "console-09-demo-progress")


def test_an_outsider_manager_cannot_see_or_reach_the_demo_team(live_server, new_page, screenshots):
    base = live_server.url
    _seed_demo()
    demo = Team.objects.get(slug="demo")
    demo_shift = Shift.objects.filter(team=demo).first()
    owner = User.objects.get(email="owner@demo.crewdesk.local")
    demo_sheet = Timesheet.objects.create(
        team=demo, user=owner, start_date=timezone.now().date(), end_date=timezone.now().date(), status="submitted"
    )
    rival_team = TeamFactory(name="Rival Crew")
    rival = UserFactory(email="rival@example.com")
    membership_add(team=rival_team, user=rival, status=Membership.Status.OWNER)
    start = timezone.now() + datetime.timedelta(days=1)
    shift_services.shift_create(
        team=rival_team, by=rival, start_at=start, end_at=start + datetime.timedelta(hours=4), title="Rival shift"
    )

    page = new_page()
    _sign_in(page, base, "rival@example.com", "correct-horse-battery-staple")
    picker = page.locator(".console-team-picker select option")
    assert picker.all_inner_texts() == ["Rival Crew"]
    assert "Demo Crew" not in page.content()
    screenshots(page, "console-10-outsider-dashboard")

    response = page.goto(f"{base}/admin/workforce/shift/board/?team={demo.pk}")
    assert response.status == 404
    screenshots(page, "console-11-outsider-board-404")
    page.goto(f"{base}/admin/workforce/shift/board/")
    assert page.locator(".console-team-picker select option").all_inner_texts() == ["Rival Crew"]
    assert "Demo Crew" not in page.content()

    # another team's objects do not exist for them (Django's admin redirects to the index with a notice)
    for url in (
        f"/admin/workforce/shift/{demo_shift.pk}/change/",
        f"/admin/workforce/timesheet/{demo_sheet.pk}/change/",
        f"/admin/accounts/team/{demo.pk}/change/",
    ):
        page.goto(base + url)
        assert page.url == f"{base}/admin/", url
        assert "doesn’t exist" in page.locator(".messagelist").inner_text()
    screenshots(page, "console-12-outsider-object-refused")
    shifts_list = page.goto(f"{base}/admin/workforce/shift/")
    assert shifts_list.status == 200
    assert "Demo Crew" not in page.locator("#result_list").inner_text()
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    decide = page.request.post(  # a hand-made request, past any page: the server checks the team
        f"{base}/admin/workforce/timesheet/{demo_sheet.pk}/decide/",
        form={"status": "approved"},
        headers={"X-CSRFToken": csrf, "Referer": f"{base}/admin/"},
    )
    assert decide.status == 404
    demo_sheet.refresh_from_db()
    assert demo_sheet.status == "submitted"
