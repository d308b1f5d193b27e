"""The VTIMEZONE of any zone, read back by two independent parsers (icalendar, which
builds a tzinfo from it with dateutil, and Mozilla's ical.js): every local hour from 1996
to 2040 must have the offset zoneinfo gives, in metropolitan France, each overseas
department and two zones that changed their rules in 2007."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from core.ical import new_calendar, vtimezone
from tests.core.calendar_checks import _run_node, assert_well_formed

FIRST_YEAR, LAST_YEAR = 1996, 2040
ZONES = [
    "Europe/Paris",
    "Indian/Reunion",
    "Indian/Mayotte",
    "America/Martinique",
    "America/Guadeloupe",
    "America/Cayenne",
    "America/New_York",
    "Pacific/Auckland",
]
START = datetime(FIRST_YEAR, 1, 1)
HOURS = int((datetime(LAST_YEAR + 1, 1, 1) - START) / timedelta(hours=1))
AMBIGUOUS = "ambiguous"
# The block Google writes, which Outlook reads well; Paris's must stay byte for byte.
PARIS = (
    b"BEGIN:VTIMEZONE\r\n"
    b"TZID:Europe/Paris\r\n"
    b"X-LIC-LOCATION:Europe/Paris\r\n"
    b"BEGIN:DAYLIGHT\r\n"
    b"DTSTART:19700329T020000\r\n"
    b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
    b"TZNAME:CEST\r\n"
    b"TZOFFSETFROM:+0100\r\n"
    b"TZOFFSETTO:+0200\r\n"
    b"END:DAYLIGHT\r\n"
    b"BEGIN:STANDARD\r\n"
    b"DTSTART:19701025T030000\r\n"
    b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"
    b"TZNAME:CET\r\n"
    b"TZOFFSETFROM:+0200\r\n"
    b"TZOFFSETTO:+0100\r\n"
    b"END:STANDARD\r\n"
    b"END:VTIMEZONE\r\n"
)


def zoneinfo_offsets(key):
    """zoneinfo's offset (seconds) of each local hour from START, read from every UTC
    hour; AMBIGUOUS for an hour lived twice (autumn), None for one skipped (spring),
    where parsers may pick either side."""
    zone = ZoneInfo(key)
    offsets = [None] * HOURS
    start = int(START.replace(tzinfo=UTC).timestamp())
    for utc in range(start - 86400, start + (HOURS + 24) * 3600, 3600):
        offset = int(datetime.fromtimestamp(utc, zone).utcoffset().total_seconds())
        hour = (utc + offset - start) // 3600
        if 0 <= hour < HOURS:
            offsets[hour] = offset if offsets[hour] in (None, offset) else AMBIGUOUS
    return offsets


def runs_by_hour(offset_at):
    """[[hour, offset]] each time `offset_at(local hour)` changes, the way
    icaljs_offsets.mjs reads ical.js: at noon each day, then hour by hour on a day whose
    offset differs from the day before."""
    changes = [[0, offset_at(0)]]
    previous = changes[0][1]
    for noon in range(12, HOURS + 24, 24):
        end = min(noon, HOURS - 1)
        if offset_at(end) == previous:
            continue
        for hour in range(max(noon - 23, 0), end + 1):
            if (offset := offset_at(hour)) != previous:
                changes.append([hour, offset])
            previous = offset
    return changes


def icalendar_runs(key):
    tz = icalendar.Timezone.from_ical(vtimezone(key).to_ical()).to_tz(lookup_tzid=False)
    return runs_by_hour(
        lambda hour: int(
            (START + timedelta(hours=hour)).replace(tzinfo=tz).utcoffset().total_seconds()
        )
    )


def wrong_hours(runs, expected):
    """The local hours (as datetimes) where the parser's runs disagree with zoneinfo,
    hours a parser may read either way left out."""
    read = []
    for (hour, offset), (following, _offset) in zip(runs, [*runs[1:], [HOURS, None]], strict=True):
        read.extend([offset] * (following - hour))
    return [
        START + timedelta(hours=hour)
        for hour, (got, wanted) in enumerate(zip(read, expected, strict=True))
        if wanted not in (None, AMBIGUOUS) and got != wanted
    ]


@pytest.fixture(scope="module")
def icaljs_runs():
    calendar = new_calendar("-//Passerelle//Test//FR")
    for key in ZONES:
        calendar.add_component(vtimezone(key))
    data = calendar.to_ical()
    assert_well_formed(data)
    return _run_node(
        "ical.js", ["tests/core/icaljs_offsets.mjs", str(FIRST_YEAR), str(LAST_YEAR)], data
    )


@pytest.mark.parametrize("key", ZONES)
def test_every_hour_from_1996_to_2040_has_zoneinfos_offset_in_both_parsers(key, icaljs_runs):
    expected = zoneinfo_offsets(key)
    assert wrong_hours(icaljs_runs[key], expected) == []
    assert wrong_hours(icalendar_runs(key), expected) == []


def test_paris_is_the_block_google_writes_byte_for_byte():
    assert vtimezone("Europe/Paris").to_ical() == PARIS


@pytest.mark.parametrize(
    ("key", "offset"),
    [
        ("Indian/Reunion", b"+0400"),
        ("Indian/Mayotte", b"+0300"),
        ("America/Martinique", b"-0400"),
        ("America/Guadeloupe", b"-0400"),
        ("America/Cayenne", b"-0300"),
    ],
)
def test_a_zone_without_daylight_saving_is_one_standard_time(key, offset):
    data = vtimezone(key).to_ical()
    assert data.count(b"BEGIN:STANDARD") == 1
    assert b"DAYLIGHT" not in data
    assert b"RRULE" not in data
    assert b"RDATE" not in data
    assert f"TZOFFSETFROM:{offset.decode()}\r\nTZOFFSETTO:{offset.decode()}".encode() in data


def test_a_change_of_rules_ends_the_old_ones_and_never_lists_dates():
    data = vtimezone("America/New_York").to_ical()
    rules = [line for line in data.split(b"\r\n") if line.startswith((b"RRULE", b"DTSTART"))]
    assert rules == [
        b"DTSTART:19700405T020000",
        b"RRULE:FREQ=YEARLY;UNTIL=20060402T070000Z;BYDAY=1SU;BYMONTH=4",
        b"DTSTART:19701025T020000",
        b"RRULE:FREQ=YEARLY;UNTIL=20061029T060000Z;BYDAY=-1SU;BYMONTH=10",
        b"DTSTART:20070311T020000",
        b"RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3",
        b"DTSTART:20071104T020000",
        b"RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11",
    ]
    assert b"RDATE" not in data
