"""The appointments on the admin's home page (booking.staff.dashboard) pass axe, on
phones and computers, as a counsellor sees them with appointments today and later."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.booking.factories import BookingFactory, CounsellorFactory, FormatFactory, PlaceFactory
from tests.browser.axe import AXE_OPTIONS, axe_check, describe_violations
from tests.browser.pages import COMPUTER, PHONE

pytestmark = pytest.mark.browser


def test_the_appointments_panel_passes_axe(
    live_server, django_db_serialized_rollback, browser_page, browser_context
):
    """On Wagtail's initial site (restored by serialized rollback after other live tests)."""
    place = PlaceFactory()
    counsellor = CounsellorFactory(
        slug="samira", formats=[FormatFactory(slug="test-individuel")], places=[place], team=True
    )
    now = timezone.now()
    for hours, name in ((1, "Léa"), (30, "Tom"), (60, "Inès")):
        BookingFactory(
            counsellor=counsellor,
            start=now + timedelta(hours=hours),
            young_person__first_name=name,
        )
    client = Client()
    client.force_login(counsellor.user)
    browser_context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )

    violations = {}
    for viewport in (PHONE, COMPUTER):
        browser_page.set_viewport_size(viewport)
        browser_page.goto(f"{live_server.url}/admin/")
        panel = browser_page.locator("#appointments-section")
        assert "Tom" in panel.inner_text()
        axe_check(browser_page)  # loads axe into the page
        found = browser_page.evaluate(
            "options => axe.run('#appointments-section', options)"
            ".then(results => results.violations)",
            AXE_OPTIONS,
        )
        if found:
            violations[f"admin home ({viewport['width']} px wide)"] = found
    assert not violations, describe_violations(violations)
