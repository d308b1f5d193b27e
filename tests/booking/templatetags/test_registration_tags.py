"""The seats an event page shows, through booking's template tag, and kept no longer
than they hold: a waiting list closes at the cut-off with nobody registering."""

from datetime import timedelta

import pytest
from django.utils import timezone

from booking.templatetags.registration_tags import event_registration
from events.models import EventPage
from events.occurrences import Occurrence

from ..registrations_support import first_date, open_event, register

pytestmark = pytest.mark.django_db


def test_each_date_says_its_seats_per_mode(home):
    event = open_event(home, onsite=3)
    register(event, "Lea", party_size=2)

    [date] = event_registration({}, event, [first_date(event)])["dates"]

    [on_site] = date.modes
    assert (on_site.capacity, on_site.left, on_site.full) == (3, 1, False)


def test_the_preview_of_a_page_never_saved_offers_no_registration():
    start = timezone.now() + timedelta(days=3)
    page = EventPage(title="Brouillon", registrations_open=True, onsite_capacity=3)

    assert event_registration({}, page, [Occurrence(start, start + timedelta(hours=2))]) == {
        "dates": []
    }


@pytest.mark.parametrize("cookie", [False, True], ids=["page kept", "content kept"])
def test_the_event_page_kept_says_the_waiting_list_closed_at_the_cut_off(
    fragments_cached, client, home, clock, cookie
):
    visitor = fragments_cached if cookie else client
    event = open_event(home, days=4 / 24, onsite=1, offer_cutoff_hours=3)
    register(event, "Lea")
    assert "Complet — liste d’attente" in visitor.get(event.url).content.decode()
    assert "Complet — liste d’attente" in visitor.get(event.url).content.decode()

    clock.now += timedelta(hours=1, minutes=1)
    html = visitor.get(event.url).content.decode()

    assert "Complet</span>" in html and "Complet — liste d’attente" not in html
