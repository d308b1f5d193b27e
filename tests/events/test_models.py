"""Where events may live in the tree, and what editors are told when a field is missing."""

from datetime import time, timedelta

import pytest
import recurrence
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext

from events.models import AttendanceMode, EventIndexPage, EventPage
from home.models import HomePage

from .factories import EventOccurrenceFactory, EventPageFactory

pytestmark = pytest.mark.django_db


def errors_of(instance):
    """The validation messages per field, in the source language."""
    with translation.override("en"), pytest.raises(ValidationError) as error:
        instance.full_clean()
    return {
        field: [str(message) for message in messages]
        for field, messages in error.value.message_dict.items()
    }


def test_the_index_lives_once_under_the_home_page(home, index):
    assert EventIndexPage.allowed_parent_page_models() == [HomePage]
    assert not EventIndexPage.can_create_at(home)  # max_count is 1, and it exists


def test_the_index_can_be_created_under_a_new_home_page(home):
    assert EventIndexPage.can_create_at(home)


def test_events_live_under_the_index_and_have_no_children(index):
    assert EventIndexPage.allowed_subpage_models() == [EventPage]
    assert EventPage.allowed_parent_page_models() == [EventIndexPage]
    assert EventPage.allowed_subpage_models() == []
    assert EventPage.can_create_at(index)
    assert not EventPage.can_create_at(index.get_parent())


def test_an_event_on_site_needs_an_address(index):
    event = EventPageFactory(parent=index)
    event.address = ""

    assert errors_of(event) == {
        "address": [gettext("Give the address: this event takes place on site.")]
    }


def test_an_online_event_needs_a_link_but_no_address(index):
    event = EventPageFactory(parent=index)
    event.attendance_mode = AttendanceMode.ONLINE
    event.address = ""

    assert errors_of(event) == {
        "online_url": [gettext("Give the online link: this event can be joined online.")]
    }


def test_a_hybrid_event_needs_both(index):
    event = EventPageFactory(parent=index)
    event.attendance_mode = AttendanceMode.HYBRID
    event.address = " "

    assert set(errors_of(event)) == {"address", "online_url"}

    event.address = "5 place du Marché, 62300 Lens"
    event.online_url = "https://visio.example.org/adopte-un-pro"
    event.full_clean()


def test_repeated_dates_need_hours_and_a_first_day(index):
    event = EventPageFactory(parent=index)
    event.recurrence = recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=MO")

    assert errors_of(event) == {
        "recurrence_start_time": [gettext("Give the start time of the repeated dates.")],
        "recurrence_end_time": [gettext("Give the end time of the repeated dates.")],
        "recurrence_from": [gettext("Give the first day the rule applies.")],
    }


def test_repeated_dates_must_end_after_they_start(index):
    today = timezone.localdate()
    event = EventPageFactory(parent=index)
    event.recurrence = recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=MO")
    event.recurrence_from = today
    event.recurrence_until = today - timedelta(days=1)
    event.recurrence_start_time = time(17)
    event.recurrence_end_time = time(14)

    assert errors_of(event) == {
        "recurrence_end_time": [gettext("The end time must be after the start time.")],
        "recurrence_until": [gettext("The last day must come after the first day.")],
    }


def test_a_date_must_end_after_it_starts(index):
    occurrence = EventOccurrenceFactory(page=EventPageFactory(parent=index))
    occurrence.end = occurrence.start

    assert errors_of(occurrence) == {"end": [gettext("The end must be after the start.")]}


def test_the_recurrence_survives_a_revision(index):
    rule = "RRULE:FREQ=YEARLY;BYDAY=1WE;BYMONTH=3,6,9,12\nEXDATE:20270302T230000Z"
    event = EventPageFactory(
        parent=index,
        recurrence=recurrence.deserialize(rule),
        recurrence_from=timezone.localdate(),
        recurrence_start_time=time(14),
        recurrence_end_time=time(17),
    )

    restored = event.save_revision().as_object()

    assert str(restored.recurrence) == rule
    assert restored.recurrence_start_time == time(14)
