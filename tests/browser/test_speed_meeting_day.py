"""A whole "Adopte un pro" day in Chromium, on the demo's next date: a young person
registers on the event's form and gives a wish, staff build and publish the plan, the
day starts, a late arrival is registered at the check-in and seated by the re-plan, the
rounds are played, and the day ends with the choices, the counsellor's marks, the
follow-up invitation and its booking (test_speed_meeting_after). Every page passes axe
and the young people's pages are used by keyboard."""

import re

import pytest
from django.core import mail
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Registration, SeatPool
from booking.services import registrations
from booking.services.signals import Actor
from eventdays.models import Seat, SpeedMeeting
from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import COMPUTER, PHONE
from tests.browser.test_booking_flow import submit, tab_to
from tests.browser.test_front_desk import sign_in
from tests.browser.test_speed_meeting import start_three_minutes_ago
from tests.browser.test_speed_meeting_after import follow_up_by_keyboard, go

pytestmark = pytest.mark.browser


def press(page, name):
    """The staff button of that name, by keyboard, and the page it leads to."""
    button = page.get_by_role("button", name=name)
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_no_axe_violations(page)


def test_the_whole_day_from_registration_to_the_follow_up(live_site, browser_page):
    page = browser_page
    meeting = SpeedMeeting.objects.get(date__start__gt=timezone.now())
    date = meeting.date

    # Maëlys registers on her phone for the seat freed on site, and says which sector she
    # would like to meet.
    for waiting in date.registrations.filter(status=Registration.Status.WAITING):
        registrations.cancel_registration(waiting, by=Actor.PERSON)
    SeatPool.objects.filter(date=date, mode=SeatPool.Mode.ON_SITE).update(
        capacity=F("seats_confirmed") + F("seats_offered") + 1
    )
    page.set_viewport_size(PHONE)
    page.goto(live_site + reverse("booking:register", args=[date.event_id, date.key]))
    assert_no_axe_violations(page)
    tab_to(page, "#id_first_name")
    page.keyboard.type("Maëlys")
    tab_to(page, "#id_email")
    page.keyboard.type("maelys.day@example.org")
    tab_to(page, 'input[name="mode"][value="on_site"]')
    page.keyboard.press("Space")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    submit(page)
    assert_no_axe_violations(page)
    [message] = [m for m in mail.outbox if m.to == ["maelys.day@example.org"]]
    page.goto(re.search(r"https?://\S+/inscription/gerer/\S+/", message.body).group(0))
    go(page, 'a[href*="/souhaits/"]')
    tab_to(page, 'input[name="sectors"][value="health"]')
    page.keyboard.press("Space")
    submit(page)
    expect(page.locator("h1")).to_have_text("Mon programme de la journée")
    maelys = Registration.objects.get(young_person__email="maelys.day@example.org")

    # Staff build the draft with her in it and publish it.
    page.set_viewport_size(COMPUTER)
    sign_in(page, live_site, "responsable-lens")
    page.goto(live_site + reverse("eventdays_speed:meeting", args=[meeting.pk]))
    assert_no_axe_violations(page)
    press(page, "Refaire le brouillon")
    press(page, "Publier le brouillon")
    assert Seat.objects.filter(meeting=meeting, published=True, registration=maelys).exists()

    # The day starts; Nour walks in and is registered at the check-in, Maëlys is there.
    start_three_minutes_ago(meeting)
    page.goto(live_site + reverse("booking_registrations:check_in", args=[date.pk]))
    assert_no_axe_violations(page)
    page.locator("#check-in-search").focus()
    page.keyboard.type("Maëlys")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Présent Maëlys").click()
    expect(page.get_by_role("button", name="Annuler Maëlys")).to_be_visible()
    page.fill("#id_first_name", "Nour")
    page.fill("#id_email", "nour.day@example.org")
    page.get_by_role("button", name="Noter présent").click()
    expect(page.locator("body")).to_contain_text("Nour")
    nour = Registration.objects.get(young_person__email="nour.day@example.org")

    # The re-plan keeps round 1 as it is and seats Nour from round 2.
    page.goto(live_site + reverse("eventdays_speed:meeting", args=[meeting.pk]))
    press(page, "Replanifier d’après l’accueil")
    press(page, "Publier le brouillon")
    nour_rounds = Seat.objects.filter(meeting=meeting, published=True, registration=nour)
    assert nour_rounds.exists() and not nour_rounds.filter(round=0).exists()

    # Staff play the rounds to the end.
    for number in range(2, meeting.rounds + 1):
        press(page, f"Lancer le tour {number} maintenant")
    press(page, "Terminer la rencontre maintenant")
    meeting.refresh_from_db()
    assert meeting.round_playing == meeting.rounds

    follow_up_by_keyboard(page, live_site, meeting, staff_signed_in=True)
