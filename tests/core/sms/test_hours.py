"""No SMS between 20:00 and 08:00 in the structure's time zone: what is due then waits
for 08:00 local, across the changes of summer time and overseas."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core.sms.hours import is_quiet, next_sending_time

PARIS = ZoneInfo("Europe/Paris")
REUNION = ZoneInfo("Indian/Reunion")


@pytest.fixture(autouse=True)
def quiet_hours(settings):
    settings.SMS_QUIET_HOURS = (time(20), time(8))


def utc(text):
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("due", "zone", "sent"),
    [
        # Daytime in Paris: at once.
        ("2026-12-01T10:00", PARIS, "2026-12-01T10:00"),
        # 20:00 Paris in winter is 19:00 UTC: the next morning, 08:00 Paris = 07:00 UTC.
        ("2026-12-01T19:00", PARIS, "2026-12-02T07:00"),
        ("2026-12-01T18:59", PARIS, "2026-12-01T18:59"),
        # After midnight, the same day's morning.
        ("2026-12-02T02:30", PARIS, "2026-12-02T07:00"),
        # The night summer time starts (29 March 2026, 02:00 → 03:00): 08:00 is 06:00 UTC.
        ("2026-03-28T21:00", PARIS, "2026-03-29T06:00"),
        # The night it ends (25 October 2026, 03:00 → 02:00): 08:00 is 07:00 UTC again.
        ("2026-10-24T20:00", PARIS, "2026-10-25T07:00"),
        # La Réunion, UTC+4 all year: 20:00 there is 16:00 UTC, the morning 04:00 UTC.
        ("2026-12-01T16:00", REUNION, "2026-12-02T04:00"),
        ("2026-12-01T15:59", REUNION, "2026-12-01T15:59"),
        ("2026-12-01T03:00", REUNION, "2026-12-01T04:00"),
    ],
)
def test_a_message_due_at_night_waits_for_eight_local(due, zone, sent):
    assert next_sending_time(utc(due), zone) == utc(sent)


def test_eight_oclock_itself_is_not_quiet():
    assert not is_quiet(utc("2026-12-01T07:00"), PARIS)
    assert is_quiet(utc("2026-12-01T06:59"), PARIS)


def test_quiet_hours_can_be_turned_off(settings):
    settings.SMS_QUIET_HOURS = None
    assert next_sending_time(utc("2026-12-01T23:00"), PARIS) == utc("2026-12-01T23:00")
