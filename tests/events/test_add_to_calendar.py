""" "Add to my calendar" on the event pages and on the event cards of the home page: the
.ics file, Google Calendar and Outlook.com, with UTC times."""

import re
from datetime import UTC, time

import pytest
import recurrence
from django.utils import timezone

from tests.core.support import links

from .factories import EventOccurrenceFactory, EventPageFactory

pytestmark = pytest.mark.django_db


def test_each_date_of_an_event_page_can_be_added_to_a_calendar(client, index):
    page = EventPageFactory(
        parent=index,
        title="Portes ouvertes",
        recurrence=recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=WE"),
        recurrence_from=timezone.localdate(),
        recurrence_start_time=time(14),
        recurrence_end_time=time(17),
    )

    response = client.get(page.url)

    shown = response.context["upcoming_occurrences"]
    google = links(response, "calendar.google.com")
    outlook = links(response, "outlook.live.com")
    assert [query["dates"][0] for query in google] == [
        f"{o.start.astimezone(UTC):%Y%m%dT%H%M%SZ}/{o.end.astimezone(UTC):%Y%m%dT%H%M%SZ}"
        for o in shown
    ]
    assert len(outlook) == len(shown)
    assert google[0]["location"] == ["Espace Passerelle, 14 rue des Terrils, 62300 Lens"]
    assert page.get_full_url() in google[0]["details"][0]
    content = response.content.decode()
    assert f'href="{page.url}ical/"' in content
    assert f'<span class="visually-hidden">: {page.title}, ' in content
    assert client.get(page.url + "ical/").status_code == 200


def test_event_cards_on_the_home_page_link_to_each_event_file(client, home, index):
    events = [EventOccurrenceFactory(page__parent=index).page for _ in range(3)]

    content = client.get(home.url).content.decode()

    for event in events:
        link = (
            f'<a href="{event.url}ical/">[^<]+<span class="visually-hidden">: {event.title}</span>'
        )
        assert re.search(link, content)
