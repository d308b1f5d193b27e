"""What visitors see: the list of events, past events, an event page, at constant query cost."""

from datetime import time, timedelta

import pytest
import recurrence
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import AttendanceMode, EventPage, EventType

from .factories import EventOccurrenceFactory, EventPageFactory

pytestmark = pytest.mark.django_db

# Measured: 12 queries for each list, whether it shows 3 or 30 events. Three are the
# events' own (pages, view restrictions, dates); the rest route the request and fill in
# the page frame (site settings, menu, breadcrumbs). A little slack for the frame.
MAX_QUERIES = 14


def event_on(index, days, hours=3, **fields):
    """An event with one date ``days`` from now (negative: in the past)."""
    event = EventPageFactory(parent=index, **fields)
    start = timezone.now() + timedelta(days=days)
    EventOccurrenceFactory(page=event, start=start, end=start + timedelta(hours=hours))
    return event


def titles(response):
    return [listing.event.title for listing in response.context["listings"]]


def test_upcoming_events_come_soonest_first_and_past_ones_go_to_their_own_page(client, index):
    event_on(index, 20, title="Plus tard")
    event_on(index, 2, title="Bientôt")
    event_on(index, -10, title="Il y a dix jours")
    event_on(index, -40, title="Il y a longtemps")
    ongoing = event_on(index, 0, title="En ce moment")
    ongoing.occurrences.update(start=timezone.now() - timedelta(hours=1))

    upcoming = client.get(index.url)
    past = client.get(index.url + "passes/")

    assert titles(upcoming) == ["En ce moment", "Bientôt", "Plus tard"]
    assert titles(past) == ["Il y a dix jours", "Il y a longtemps"]
    assert past.content.decode().count("<h1") == 1
    assert b'<link rel="canonical" href="http://localhost/evenements/passes/">' in past.content


def test_a_recurring_event_stays_upcoming_and_drafts_stay_hidden(client, index):
    EventPageFactory(
        parent=index,
        title="Portes ouvertes",
        recurrence=recurrence.deserialize("RRULE:FREQ=MONTHLY;BYDAY=1WE"),
        recurrence_from=timezone.localdate() - timedelta(days=400),
        recurrence_start_time=time(14),
        recurrence_end_time=time(17),
    )
    event_on(index, 3, title="Brouillon", live=False)

    assert titles(client.get(index.url)) == ["Portes ouvertes"]
    assert titles(client.get(index.url + "passes/")) == []


def test_the_list_filters_by_type_with_a_labelled_select(client, index):
    event_on(index, 2, title="Foot et recruteurs", event_type=EventType.SPORT)
    event_on(index, 3, title="Atelier CV", event_type=EventType.WORKSHOP)

    response = client.get(index.url, {"type": "sport"})
    html = response.content.decode()

    assert titles(response) == ["Foot et recruteurs"]
    assert '<label for="event-type">' in html
    assert '<select id="event-type" name="type">' in html
    assert '<option value="sport" selected>' in html
    assert '<button type="submit"' in html


def test_an_unknown_type_shows_every_event(client, index):
    event_on(index, 2)
    event_on(index, 3)

    assert len(client.get(index.url, {"type": "nope"}).context["listings"]) == 2


def test_an_empty_list_says_so(client, index):
    event_on(index, 2, event_type=EventType.WORKSHOP)

    for response in (client.get(index.url, {"type": "sport"}), client.get(index.url + "passes/")):
        assert response.status_code == 200
        assert b'class="events__empty"' in response.content


def test_past_events_are_paginated(client, index):
    for days in range(1, 23):
        event_on(index, -days)

    first = client.get(index.url + "passes/")
    second = client.get(index.url + "passes/", {"page": 2})

    assert len(first.context["listings"]) == 20
    assert len(second.context["listings"]) == 2
    assert b'href="?page=2"' in first.content


