"""The demo events: loaded twice, nothing doubles; an editor's page is never touched."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page, Revision

from events import demo
from events.models import EventIndexPage, EventOccurrence, EventPage, EventType
from events.occurrences import expand

pytestmark = pytest.mark.django_db


def counts():
    return (
        EventIndexPage.objects.count(),
        EventPage.objects.count(),
        EventOccurrence.objects.count(),
        Revision.objects.count(),
    )


def test_loading_twice_changes_nothing_the_second_time(home):
    demo.load(home)
    first = counts()
    demo.load(home)

    assert counts() == first
    assert first[:2] == (1, 5)


def test_the_demo_always_has_events_to_come_and_one_past(home):
    index = demo.load(home)

    upcoming = EventPage.objects.child_of(index).live().upcoming()
    past = EventPage.objects.child_of(index).live().past()

    assert index.title == "Événements" and index.live
    assert {listing.event.event_type for listing in upcoming} >= {
        EventType.OPEN_DAY,
        EventType.SPORT,
        EventType.JOB_DATING,
    }
    assert [listing.event.slug for listing in past] == ["mini-olympiades"]


def test_the_open_days_repeat_four_times_a_year_one_date_is_off_and_one_moves(home):
    demo.load(home)
    open_days = EventPage.objects.get(slug="portes-ouvertes")
    now = timezone.now()

    starts = [
        timezone.localtime(slot.start) for slot in expand(open_days, now, now + timedelta(days=730))
    ]
    [cancelled] = [timezone.localtime(day).date() for day in open_days.recurrence.exdates]
    [moved] = open_days.occurrences.all()
    moved_start = timezone.localtime(moved.start)

    assert len(starts) >= 7  # eight first Wednesdays in two years, less the cancelled one
    assert cancelled not in {start.date() for start in starts}
    assert cancelled > now.date()
    assert moved.replaces_date not in {start.date() for start in starts}
    assert (moved_start.weekday(), moved_start.hour) == (3, 14) and moved_start in starts
    wednesdays = [start for start in starts if start != moved_start]
    assert all(start.month in {3, 6, 9, 12} and start.day <= 7 for start in wednesdays)
    assert {(start.weekday(), start.hour) for start in wednesdays} == {(2, 14)}


def test_an_editors_changes_survive_a_reload(home):
    index = demo.load(home)
    sport = EventPage.objects.get(slug="journee-sport-et-emploi")
    sport.title = "Olympiades de l'emploi"
    sport.save_revision().publish()
    EventPage.objects.get(slug="adopte-un-pro").delete()

    demo.load(home)

    assert EventPage.objects.get(pk=sport.pk).title == "Olympiades de l'emploi"
    assert EventPage.objects.child_of(index).count() == 5  # the deleted one comes back


def test_a_page_already_at_the_index_address_is_left_alone(home):
    home.add_child(instance=Page(title="Nos événements", slug="evenements"))

    assert demo.load(home) is None
    assert counts()[:2] == (0, 0)
