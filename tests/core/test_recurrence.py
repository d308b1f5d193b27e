"""One expansion of django-recurrence rules into local days, for booking's opening hours
and events' repeated dates (both apps' own tests check their use of it)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurrence

from core.recurrence import local_days, rule_dates

PARIS = ZoneInfo("Europe/Paris")
ANCHOR = date(2024, 1, 1)  # a Monday


def widget_date(day):
    """As the admin widget stores a picked day: its local midnight, in UTC."""
    moment = datetime.combine(day, time(), tzinfo=PARIS).astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def days(rule, **bounds):
    return list(local_days(recurrence.deserialize(rule), **bounds))


@pytest.mark.parametrize(
    "rule",
    [
        "RRULE:FREQ=WEEKLY;BYDAY=MO,WE",
        "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        "RRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,FR\nRRULE:FREQ=DAILY;INTERVAL=4",
        "RRULE:FREQ=DAILY;INTERVAL=10",
        "RRULE:FREQ=WEEKLY;BYDAY=TH\nEXRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        "RRULE:FREQ=MONTHLY;BYDAY=1WE",
        "RRULE:FREQ=DAILY;INTERVAL=3;COUNT=400",
    ],
)
def test_starting_late_gives_the_same_days_as_walking_from_the_anchor(rule):
    """Skipping whole periods of a daily or weekly rule (for speed) changes nothing."""
    last = date(2027, 12, 31)
    everything = days(rule, anchor=ANCHOR, last=last)
    for first in (date(2026, 3, 2), date(2026, 3, 5), date(2027, 6, 1)):
        assert days(rule, anchor=ANCHOR, first=first, last=last) == [
            day for day in everything if day >= first
        ]


def test_a_count_rule_counts_from_its_anchor_and_stops_at_the_last_day():
    rule = "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=5"
    assert days(rule, anchor=ANCHOR, first=date(2024, 1, 15), last=date(2030, 1, 1)) == [
        date(2024, 1, 15),
        date(2024, 1, 22),
        date(2024, 1, 29),
    ]
    assert days(rule, anchor=ANCHOR, last=date(2024, 1, 10)) == [date(2024, 1, 1), date(2024, 1, 8)]
    count_rule = recurrence.deserialize(rule).rrules[0]
    assert len(rule_dates(count_rule, ANCHOR)) == 5


def test_stored_dates_count_by_their_local_day():
    # 1 and 15 April are excluded as 22:00Z the day before (summer time in Paris).
    rule = (
        "RRULE:FREQ=WEEKLY;BYDAY=MO\n"
        f"EXDATE:{widget_date(date(2024, 4, 1))}\nEXDATE:20240415T120000Z\n"
        f"RDATE:{widget_date(date(2024, 4, 10))}"
    )
    assert days(rule, anchor=ANCHOR, first=date(2024, 3, 30), last=date(2024, 4, 22)) == [
        date(2024, 4, 8),
        date(2024, 4, 10),
        date(2024, 4, 22),
    ]


def test_without_an_anchor_only_the_extra_dates_count_within_the_bounds():
    rule = (
        "RRULE:FREQ=DAILY\n"
        f"RDATE:{widget_date(date(2027, 5, 20))}\nRDATE:{widget_date(date(2027, 7, 1))}"
    )
    assert days(rule, last=date(2027, 6, 30)) == [date(2027, 5, 20)]
    assert days(rule, first=date(2027, 6, 1), last=date(2027, 12, 31)) == [date(2027, 7, 1)]


def test_a_dtstart_is_the_anchor_and_a_day_of_its_own():
    rule = "DTSTART:20240103T000000Z\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"
    assert days(rule, anchor=ANCHOR, last=date(2024, 1, 20)) == [
        date(2024, 1, 3),
        date(2024, 1, 5),
        date(2024, 1, 19),
    ]


def test_each_day_once_and_in_order():
    rule = f"RRULE:FREQ=WEEKLY;BYDAY=MO\nRRULE:FREQ=DAILY\nRDATE:{widget_date(date(2024, 1, 8))}"
    found = days(rule, anchor=ANCHOR, first=date(2024, 1, 6), last=date(2024, 1, 9))
    assert found == [date(2024, 1, 6) + timedelta(days=n) for n in range(4)]
