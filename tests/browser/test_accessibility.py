"""Every page of the demo site, audited by axe in Chromium against WCAG 2.1 A and AA."""

from urllib.parse import urlencode

import pytest

from tests.browser.axe import axe_check, describe_violations
from tests.browser.pages import COMPUTER, PHONE, a_word_of_the_home_page, sitemap_urls

pytestmark = pytest.mark.browser


def test_the_audit_reports_what_it_finds(browser_page):
    """Guards the audits below against passing because axe did not run."""
    browser_page.set_content(
        '<html lang="fr"><title>Test</title><main><img src="data:,"></main></html>'
    )
    violations = axe_check(browser_page)
    assert [violation["id"] for violation in violations] == ["image-alt"]
    assert "image-alt" in describe_violations({"page": violations})


def test_every_page_passes_axe_on_phones_and_computers(live_site, browser_page, outside_requests):
    urls = sitemap_urls(browser_page, live_site)
    assert urls, "the demo site's sitemap lists no page"
    elsewhere = [url for url in urls if not url.startswith(f"{live_site}/")]
    assert not elsewhere, f"the sitemap points away from the site: {elsewhere}"

    word = a_word_of_the_home_page()
    expected_status = dict.fromkeys(urls, 200)
    expected_status[f"{live_site}/recherche/?{urlencode({'q': word})}"] = 200
    expected_status[f"{live_site}/recherche/?{urlencode({'q': 'xylophone'})}"] = 200
    expected_status[f"{live_site}/cette-page-n-existe-pas/"] = 404
    expected_status[f"{live_site}/rendez-vous/confidentialite/"] = 200
    expected_status[f"{live_site}/recherche/?{urlencode({'q': 'rdv'})}"] = 200

    wrong_status, violations = [], {}
    for viewport in [PHONE, COMPUTER]:
        browser_page.set_viewport_size(viewport)
        for url, status in expected_status.items():
            response = browser_page.goto(url)
            if response.status != status:
                wrong_status.append(f"{url}: {response.status}, expected {status}")
            if found := axe_check(browser_page):
                violations[f"{url} ({viewport['width']} px wide)"] = found

    assert not wrong_status, "\n".join(sorted(set(wrong_status)))
    if violations:
        pytest.fail(
            f"axe found WCAG 2.1 AA violations on {len(violations)} of "
            f"{2 * len(expected_status)} page views:\n{describe_violations(violations)}",
            pytrace=False,
        )
    assert not outside_requests, f"pages fetched files from other hosts: {outside_requests}"
