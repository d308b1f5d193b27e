"""One way to write dates and times on the whole site: "mardi 8 décembre à 14 h",
"14 h 30", "1er septembre", the year only outside the current one, always in the
structure's time zone."""

from datetime import UTC, date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from core import dates
from events.templatetags.event_tags import occurrence_when

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2027, 12, 1)


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (paris(2027, 12, 8, 14), "14 h"),
        (paris(2027, 12, 8, 14, 30), "14 h 30"),
        (paris(2027, 12, 8, 9, 5), "9 h 05"),
        (paris(2027, 12, 8, 0), "0 h"),
        (datetime(2027, 7, 7, 12, tzinfo=UTC), "14 h"),  # summer time in Paris
        (datetime(2027, 12, 8, 13, tzinfo=UTC), "14 h"),  # winter time
    ],
)
def test_a_time_is_14_h_on_the_hour_and_14_h_30_otherwise(moment, expected):
    assert dates.local_time(moment) == expected


def test_opening_hours_are_times_of_day_written_the_same_way():
    assert [dates.local_time(time(9)), dates.local_time(time(12, 30))] == ["9 h", "12 h 30"]


def test_a_day_has_its_year_only_outside_the_current_year():
    assert dates.local_day(paris(2027, 12, 8, 14), today=TODAY) == "mercredi 8 décembre"
    assert dates.local_day(paris(2028, 1, 4, 14), today=TODAY) == "mardi 4 janvier 2028"
    assert dates.local_day(paris(2026, 12, 8, 14), today=TODAY) == "mardi 8 décembre 2026"
    assert dates.local_day(date(2027, 12, 8), today=TODAY) == "mercredi 8 décembre"


def test_the_day_and_the_current_year_are_the_structures():
    """In the active time zone, which each request sets to its structure's."""
    new_year_in_paris = datetime(2027, 12, 31, 23, 30, tzinfo=UTC)
    assert dates.local_day(new_year_in_paris, today=TODAY) == "samedi 1er janvier 2028"
    assert dates.local_when(new_year_in_paris, today=date(2028, 1, 1)) == (
        "samedi 1er janvier à 0 h 30"
    )
    with timezone.override(ZoneInfo("Indian/Reunion")):
        assert dates.local_when(new_year_in_paris, today=date(2028, 1, 1)) == (
            "samedi 1er janvier à 3 h 30"
        )


def test_without_today_the_current_year_is_left_out():
    now = timezone.now()
    assert dates.local_day(now) == dates.local_day(now, today=timezone.localdate(now))
    assert str(now.year) not in dates.local_day(now)


def test_day_and_time_together():
    assert dates.local_when(paris(2027, 12, 8, 14), today=TODAY) == "mercredi 8 décembre à 14 h"
    assert dates.local_when(paris(2028, 3, 1, 9, 30), today=TODAY) == (
        "mercredi 1er mars 2028 à 9 h 30"
    )


@pytest.mark.parametrize("month", range(1, 13))
def test_the_first_of_every_month_is_1er_and_other_days_their_number(month):
    first, second = date(2027, month, 1), date(2027, month, 2)
    assert dates.local_day(first, today=TODAY).split()[1] == "1er"
    assert dates.local_day(second, today=TODAY).split()[1] == "2"
    assert dates.long_date(first).startswith("1er ")
    assert dates.day_and_month(first).startswith("1er ")
    assert dates.long_date(date(2027, month, 11)).startswith("11 ")  # not "11er"


def test_records_and_ranges_read_as_said():
    assert dates.long_date(date(2027, 9, 1)) == "1er septembre 2027"
    assert dates.long_date(paris(2027, 12, 8, 14)) == "8 décembre 2027"
    assert dates.day_and_month(date(2027, 9, 1)) == "1er septembre"


def test_english_keeps_the_bare_number():
    with translation.override("en"):
        assert dates.long_date(date(2027, 9, 1)) == "1 September 2027"


def test_the_local_date_of_aware_naive_and_plain_values():
    assert dates.local_date(datetime(2027, 3, 27, 23, tzinfo=UTC)) == date(2027, 3, 28)
    assert dates.local_date(datetime(2027, 3, 27, 23)) == date(2027, 3, 27)
    assert dates.local_date(date(2027, 3, 27)) == date(2027, 3, 27)


@pytest.mark.parametrize(
    ("minutes", "expected"), [(45, "45 min"), (60, "1 h"), (90, "1 h 30"), (125, "2 h 05")]
)
def test_durations(minutes, expected):
    assert dates.duration(minutes) == expected


def test_the_template_filters_are_the_functions():
    moment = paris(2027, 12, 8, 14, 30)
    html = Template(
        "{% load core_tags %}{{ moment|local_day }}|{{ moment|local_time }}|"
        "{{ moment|local_when }}|{{ minutes|duration }}|{{ moment|long_date }}|"
        "{{ moment|day_and_month }}"
    ).render(Context({"moment": moment, "minutes": 90}))
    assert html.split("|") == [
        dates.local_day(moment),
        "14 h 30",
        dates.local_when(moment),
        "1 h 30",
        "8 décembre 2027",
        "8 décembre",
    ]


def test_an_event_and_an_appointment_at_the_same_time_read_the_same():
    start, end = paris(2027, 12, 8, 14), paris(2027, 12, 8, 17)
    html = occurrence_when(SimpleNamespace(start=start, end=end))
    day = dates.local_day(start)
    assert f">{day}</time>" in html
    assert f'<time datetime="{start.isoformat()}">{dates.local_time(start)}</time>' in html
    assert dates.local_time(start) == "14 h"
    assert dates.local_when(start).startswith(day)
