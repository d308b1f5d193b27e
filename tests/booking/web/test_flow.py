"""The young person's booking journey, step by step, as the test client sees it."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from booking.models import Absence, Booking, Counsellor, Place
from booking.scheduling.holidays import public_holidays_between
from booking.scheduling.listing import slot_key
from booking.services import MeetingStageMismatch
from booking.web.journey import ANY_COUNSELLOR
from core.dates import local_time
from structures.models import Structure

from ..factories import WEEKDAYS, seats_booked
from ..flow_support import (
    assert_shows,
    book,
    choices,
    flow_url,
    free_slots,
    post_booking,
    step_label,
    text,
)


def h1s(response):
    return re.findall(r"<h1[ >]", text(response))


def working_day(days_ahead):
    """A day at least `days_ahead` days from now that is no public holiday."""
    day = timezone.localdate() + timedelta(days=days_ahead)
    while day in public_holidays_between(day, day):
        day += timedelta(days=1)
    return day


def test_full_journey_with_a_chosen_counsellor(client, samira, individuel, structure):
    slot = free_slots(samira)[0]

    response = client.get(flow_url())
    assert response.status_code == 200
    assert_shows(response, step_label(1, 5))
    assert 'value="samira"' in text(response)
    assert 'value="premier-disponible"' in text(response)

    response = client.get(flow_url(conseiller="samira", etape="conseiller"))
    assert_shows(response, step_label(2, 5))
    assert f'value="{individuel.slug}"' in text(response)

    response = client.get(flow_url(conseiller="samira", format=individuel.slug))
    assert_shows(response, step_label(3, 5))
    assert f'value="{structure.pk}"' in text(response)
    # The structure suits a first meeting: no need to ask whether it is one.
    assert 'name="premiere"' not in text(response)

    response = client.get(flow_url(conseiller="samira", format=individuel.slug, lieu=structure.pk))
    assert_shows(response, step_label(4, 5))
    assert f'value="{slot_key(slot)}"' in text(response)
    assert local_time(slot.start) in text(response)

    params = choices(samira, individuel, structure, slot)
    response = client.get(flow_url(**params))
    assert_shows(response, step_label(5, 5))
    for attribute in ('autocomplete="given-name"', 'autocomplete="email"', 'autocomplete="tel"'):
        assert attribute in text(response)
    assert 'inputmode="tel"' in text(response)

    response = post_booking(client, params)
    assert response.status_code == 303
    booking = Booking.objects.get()
    assert (booking.counsellor, booking.format, booking.place) == (samira, individuel, structure)
    assert booking.start == slot.start
    assert booking.source == Booking.Source.WEB
    assert booking.consent_at is not None
    assert booking.message == "Je cherche une formation."
    assert booking.young_person.email == "lea@example.org"

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Léa" in text(page)
    assert local_time(slot.start) in text(page)
    assert "/rendez-vous/gerer/" in text(page)
    assert ".ics" in text(page)


@pytest.mark.skipif(
    not hasattr(Counsellor, "profile_pages"),
    reason="needs the CounsellorPage.counsellor link (related_name profile_pages)",
)
def test_counsellor_step_links_to_the_live_video_profile(client, make_counsellor, home):
    from tests.counsellors.factories import CounsellorIndexPageFactory, CounsellorPageFactory

    samira, julien = make_counsellor("samira"), make_counsellor("julien")
    index = CounsellorIndexPageFactory(parent=home)
    profile = CounsellorPageFactory(parent=index, title="Samira", counsellor=samira)
    CounsellorPageFactory(parent=index, title="Julien", counsellor=julien, live=False)

    html = text(client.get(flow_url()))
    assert f'href="{profile.url}"' in html
    assert "<img" in html and 'alt=""' in html
    assert html.count("booking-option__link") == 1, "no link to an unpublished profile"


def test_deep_link_from_a_profile_page_starts_at_the_format_step(client, samira):
    response = client.get(flow_url(conseiller="samira"))
    assert response.status_code == 200
    assert_shows(response, step_label(2, 5))
    assert 'name="conseiller" value="samira"' in text(response)
    assert "Samira" in text(response)


def test_the_first_available_person_gets_the_booking(client, make_counsellor, individuel):
    first, second = make_counsellor("alice"), make_counsellor("bruno")
    slot = free_slots(first)[0]
    book(slot, email="someone@example.org")

    params = choices(None, individuel, slot.place, slot)
    response = client.get(flow_url(**{**params, "creneau": ""}))
    assert f'value="{slot_key(slot)}"' in text(response), "still free with Bruno"

    response = post_booking(client, params)
    assert response.status_code == 303
    assert Booking.objects.get(young_person__email="lea@example.org").counsellor == second


@pytest.mark.parametrize("step", range(1, 6))
def test_every_step_has_one_h1_and_never_lands_in_a_cache(client, samira, individuel, step):
    slot = free_slots(samira)[0]
    params = list(choices(samira, individuel, slot.place, slot).items())[: step - 1]
    response = client.get(flow_url(**dict(params)))
    assert response.status_code == 200
    assert len(h1s(response)) == 1
    assert "no-store" in response["Cache-Control"]


def test_first_meeting_question_only_where_home_is_offered(
    client, make_counsellor, individuel, structure
):
    home = Place.objects.create(
        structure=Structure.default(), kind=Place.Kind.HOME, name="Chez toi"
    )
    julien = make_counsellor("julien")
    make_counsellor("thomas")
    julien.places.add(home)
    julien.availability_rules.create(
        recurrence=julien.availability_rules.get().recurrence,
        start_time="14:00",
        end_time="17:00",
        place=home,
    )
    base = {"conseiller": "julien", "format": individuel.slug}

    response = client.get(flow_url(**base))
    assert 'name="premiere"' in text(response)
    assert f'value="{home.pk}"' in text(response)

    response = client.get(flow_url(**base, premiere="oui", lieu=home.pk, etape="lieu"))
    assert response.status_code == 400
    assert_shows(response, MeetingStageMismatch.NOT_AT_HOME)

    response = client.get(flow_url(**base, premiere="non", lieu=home.pk, etape="lieu"))
    assert response.status_code == 200
    assert_shows(response, step_label(4, 5))

    # Thomas has no home visits: the question would change nothing, so it is not asked.
    response = client.get(flow_url(conseiller="thomas", format=individuel.slug))
    assert 'name="premiere"' not in text(response)


def test_group_sessions_skip_the_place_step_and_show_seats(
    client, make_counsellor, collectif, make_session
):
    host = make_counsellor("nadia", formats=[collectif])
    session = make_session(host, f"{working_day(3)} 14:00", capacity=3)

    response = client.get(flow_url(conseiller="nadia", format=collectif.slug))
    assert_shows(response, step_label(3, 4))
    assert f'value="groupe-{session.pk}"' in text(response)
    assert_shows(
        response, ngettext("%(seats)s place left", "%(seats)s places left", 3) % {"seats": 3}
    )

    params = {"conseiller": "nadia", "format": collectif.slug, "creneau": f"groupe-{session.pk}"}
    assert_shows(client.get(flow_url(**params)), step_label(4, 4))
    response = post_booking(client, params)
    assert response.status_code == 303
    assert seats_booked(session) == 1
    assert Booking.objects.get().group_session == session


def test_week_navigation_and_empty_week(client, samira, individuel, structure):
    base = {"conseiller": "samira", "format": individuel.slug, "lieu": structure.pk}
    first = free_slots(samira)[0]
    first_week = timezone.localdate(first.start) - timedelta(
        days=timezone.localdate(first.start).weekday()
    )
    later_week = first_week + timedelta(days=14)
    week_start = timezone.make_aware(
        timezone.datetime.combine(later_week, timezone.datetime.min.time())
    )
    Absence.objects.create(counsellor=samira, start=week_start, end=week_start + timedelta(days=7))

    response = client.get(flow_url(**base))
    html = text(response)
    assert f'value="{slot_key(first)}"' in html
    assert 'rel="prev"' not in html
    assert f"semaine={(first_week + timedelta(days=7)).isoformat()}" in html

    response = client.get(flow_url(**base, semaine=later_week.isoformat()))
    assert response.status_code == 200
    assert_shows(response, gettext("No free time this week."))
    assert 'name="creneau"' not in text(response)
    assert 'rel="prev"' in text(response)
    assert f"semaine={(later_week + timedelta(days=7)).isoformat()}" in text(response)


def test_slot_step_reads_the_database_in_constant_queries(
    client, make_counsellor, individuel, structure
):
    def count(params):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(flow_url(**params))
        assert response.status_code == 200
        assert 'name="creneau"' in text(response)
        return len(queries)

    base = {"format": individuel.slug, "lieu": structure.pk}
    make_counsellor("alice")
    count({**base, "conseiller": ANY_COUNSELLOR})  # warms the site and settings caches
    alone = count({**base, "conseiller": ANY_COUNSELLOR})
    named = count({**base, "conseiller": "alice"})
    for index in range(6):
        make_counsellor(f"person{index}", days=WEEKDAYS[index % 5 :])
    assert count({**base, "conseiller": ANY_COUNSELLOR}) == alone
    assert count({**base, "conseiller": "alice"}) == named


def test_privacy_notice_is_linked_from_the_details_step(client, samira, individuel, settings):
    settings.BOOKING_RETENTION_MONTHS = 7
    slot = free_slots(samira)[0]
    details = client.get(flow_url(**choices(samira, individuel, slot.place, slot)))
    privacy_url = reverse("booking:privacy")
    assert f'href="{privacy_url}"' in text(details)
    response = client.get(privacy_url)
    assert response.status_code == 200
    assert len(h1s(response)) == 1
    assert_shows(
        response,
        ngettext(
            "We delete your details %(months)s month after your last appointment.",
            "We delete your details %(months)s months after your last appointment.",
            7,
        )
        % {"months": 7},
    )
