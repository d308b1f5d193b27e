""" "Adopte un pro" in Chromium, on the demo (the next date set up, its draft to
publish): the pros' form, the wishes, the schedule on a phone, the big screen (with and
without JavaScript), the printed schedules and table cards and the staff's page pass
axe (WCAG 2.1 AA) on a phone and a computer; a pro takes a table and a young person
gives their wishes by keyboard."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from booking.services.tokens import make_registration_token
from eventdays.models import Pro, SpeedMeeting
from eventdays.speed import links, services
from tests.browser.axe import assert_no_axe_violations, axe_check, describe_violations
from tests.browser.pages import COMPUTER, PHONE
from tests.browser.test_booking_flow import submit, tab_to
from tests.browser.test_front_desk import sign_in

pytestmark = pytest.mark.browser


def published_meeting(under_way=False):
    """The demo's next meeting, its draft published; `under_way`: round 1 started
    three minutes ago."""
    meeting = SpeedMeeting.objects.get(date__start__gt=timezone.now())
    if under_way:
        start_three_minutes_ago(meeting)
    services.publish(meeting, now=meeting.first_round_at - timedelta(minutes=1))
    return meeting


def start_three_minutes_ago(meeting):
    """Round 1 of the meeting under way, started three minutes ago."""
    services.change_settings(
        meeting,
        rounds=meeting.rounds,
        round_minutes=meeting.round_minutes,
        change_minutes=meeting.change_minutes,
        first_round_at=timezone.now() - timedelta(minutes=3),
    )


def someone_seated(meeting):
    return meeting.date.registrations.filter(speed_seats__published=True).first()


def test_the_speed_meeting_pages_pass_axe(live_site, browser_page):
    meeting = published_meeting()
    token = make_registration_token(someone_seated(meeting))
    admin = [
        reverse("eventdays_speed:index"),
        reverse("eventdays_speed:meeting", args=[meeting.pk]),
        reverse("eventdays_speed:add_pro", args=[meeting.pk]),
        reverse("eventdays_speed:settings", args=[meeting.pk]),
        reverse("eventdays_speed:print_schedules", args=[meeting.pk]),
        reverse("eventdays_speed:print_tables", args=[meeting.pk]),
    ]
    public = [
        reverse("eventdays:speed_pros", args=[links.pros_token(meeting)]),
        reverse("eventdays:speed_pro", args=[links.pro_token(meeting.pros.first())]),
        reverse("eventdays:speed_schedule", args=[token]),
        reverse("eventdays:speed_wishes", args=[token]),
        reverse("eventdays:speed_screen", args=[links.screen_token(meeting)]),
    ]
    sign_in(browser_page, live_site, "responsable-lens")
    violations = {}
    for viewport in (PHONE, COMPUTER):
        browser_page.set_viewport_size(viewport)
        for path in admin + public:
            response = browser_page.goto(live_site + path)
            assert response.status == 200, path
            if found := axe_check(browser_page):
                violations[f"{path} ({viewport['width']} px wide)"] = found
    assert not violations, describe_violations(violations)


def test_the_big_screen_counts_down_with_and_without_javascript(live_site, browser_page, browser):
    meeting = published_meeting(under_way=True)
    url = live_site + reverse("eventdays:speed_screen", args=[links.screen_token(meeting)])
    browser_page.set_viewport_size(COMPUTER)
    browser_page.goto(url)
    expect(browser_page.locator("h1")).to_have_text("Tour 1")
    # The script ticks each second from what the server said: "6:59", not "7 min".
    expect(browser_page.locator(".speed-countdown")).to_contain_text(":")
    expect(browser_page.locator(".speed-screen__people li").first).to_contain_text("table")
    assert_no_axe_violations(browser_page)

    context = browser.new_context(locale="fr-FR", java_script_enabled=False, viewport=COMPUTER)
    try:
        page = context.new_page()
        page.goto(url)
        expect(page.locator("h1")).to_have_text("Tour 1")
        expect(page.locator(".speed-countdown")).to_have_text("7 min")
    finally:
        context.close()


def test_a_pro_takes_a_table_by_keyboard(live_site, browser_page):
    meeting = SpeedMeeting.objects.get(date__start__gt=timezone.now())
    page = browser_page
    page.goto(live_site + reverse("eventdays:speed_pros", args=[links.pros_token(meeting)]))
    submit(page)  # nothing typed: every error, announced and linked
    expect(page.locator(".error-summary[role=alert]")).to_be_visible()
    assert_no_axe_violations(page)
    tab_to(page, "#id_name")
    page.keyboard.type("Odile")
    tab_to(page, "#id_company")
    page.keyboard.type("Pharmacie Centrale")
    tab_to(page, "#id_seats")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    tab_to(page, "#id_email")
    page.keyboard.type("odile@pharmacie.example.org")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    submit(page)
    expect(page.locator("h1")).to_contain_text("Votre table\u00a0: table")
    assert_no_axe_violations(page)
    assert Pro.objects.get(company="Pharmacie Centrale").seats == 2


def test_a_young_person_gives_their_wishes_by_keyboard(live_site, browser_page):
    meeting = SpeedMeeting.objects.get(date__start__gt=timezone.now())
    registration = meeting.date.registrations.filter(
        status="confirmed", speed_wishes__isnull=True
    ).first()
    page = browser_page
    token = make_registration_token(registration)
    page.goto(live_site + reverse("booking:registration", args=[token]))
    tab_to(page, 'a[href*="/souhaits/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Qui aimerais-tu rencontrer\u00a0?")
    tab_to(page, 'input[name="sectors"][value="health"]')
    page.keyboard.press("Space")
    submit(page)
    expect(page.locator("h1")).to_have_text("Mon programme de la journée")
    assert_no_axe_violations(page)
    assert [wish.sector for wish in registration.speed_wishes.all()] == ["health"]