def test_an_event_page_shows_its_dates_in_french_with_machine_readable_times(client, index):
    event = EventPageFactory(
        parent=index,
        title="Portes ouvertes",
        event_type=EventType.OPEN_DAY,
        recurrence=recurrence.deserialize("RRULE:FREQ=YEARLY;BYDAY=1WE;BYMONTH=3"),
        recurrence_from=timezone.localdate(),
        recurrence_start_time=time(14),
        recurrence_end_time=time(17),
        what_to_bring="Votre CV si vous en avez un.",
        travel_help="Ticket de bus remboursé.",
        contact_email="accueil@example.org",
    )
    first = event.get_context(None)["upcoming_occurrences"][0]
    day = timezone.localtime(first.start).date()

    html = client.get(event.url).content.decode()

    assert html.count("<h1") == 1
    assert f'<time datetime="{day.isoformat()}">mercredi ' in html
    assert "mars" in html
    assert f'<time datetime="{day.isoformat()}T14:00:00+01:00">14 h</time>' in html
    assert f'<time datetime="{day.isoformat()}T17:00:00+01:00">17 h</time>' in html
    assert "Votre CV si vous en avez un." in html
    assert "Ticket de bus remboursé." in html
    assert 'href="mailto:accueil@example.org"' in html
    assert str(EventType.OPEN_DAY.label) in html
    assert str(AttendanceMode.IN_PERSON.label) in html
    assert "14 rue des Terrils<br>62300 Lens" in html


def test_a_hybrid_event_page_gives_the_address_and_the_link(client, index):
    event = event_on(
        index,
        5,
        attendance_mode=AttendanceMode.HYBRID,
        online_url="https://visio.example.org/adopte-un-pro",
    )

    html = client.get(event.url).content.decode()

    assert 'href="https://visio.example.org/adopte-un-pro"' in html
    assert "62300 Lens" in html


def test_an_online_event_page_gives_no_address(client, index):
    event = event_on(
        index,
        5,
        attendance_mode=AttendanceMode.ONLINE,
        online_url="https://visio.example.org/atelier",
        venue_name="",
        address="",
    )

    html = client.get(event.url).content.decode()

    assert 'href="https://visio.example.org/atelier"' in html
    assert 'class="event__address"' not in html


def test_a_past_event_page_gives_its_last_date(client, index):
    event = event_on(index, -3)

    response = client.get(event.url)

    assert response.context["upcoming_occurrences"] == []
    assert response.context["last_occurrence"].pk == event.occurrences.get().pk


def build_events(index, count):
    """A realistic mix: one-off upcoming and past events, and recurring open days."""
    for number in range(count):
        kind = number % 3
        if kind == 0:
            event_on(index, number + 1, event_type=EventType.SPORT)
        elif kind == 1:
            event_on(index, -number - 1, event_type=EventType.WORKSHOP)
        else:
            event = EventPageFactory(
                parent=index,
                event_type=EventType.OPEN_DAY,
                recurrence=recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=WE"),
                recurrence_from=timezone.localdate() - timedelta(days=60),
                recurrence_start_time=time(14),
                recurrence_end_time=time(17),
            )
            EventOccurrenceFactory(page=event, note="édition spéciale")


@pytest.fixture
def warm_client(client, home):
    """A client that has visited once, so the site settings row exists (a one-off write)."""
    client.get(home.url)
    return client


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("path", ["", "passes/", "?type=sport"])
def test_the_list_costs_the_same_queries_for_3_or_30_events(
    warm_client, index, count, path, django_assert_max_num_queries
):
    build_events(index, count)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = warm_client.get(index.url + path)

    assert response.status_code == 200
    assert response.context["listings"]


def test_the_query_count_does_not_grow_with_the_events(warm_client, index):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert warm_client.get(index.url).status_code == 200
        return len(captured)

    build_events(index, 3)
    few = queries()
    build_events(index, 27)

    assert queries() == few


def test_the_home_page_can_list_the_next_events_in_two_queries(index, django_assert_num_queries):
    event_on(index, 9, title="Troisième")
    event_on(index, 1, title="Première")
    event_on(index, 5, title="Deuxième")
    event_on(index, 12, title="Quatrième")

    with django_assert_num_queries(2):
        listings = EventPage.objects.live().upcoming(limit=3)

    assert [listing.event.title for listing in listings] == ["Première", "Deuxième", "Troisième"]
