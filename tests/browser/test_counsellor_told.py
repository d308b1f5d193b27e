"""The counsellor's page where they choose how they are told of their appointments (on
their calendar-feed page): it passes axe before and after saving, by keyboard."""

import pytest
from playwright.sync_api import expect

from booking.models import Counsellor
from tests.browser.axe import assert_no_axe_violations

pytestmark = pytest.mark.browser


def test_a_counsellor_chooses_the_digest_by_keyboard_on_a_page_that_passes_axe(
    live_site, browser_page
):
    counsellor = Counsellor.objects.get(user__username="conseil-samia")
    counsellor.user.set_password("mot-de-passe-de-samia")  # demo counsellors have none
    counsellor.user.save()
    page = browser_page
    page.goto(live_site + "/admin/login/")
    page.fill("#id_username", counsellor.user.username)
    page.fill("#id_password", "mot-de-passe-de-samia")
    with page.expect_navigation():
        page.locator('button[type="submit"]').first.click()

    page.goto(live_site + "/admin/booking/calendar-feed/")
    expect(
        page.get_by_role("heading", name="Comment vous êtes prévenu·e de vos rendez-vous")
    ).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Un récapitulatif chaque matin à 7 h 30").focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").press("Enter")

    expect(page.get_by_text("Enregistré : Un récapitulatif chaque matin à 7 h 30.")).to_be_visible()
    assert_no_axe_violations(page)
    counsellor.refresh_from_db()
    assert counsellor.told == Counsellor.Told.DAILY_DIGEST
