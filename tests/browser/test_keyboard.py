"""Keyboard users reach the content first, without tabbing through the whole menu."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import sitemap_urls

pytestmark = pytest.mark.browser


def test_first_tab_focuses_the_skip_link_and_enter_moves_focus_to_main(live_site, browser_page):
    for url in [*sitemap_urls(browser_page, live_site), f"{live_site}/recherche/"]:
        browser_page.goto(url)
        main = browser_page.locator("main")
        main_id = main.get_attribute("id")
        assert main_id, f"{url}: <main> needs an id for the skip link to point to"

        browser_page.keyboard.press("Tab")
        focused = browser_page.locator(":focus")
        expect(focused, f"{url}: the first Tab goes to the skip link").to_have_attribute(
            "href", f"#{main_id}"
        )
        box = focused.bounding_box()
        width = browser_page.viewport_size["width"]
        assert box and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width, (
            f"{url}: the focused skip link is off screen: {box}"
        )

        browser_page.keyboard.press("Enter")
        expect(main, f"{url}: Enter on the skip link moves focus to <main>").to_be_focused()
