"""The slot step computes the week it shows, and looks further only as far as it must."""

from datetime import timedelta

import pytest
from django.utils import timezone

from booking.scheduling.listing import monday_of, week_listing
from booking.scheduling.slots import Slot

from ..factories import paris

# A Wednesday: this week's Monday is 2 March, the horizon (60 days) ends on 2 May.
NOW = paris("2026-03-04 08:00")
THIS_WEEK = monday_of(NOW.date())


class Agenda:
    """Free slots at the given local times; records each window the listing asks for."""

    def __init__(self, *times):
        self.starts = [paris(text) for text in times]
        self.asked = []

    def __call__(self, start, end):
        self.asked.append(timezone.localdate(start))
        return [
            Slot(start=s, end=s, counsellor=None, format=None, place=None, seats_left=1)
            for s in self.starts
            if start <= s < end
        ]

    def listing(self, **kwargs):
        return week_listing(
            self,
            now=NOW,
            horizon_days=60,
            week_url=lambda day: monday_of(day).isoformat(),
            **kwargs,
        )


def test_a_week_with_free_times_is_the_only_one_computed():
    agenda = Agenda("2026-03-05 10:00", "2026-04-20 10:00")

    listing = agenda.listing()

    assert [day for day, _slots in listing.days] == [NOW.date() + timedelta(days=1)]
    assert listing.next_week == THIS_WEEK + timedelta(weeks=1)
    assert agenda.asked == [NOW.date()]


def test_the_first_free_week_is_found_by_stopping_at_the_first_hit():
    agenda = Agenda("2026-03-25 10:00", "2026-04-20 10:00")

    listing = agenda.listing()

    assert listing.week == THIS_WEEK + timedelta(weeks=3)
    assert listing.previous_week == THIS_WEEK + timedelta(weeks=2)
    assert len(agenda.asked) == 4  # this week, two empty ones, the week shown


def test_an_empty_week_points_to_the_next_free_day_without_computing_beyond_it():
    agenda = Agenda("2026-03-05 10:00", "2026-04-08 09:00", "2026-04-20 10:00")

    listing = agenda.listing(week=(THIS_WEEK + timedelta(weeks=1)).isoformat())

    assert listing.days == []
    assert listing.next_free_day == paris("2026-04-08 09:00").date()
    assert listing.next_free_url == "2026-04-06"
    assert agenda.asked[-1] == THIS_WEEK + timedelta(weeks=5)
    assert THIS_WEEK + timedelta(weeks=6) not in agenda.asked


def test_a_refused_time_shows_its_week_or_the_next_one_with_free_times():
    agenda = Agenda("2026-03-05 10:00", "2026-03-31 10:00")

    listing = agenda.listing(around=paris("2026-03-18 10:00"))

    assert listing.week == THIS_WEEK + timedelta(weeks=4)
    assert [slot.start for _day, slots in listing.days for _key, slot in slots] == [
        paris("2026-03-31 10:00")
    ]


@pytest.mark.parametrize("week", ["2020-01-06", "2030-01-07", "not a date"])
def test_weeks_out_of_range_show_this_week_or_the_horizons(week):
    agenda = Agenda("2026-03-05 10:00")

    listing = agenda.listing(week=week)

    expected = {"2020-01-06": THIS_WEEK, "2030-01-07": monday_of(paris("2026-05-03 08:00").date())}
    assert listing.week == expected.get(week, THIS_WEEK)
    assert len(agenda.asked) == 1
