"""Checks every calendar file we produce must pass, with three independent parsers.

`icalendar` is the library that writes them; Mozilla's ical.js (the parser inside
Thunderbird) and node-ical (in many Node.js and home-automation calendars), both from
npm and run with node, read them as clients would.
"""

import json
import shutil
import subprocess
from pathlib import Path

import icalendar

from tests.support import ROOT, missing

DUMP_SCRIPT = Path(__file__).with_name("icaljs_dump.mjs")
NODEICAL_SCRIPT = Path(__file__).with_name("nodeical_dump.mjs")


def _run_node(package, argv, data):
    node = shutil.which("node")
    if not node or not (ROOT / "node_modules" / package).is_dir():
        missing(f"node and node_modules/{package} are needed: run `make test`")
    result = subprocess.run(
        [node, *argv], input=data, capture_output=True, cwd=ROOT, timeout=60, check=False
    )
    assert result.returncode == 0, f"{package} could not parse the file: {result.stderr.decode()}"
    return json.loads(result.stdout)


def starts_in_nodeical(data, start, end):
    """The start (UTC ISO, as ical.js's dump writes it) of every instance node-ical shows
    between the aware datetimes `start` and `end`: it reads each VEVENT's DTSTART and
    RRULE, and never expanded the RDATE lists we used to write."""
    dump = _run_node("node-ical", [str(NODEICAL_SCRIPT), start.isoformat(), end.isoformat()], data)
    return dump["starts"]


def parse_with_icaljs(data, expand_until=None):
    """What ical.js sees in `data` (bytes): method, calname, timezones and events, each
    event with uid, sequence, summary, location, description, status, start/end (UTC ISO),
    start_tzid, start_is_date, recurrence_id, and its occurrences (UTC ISO) up to
    `expand_until` (an aware datetime or ISO string) when it recurs; also url, organizer,
    attendees, transp, dtstamp, last_modified (UTC ISO) and alarms (action, trigger,
    description) per event, and name,
    refresh_interval (with refresh_interval_type, the value type ical.js read) and
    published_ttl for the calendar."""
    argv = [str(DUMP_SCRIPT)]
    if expand_until is not None:
        argv.append(expand_until if isinstance(expand_until, str) else expand_until.isoformat())
    return _run_node("ical.js", argv, data)


def assert_well_formed(data):
    """CRLF everywhere, lines folded at 75 octets, parsed by icalendar without errors,
    every TZID defined by a VTIMEZONE and, if published, every event organized. Returns the
    icalendar.Calendar."""
    assert isinstance(data, bytes)
    assert data.endswith(b"\r\n"), "the file must end with CRLF"
    lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines), "bare LF or CR"
    too_long = [line for line in lines if len(line) > 75]
    assert not too_long, f"lines longer than 75 octets: {too_long[:3]}"
    calendar = icalendar.Calendar.from_ical(data)
    # RFC 5546: a published event names its organizer; libical's checker refuses it else.
    if calendar.get("METHOD") == "PUBLISH":
        unorganized = [
            str(event["UID"]) for event in calendar.walk("VEVENT") if "ORGANIZER" not in event
        ]
        assert not unorganized, f"METHOD:PUBLISH with no ORGANIZER in {unorganized[:3]}"
    for component in calendar.walk():
        errors = getattr(component, "errors", [])
        assert not errors, f"{component.name}: {errors}"
    defined = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    for component in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE"):
            values = component.get(name)
            for value in values if isinstance(values, list) else [values]:
                tzid = value.params.get("TZID") if value is not None else None
                assert tzid is None or tzid in defined, f"{name} uses undefined TZID {tzid}"
    return calendar
