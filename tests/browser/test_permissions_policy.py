"""Chromium, reading the site's Permissions-Policy, refuses the camera, the microphone,
the location and payments to the pages and to the videos they embed."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser


def test_pages_and_their_frames_get_no_camera_microphone_or_location(live_site, browser_page):
    browser_page.goto(live_site + "/")

    known = browser_page.evaluate("document.featurePolicy.features()")
    allowed = browser_page.evaluate(
        "features => features.filter(feature => document.featurePolicy.allowsFeature(feature))",
        settings.PERMISSIONS_POLICY,
    )
    frames_allowed = browser_page.evaluate(
        "feature => document.featurePolicy.getAllowlistForFeature(feature)", "camera"
    )

    assert set(settings.PERMISSIONS_POLICY) <= set(known), "a feature Chromium does not know"
    assert allowed == []
    assert frames_allowed == []
    assert browser_page.evaluate("document.featurePolicy.allowsFeature('fullscreen')")
