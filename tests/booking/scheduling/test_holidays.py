"""French public holidays, on which the structure is closed (BOOKING_CLOSED_ON_PUBLIC_HOLIDAYS)."""

from datetime import date

from booking.scheduling.holidays import easter_sunday, public_holidays


def test_easter_and_the_holidays_that_follow_it():
    assert [easter_sunday(year) for year in (2024, 2025, 2026, 2038)] == [
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2038, 4, 25),
    ]
    holidays = public_holidays(2026)
    assert len(holidays) == 11
    assert {date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)} <= set(holidays)
    assert date(2026, 4, 5) not in holidays  # Easter Sunday is a Sunday anyway
