"""The front desk's admin pages in Chromium: each passes axe (WCAG 2.1 AA) on phones
and computers, and a manager books for someone by keyboard, without JavaScript's help."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from booking import services
from booking.models import Absence, AvailabilityRule, Booking, Format, Place
from booking.scheduling.loading import find_slots
from booking.services.invitations import invite
from home.management.commands.load_demo import DEMO_PASSWORD
from structures.models import Structure
from tests.booking.factories import BookingFactory, PlaceFactory
from tests.browser.axe import axe_check, describe_violations
from tests.browser.pages import COMPUTER, PHONE

pytestmark = pytest.mark.browser


def booking_url(view, *args):
    return reverse(f"wagtailsnippets_booking_booking:{view}", args=args)


def sign_in(page, live_site, username):
    page.goto(live_site + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_site + "/admin/")


def desk_choice():
    """A counsellor of the default structure, with an individual format and a place of
    their opening hours, the notice and horizon lifted so the week has times."""
    rule = (
        AvailabilityRule.objects.filter(
            place__structure=Structure.default(), counsellor__active=True
        )
        .select_related("counsellor", "place")
        .first()
    )
    fmt = rule.counsellor.formats.filter(capacity=1, active=True).first()
    return {
        "format": fmt.pk,
        "counsellor": rule.counsellor.pk,
        "place": rule.place.pk,
        "override_limits": "on",
    }


def book_a_free_time(choice):
    """The first free time of the desk's choice, booked by staff for Léa."""
    fmt = Format.objects.get(pk=choice["format"])
    slot = next(
        slot
        for slot in find_slots(
            Structure.default(),
            counsellors=[choice["counsellor"]],
            formats=[fmt],
            within_limits=False,
        )
        if slot.place.pk == choice["place"] and slot.group_session is None
    )
    return services.book(
        first_name="Léa",
        email="lea@example.org",
        source=Booking.Source.STAFF,
        format=fmt,
        start=slot.start,
        place=slot.place,
        counsellor=slot.counsellor,
        override_limits=True,
    )


def test_the_front_desk_pages_pass_axe(live_site, browser_page):
    choice = desk_choice()
    booking = book_a_free_time(choice)
    Absence.objects.create(
        counsellor=booking.counsellor, start=booking.start, end=booking.end + timedelta(hours=1)
    )
    # A home visit with no meeting before it, and an invitation: both tables filled.
    BookingFactory(
        counsellor=booking.counsellor,
        format=booking.format,
        place=PlaceFactory(kind=Place.Kind.HOME, name="Chez toi"),
        start=booking.start + timedelta(days=2),
        young_person__email="visite@example.org",
    )
    invite(
        counsellor=booking.counsellor,
        format=booking.format,
        contact="invitee@example.org",
        created_by=None,
    )
    moved = {
        "format": booking.format_id,
        "counsellor": booking.counsellor_id,
        "place": booking.place_id,
        "override_limits": "on",
    }
    sign_in(browser_page, live_site, "responsable-lens")
    pages = [
        booking_url("list"),
        booking_url("book_for_someone"),
        f"{booking_url('book_for_someone')}?{urlencode(choice)}",
        f"{booking_url('move', booking.pk)}?{urlencode(moved)}",
        booking_url("inspect", booking.pk),
        reverse("booking_invitations:index"),
        reverse("booking_clashes:index"),
    ]
    violations = {}
    for viewport in (PHONE, COMPUTER):
        browser_page.set_viewport_size(viewport)
        for path in pages:
            response = browser_page.goto(live_site + path)
            assert response.status == 200, path
            if found := axe_check(browser_page):
                violations[f"{path} ({viewport['width']} px wide)"] = found
    assert not violations, describe_violations(violations)
    browser_page.goto(live_site + reverse("booking_clashes:index"))
    for heading in ("Pendant une absence", "À domicile avant tout premier rendez-vous"):
        expect(browser_page.get_by_role("heading", name=heading)).to_be_visible()


def test_a_manager_books_for_someone_by_keyboard(live_site, browser_page):
    choice = desk_choice()
    sign_in(browser_page, live_site, "responsable-lens")
    browser_page.goto(f"{live_site}{booking_url('book_for_someone')}?{urlencode(choice)}")
    before = Booking.objects.count()

    browser_page.locator("input[name=slot]").first.focus()
    browser_page.keyboard.press("Space")
    browser_page.locator("#id_first_name").focus()
    browser_page.keyboard.type("Maëlle")
    browser_page.keyboard.press("Tab")
    browser_page.keyboard.type("maelle@example.org")
    browser_page.keyboard.press("Enter")  # submits the form, as in any browser

    expect(browser_page.locator(".messages")).to_contain_text("Le rendez-vous est pris")
    assert Booking.objects.count() == before + 1
    booked = Booking.objects.latest("created_at")
    assert (booked.source, booked.young_person.first_name) == ("staff", "Maëlle")
