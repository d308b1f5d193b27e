"""The demo's sport day in Chromium: a referee types a score by keyboard on a phone from
their link, the jury page, the big-screen scoreboard, the team cards and the results
after the day pass axe (WCAG 2.1 AA)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import EventDate
from eventdays.sport import links
from eventdays.sport.models import SportDay
from tests.browser.axe import axe_check, describe_violations
from tests.browser.pages import COMPUTER
from tests.browser.test_booking_flow import submit, tab_to
from tests.browser.test_front_desk import sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}


def test_a_referee_types_a_score_by_keyboard_and_the_pages_pass_axe(live_site, browser_page):
    day = SportDay.objects.get()
    court = day.courts.first()
    match = court.matches.order_by("slot").first()
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(live_site + links.referee_path(court))
    violations = {}
    if found := axe_check(page):
        violations["court"] = found
    tab_to(page, f"#id_match-{match.pk}-home_score")
    page.keyboard.type("-1")
    tab_to(page, f"#id_match-{match.pk}-away_score")
    page.keyboard.type("2")
    submit(page)
    expect(page.locator(".error-summary")).to_contain_text("Un score va de 0 à 999.")
    if found := axe_check(page):
        violations["court, refused"] = found
    page.fill(f"#id_match-{match.pk}-home_score", "")
    tab_to(page, f"#id_match-{match.pk}-home_score")
    page.keyboard.type("3")
    submit(page)
    expect(page.locator(f"#match-{match.pk}")).to_contain_text("Score enregistré")
    page.goto(live_site + links.referee_path(day.stations.first()))
    if found := axe_check(page):
        violations["station"] = found
    page.set_viewport_size(COMPUTER)
    page.goto(live_site + reverse("eventdays:sport_scoreboard", args=[day.pk]))
    expect(page.locator("h1")).to_contain_text(day.date.title)
    if found := axe_check(page):
        violations["scoreboard"] = found
    sign_in(page, live_site, "responsable-lens")
    for name in ("day", "cards", "settings"):
        page.goto(live_site + reverse(f"eventdays_sport:{name}", args=[day.pk]))
        if found := axe_check(page):
            violations[name] = found
    EventDate.objects.filter(pk=day.date_id).update(
        start=timezone.now() - timedelta(hours=6), end=timezone.now() - timedelta(hours=1)
    )
    page.goto(live_site + reverse("eventdays:sport_results", args=[day.pk]))
    expect(page.locator("h1")).to_contain_text("Résultats")
    if found := axe_check(page):
        violations["results"] = found
    assert not violations, describe_violations(violations)
