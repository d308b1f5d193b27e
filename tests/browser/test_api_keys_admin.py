"""The admin's API keys pages, as a structure's manager uses them: the list and the
form that revokes a key pass axe, and revoking works from the browser."""

import pytest
from playwright.sync_api import expect

from booking.models import ApiKey
from structures.models import Structure
from tests.browser.axe import assert_no_axe_violations

pytestmark = pytest.mark.browser


def test_a_manager_lists_and_revokes_a_key_on_pages_that_pass_axe(live_site, browser_page):
    row, _key = ApiKey.create(name="Site du lycée Condorcet", structure=Structure.default())
    page = browser_page
    page.goto(live_site + "/admin/login/")
    page.fill("#id_username", "responsable-lens")
    page.fill("#id_password", "passerelle-demo")
    with page.expect_navigation():
        page.locator('button[type="submit"]').first.click()

    page.goto(live_site + "/admin/snippets/booking/apikey/")
    expect(page.get_by_text("Site du lycée Condorcet")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(live_site + f"/admin/snippets/booking/apikey/edit/{row.pk}/")
    assert_no_axe_violations(page)
    page.locator("#id_revoked").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()

    row.refresh_from_db()
    assert row.revoked
