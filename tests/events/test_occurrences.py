"""Expansion of explicit dates and recurrences into concrete, time-zone-correct slots."""

from datetime import date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import recurrence

from events.occurrences import MAX_OCCURRENCES, expand, last_occurrence, next_occurrence

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


class Rows(list):
    """Stands for a prefetched related manager: the module only calls .all()."""

    def all(self):
        return self


def event(rule="", rows=(), **fields):
    """An event as the module sees it (no database needed); like the admin widget,
    dates in ``rule`` are local midnights written in UTC."""
    fields.setdefault("recurrence_from", date(2027, 1, 1))
    fields.setdefault("recurrence_until", None)
    fields.setdefault("recurrence_start_time", time(14))
    fields.setdefault("recurrence_end_time", time(17))
    return SimpleNamespace(
        recurrence=recurrence.deserialize(rule),
        occurrences=Rows(
            SimpleNamespace(start=start, end=end, note=note, pk=pk)
            for pk, (start, end, note) in enumerate(rows, start=1)
        ),
        **fields,
    )


MONDAYS = "RRULE:FREQ=WEEKLY;BYDAY=MO"


def test_a_monday_slot_keeps_14h_after_the_last_sunday_of_march():
    slots = expand(event(MONDAYS), paris(2027, 3, 20), paris(2027, 4, 1))

    assert [slot.start for slot in slots] == [paris(2027, 3, 22, 14), paris(2027, 3, 29, 14)]
    assert [slot.start.astimezone(UTC).hour for slot in slots] == [13, 12]
    assert [slot.end.astimezone(PARIS).hour for slot in slots] == [17, 17]


def test_a_monday_slot_keeps_14h_after_the_last_sunday_of_october():
    slots = expand(event(MONDAYS), paris(2027, 10, 20), paris(2027, 11, 3))

    assert [slot.start for slot in slots] == [paris(2027, 10, 25, 14), paris(2027, 11, 1, 14)]
    assert [slot.start.astimezone(UTC).hour for slot in slots] == [12, 13]


def test_an_excluded_date_is_skipped_even_across_the_dst_change():
    # 22 March is excluded as 23:00Z (winter time), 29 March as 22:00Z (summer time).
    rule = f"{MONDAYS}\nEXDATE:20270321T230000Z\nEXDATE:20270328T220000Z"

    slots = expand(event(rule), paris(2027, 3, 14), paris(2027, 4, 10))

    assert [slot.start.date() for slot in slots] == [date(2027, 3, 15), date(2027, 4, 5)]


def test_open_days_on_the_first_wednesday_of_four_months_with_one_cancelled():
    rule = "RRULE:FREQ=YEARLY;BYMONTH=3,6,9,12;BYDAY=1WE\nEXDATE:20270601T220000Z"

    slots = expand(event(rule), paris(2027, 1, 1), paris(2028, 1, 1))

    assert [slot.start for slot in slots] == [
        paris(2027, 3, 3, 14),
        paris(2027, 9, 1, 14),
        paris(2027, 12, 1, 14),
    ]


def test_an_extra_date_joins_the_series_at_the_same_hours():
    slots = expand(event("RDATE:20270406T220000Z"), paris(2027, 1, 1), paris(2028, 1, 1))

    assert [(slot.start, slot.end) for slot in slots] == [
        (paris(2027, 4, 7, 14), paris(2027, 4, 7, 17))
    ]


def test_repeat_until_is_the_last_day_included():
    slots = expand(
        event(MONDAYS, recurrence_until=date(2027, 3, 22)), paris(2027, 3, 1), paris(2027, 5, 1)
    )

    assert [slot.start.day for slot in slots] == [1, 8, 15, 22]


def test_repeat_from_anchors_the_rule():
    fortnightly = "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"

    slots = expand(
        event(fortnightly, recurrence_from=date(2027, 3, 8)), paris(2027, 3, 1), paris(2027, 4, 1)
    )

    assert [slot.start.day for slot in slots] == [8, 22]


def test_explicit_and_recurring_dates_are_merged_in_order():
    workshop = (paris(2027, 3, 10, 9), paris(2027, 3, 10, 12), "")
    slots = expand(event(MONDAYS, rows=[workshop]), paris(2027, 3, 7), paris(2027, 3, 16))

    assert [slot.start for slot in slots] == [
        paris(2027, 3, 8, 14),
        paris(2027, 3, 10, 9),
        paris(2027, 3, 15, 14),
    ]


def test_an_explicit_row_at_the_same_time_replaces_the_recurring_date():
    annotated = (paris(2027, 3, 8, 14), paris(2027, 3, 8, 17), "édition de printemps")

    slots = expand(event(MONDAYS, rows=[annotated]), paris(2027, 3, 7), paris(2027, 3, 9))

    assert [(slot.start, slot.note) for slot in slots] == [
        (paris(2027, 3, 8, 14), "édition de printemps")
    ]


def test_an_event_without_dates_has_no_occurrence():
    assert expand(event(), paris(2027, 1, 1)) == []
    assert next_occurrence(event(), paris(2027, 1, 1)) is None
    assert last_occurrence(event(), paris(2027, 1, 1)) is None


def test_a_rule_without_times_gives_nothing():
    assert expand(event(MONDAYS, recurrence_start_time=None), paris(2027, 3, 1)) == []


def test_an_endless_daily_rule_is_capped():
    slots = expand(event("RRULE:FREQ=DAILY"), paris(2027, 1, 1), paris(2040, 1, 1))

    assert len(slots) == MAX_OCCURRENCES
    assert slots[0].start == paris(2027, 1, 1, 14)
    assert slots == sorted(slots, key=lambda slot: slot.start)


def test_without_an_end_the_recurrence_stops_at_the_horizon():
    slots = expand(event("RRULE:FREQ=YEARLY"), paris(2027, 6, 1))

    assert [slot.start.year for slot in slots] == [2028, 2029, 2030]


def test_a_slot_in_progress_is_the_next_occurrence_not_the_last():
    monday = event(MONDAYS)
    during = paris(2027, 3, 8, 15)

    assert next_occurrence(monday, during).start == paris(2027, 3, 8, 14)
    assert last_occurrence(monday, during).start == paris(2027, 3, 1, 14)
    assert last_occurrence(monday, paris(2027, 3, 8, 17)).start == paris(2027, 3, 8, 14)


def test_the_last_occurrence_compares_explicit_and_recurring_dates():
    late = (paris(2027, 3, 3, 18), paris(2027, 3, 3, 20), "")
    once = event(MONDAYS, rows=[late], recurrence_until=date(2027, 3, 1))

    assert last_occurrence(once, paris(2027, 6, 1)).start == paris(2027, 3, 3, 18)
    assert next_occurrence(once, paris(2027, 6, 1)) is None


def test_a_window_keeps_an_explicit_multi_day_event_that_started_before_it():
    weekend = (paris(2027, 5, 1, 10), paris(2027, 5, 2, 17), "")

    slots = expand(event(rows=[weekend]), paris(2027, 5, 2), paris(2027, 5, 3))

    assert [slot.start for slot in slots] == [paris(2027, 5, 1, 10)]
    assert expand(event(rows=[weekend]), paris(2027, 5, 2, 17)) == []
