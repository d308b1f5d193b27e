"""The last step of a home visit (its address) and of both contacts (where to be told),
filled and corrected by keyboard, with axe finding nothing, error state included."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from booking import demo
from booking.models import Booking, Place
from booking.scheduling.loading import find_slots
from booking.services.tokens import make_token
from structures.models import Structure
from tests.booking.factories import BookingFactory, YoungPersonFactory
from tests.booking.flow_support import choices

from .axe import assert_no_axe_violations
from .test_booking_flow import submit, tab_to

pytestmark = pytest.mark.browser


def a_home_visit():
    """The GET parameters of the last step of the demo's first home visit on offer."""
    structure = Structure.default()
    home = Place.objects.get(structure=structure, kind=Place.Kind.HOME)
    slot = next(
        slot
        for slot in find_slots(structure, first_meeting=False)
        if slot.place == home and slot.group_session is None
    )
    return choices(slot.counsellor, slot.format, home, slot, premiere="non")


def test_a_home_visits_address_by_keyboard_with_no_axe_violation(live_site, browser_page):
    demo.load()
    BookingFactory(
        start=timezone.now() - timedelta(days=10),
        status=Booking.Status.ATTENDED,
        young_person=YoungPersonFactory(email="lea@example.org", phone="+33612345678"),
    )  # Léa has met the structure: she may be visited at home
    page = browser_page
    page.goto(f"{live_site}/rendez-vous/?{urlencode(a_home_visit())}")
    expect(page.locator("#champ-adresse legend")).to_be_visible()
    assert_no_axe_violations(page)

    tab_to(page, "#id_first_name")
    page.keyboard.type("Léa")
    tab_to(page, "#id_email")
    page.keyboard.type("lea@example.org")
    tab_to(page, "#id_phone")
    page.keyboard.type("06 12 34 56 78")
    tab_to(page, "#id_home_street")
    page.keyboard.type("12 rue des Écoles")
    tab_to(page, "#id_home_postcode")
    page.keyboard.type("623")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    submit(page)

    # Three things to correct, each linked from the summary; what was typed stays.
    summary = page.locator(".error-summary[role=alert]")
    expect(summary).to_be_visible()
    expect(summary.locator("a")).to_have_count(3)
    expect(page.locator("#id_home_street")).to_have_value("12 rue des Écoles")
    assert_no_axe_violations(page)

    tab_to(page, 'input[name="preferred_channel"]')  # the group's first radio: e-mail
    page.keyboard.press("ArrowDown")  # moves to, and ticks, the text message
    expect(page.locator('input[name="preferred_channel"][value="sms"]')).to_be_checked()
    tab_to(page, "#id_home_postcode")
    page.keyboard.press("Control+A")
    page.keyboard.type("62300")
    tab_to(page, "#id_home_town")
    page.keyboard.type("Lens")
    submit(page)

    expect(page.locator("h1")).to_have_count(1)  # the answer goes by e-mail
    assert_no_axe_violations(page)
    visit = Booking.objects.get(place__kind=Place.Kind.HOME)
    assert visit.home_address == "12 rue des Écoles\n62300 Lens"
    assert visit.young_person.preferred_channel == "sms"


def test_a_video_meetings_page_gives_its_link_with_no_axe_violation(live_site, browser_page):
    demo.load()
    video = Place.objects.get(structure=Structure.default(), kind=Place.Kind.VIDEO)
    counsellor = video.counsellors.first()
    counsellor.video_url = "https://visio.example.org/salle"
    counsellor.save()
    booking = BookingFactory(
        counsellor=counsellor,
        format=counsellor.formats.filter(capacity=1).first(),
        place=video,
        start=timezone.now() + timedelta(days=3),
    )

    browser_page.goto(live_site + reverse("booking:manage", args=[make_token(booking)]))

    expect(browser_page.locator('a[href="https://visio.example.org/salle"]')).to_be_visible()
    assert_no_axe_violations(browser_page)
