"""Searching with the keyboard in a real browser, without any JavaScript of ours."""

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.browser.pages import a_word_of_the_home_page

pytestmark = pytest.mark.browser


def test_typing_words_and_pressing_enter_lists_matching_pages(live_site, browser_page):
    word = a_word_of_the_home_page().upper()
    browser_page.goto(f"{live_site}/recherche/")
    field = browser_page.get_by_role("searchbox")
    field.fill(word)
    field.press("Enter")

    expect(browser_page).to_have_url(f"{live_site}/recherche/?{urlencode({'q': word})}")
    expect(browser_page.get_by_role("status")).to_contain_text(word)
    expect(browser_page.locator(".search-results li").first).to_be_visible()
    expect(browser_page.get_by_role("searchbox")).to_have_value(word)
