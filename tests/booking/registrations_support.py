"""An event page that takes registrations, and registering for its first date, for the
tests of registrations (services, web pages, notifications, races)."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from booking.services import registrations
from events.models import AttendanceMode, EventIndexPage
from structures.models import Structure
from tests.events.factories import EventIndexPageFactory, EventOccurrenceFactory, EventPageFactory


def open_event(home, *, days=7, onsite=2, online=None, mode=AttendanceMode.IN_PERSON, **fields):
    """An event with one date `days` from now, `onsite` seats on site (and `online`
    online seats, None: no limit, for a hybrid or online `mode`)."""
    index = EventIndexPage.objects.first() or EventIndexPageFactory(parent=home)
    fields = {
        "title": "Portes ouvertes",
        "online_url": "https://visio.example.org/po",
        "registrations_open": True,
        **fields,
    }
    event = EventPageFactory(
        parent=index,
        attendance_mode=mode,
        onsite_capacity=onsite,
        online_capacity=online,
        **fields,
    )
    start = timezone.now().replace(microsecond=0) + timedelta(days=days)
    EventOccurrenceFactory(page=event, start=start, end=start + timedelta(hours=3))
    return event


def first_date(event, now=None):
    return next(iter(event.upcoming_registration_occurrences(now or timezone.now()).values()))


def register(event, name="Léa", *, mode="on_site", now=None, **fields):
    """`name`'s registration (their e-mail address is name@example.org)."""
    now = now or timezone.now()
    values = {
        "first_name": name,
        "email": f"{name.lower()}@example.org",
        "consent": True,
        "structure": Structure.default(),
        "now": now,
    }
    return registrations.register(
        event=event, occurrence=first_date(event, now), mode=mode, **{**values, **fields}
    )


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() at 10:00 tomorrow, local time, moved by `clock.now = ...`."""

    class Clock:
        now = timezone.make_aware(
            datetime.combine(timezone.localdate() + timedelta(days=1), time(10))
        )

    monkeypatch.setattr(timezone, "now", lambda: Clock.now)
    return Clock
