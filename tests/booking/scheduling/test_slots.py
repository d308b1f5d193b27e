"""The slot rules, on hand-made data (no database), then the loader's query count."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import recurrence
from dateutil import rrule as dateutil_rrule

from booking.models import (
    Absence,
    AvailabilityRule,
    Booking,
    Closure,
    Counsellor,
    ExternalCalendar,
    Format,
    GroupSession,
    Place,
    YoungPerson,
)
from booking.scheduling.loading import AVAILABILITY_QUERIES, find_slots
from booking.scheduling.slots import (
    Availability,
    compute_slots,
    merge_counsellors,
    occurrence_dates,
)
from structures.models import Structure

from ..factories import PARIS, WEEKDAYS, paris, weekly

# Monday 2 March 2026, 08:00 in Paris.
NOW = paris("2026-03-02 08:00")

STRUCTURE = Place(id=1, kind=Place.Kind.STRUCTURE, name="Espace", active=True)
CAFE = Place(id=2, kind=Place.Kind.PUBLIC_PLACE, name="Café", active=True)
HOME = Place(id=3, kind=Place.Kind.HOME, name="Chez toi", active=True)


def make_format(id=1, **fields):
    values = {
        "slug": f"format-{id}",
        "name": f"Format {id}",
        "duration_minutes": 45,
        "buffer_after_minutes": 15,
        "minimum_notice_hours": 0,
        "horizon_days": 60,
        "capacity": 1,
        "place_kinds": ["structure", "public_place", "home"],
        "meeting_stage": Format.MeetingStage.ANY,
        "active": True,
    }
    return Format(id=id, **{**values, **fields})


INDIVIDUAL = make_format()


def counsellor(id=1, slug="samira"):
    return Counsellor(id=id, slug=slug, first_name=slug.title(), active=True)


def rule(id=1, counsellor_id=1, *, days=WEEKDAYS, start="09:00", end="12:00", place=STRUCTURE):
    made = AvailabilityRule(
        id=id,
        counsellor_id=counsellor_id,
        recurrence=weekly(*days),
        start_time=time.fromisoformat(start),
        end_time=time.fromisoformat(end),
    )
    made.place = place
    return made


def availability(*, counsellors=None, formats=(INDIVIDUAL,), rules=None, **extra):
    counsellors = counsellors or [counsellor()]
    offered = {c.id: {f.id for f in formats} for c in counsellors}
    return Availability(
        counsellors=counsellors,
        formats=list(formats),
        rules=rules if rules is not None else [rule(counsellor_id=c.id) for c in counsellors],
        counsellor_format_ids=extra.pop("counsellor_format_ids", offered),
        **extra,
    )


def local_starts(slots):
    return [slot.start.astimezone(PARIS).strftime("%a %d %H:%M") for slot in slots]


def on(day, data, **kwargs):
    """Slots of one local day."""
    start = paris(f"{day} 00:00")
    return compute_slots(
        data, now=kwargs.pop("now", NOW), start=start, end=start + timedelta(1), **kwargs
    )


def test_a_window_is_cut_into_back_to_back_meetings_with_their_break():
    slots = on("2026-03-03", availability())
    assert local_starts(slots) == ["Tue 03 09:00", "Tue 03 10:00", "Tue 03 11:00"]
    assert slots[0].end - slots[0].start == timedelta(minutes=45)
    assert {slot.seats_left for slot in slots} == {1}


def test_a_format_can_offer_start_times_closer_than_its_length():
    every_half_hour = make_format(slot_interval_minutes=30, buffer_after_minutes=0)
    slots = on("2026-03-03", availability(formats=[every_half_hour]))
    assert local_starts(slots)[-1] == "Tue 03 11:00"  # 11:30 + 45 min would end after noon
    assert len(slots) == 5


@pytest.mark.parametrize(
    ("days", "utc_hours"),
    [
        # Last Sunday of March 2026: clocks go forward at 02:00.
        (["2026-03-28", "2026-03-29", "2026-03-30"], [8, 7, 7]),
        # Last Sunday of October 2026: clocks go back at 03:00.
        (["2026-10-24", "2026-10-25", "2026-10-26"], [7, 8, 8]),
    ],
)
def test_a_nine_o_clock_window_opens_at_nine_local_time_across_daylight_saving(days, utc_hours):
    every_day = [rule(days=[*WEEKDAYS, recurrence.SA, recurrence.SU])]
    data = availability(rules=every_day)
    for day, utc_hour in zip(days, utc_hours, strict=True):
        first = on(day, data, now=paris(f"{day} 00:00") - timedelta(days=1))[0]
        assert first.start.astimezone(PARIS).time() == time(9, 0)
        assert first.start.astimezone(UTC).hour == utc_hour


def test_bookings_block_their_time_and_their_break():
    off_grid = Booking(
        counsellor_id=1, start=paris("2026-03-03 09:50"), busy_until=paris("2026-03-03 10:20")
    )
    slots = on("2026-03-03", availability(bookings=[off_grid]))
    assert local_starts(slots) == ["Tue 03 11:00"]


def test_a_slot_needs_its_own_break_free():
    absence = Absence(
        counsellor_id=1, start=paris("2026-03-03 11:50"), end=paris("2026-03-03 13:00")
    )
    slots = on("2026-03-03", availability(absences=[absence]))
    assert local_starts(slots) == ["Tue 03 09:00", "Tue 03 10:00"]


def test_external_calendar_busy_times_block_slots_of_that_counsellor_only():
    two = [counsellor(1, "samira"), counsellor(2, "julien")]
    busy = {1: [(paris("2026-03-03 09:00"), paris("2026-03-03 12:00"))]}
    slots = on("2026-03-03", availability(counsellors=two, busy_times=busy))
    assert {slot.counsellor.slug for slot in slots} == {"julien"}


def test_a_busy_time_ending_as_a_slot_starts_leaves_that_slot_free():
    def starts_with(absence_end):
        absence = Absence(counsellor_id=1, start=paris("2026-03-03 08:00"), end=absence_end)
        return local_starts(on("2026-03-03", availability(absences=[absence])))

    # Busy from before the window opens until 10:00: the 10:00 meeting is still offered.
    assert starts_with(paris("2026-03-03 10:00")) == ["Tue 03 10:00", "Tue 03 11:00"]
    assert starts_with(paris("2026-03-03 10:00") + timedelta(microseconds=1)) == ["Tue 03 11:00"]


def test_a_busy_time_starting_as_a_break_ends_leaves_that_slot_free():
    def starts_with(busy_start):
        busy = {1: [(busy_start, paris("2026-03-03 12:00"))]}
        return local_starts(on("2026-03-03", availability(busy_times=busy)))

    # The 10:00 meeting and its break end at 11:00.
    assert starts_with(paris("2026-03-03 11:00")) == ["Tue 03 09:00", "Tue 03 10:00"]
    assert starts_with(paris("2026-03-03 10:59")) == ["Tue 03 09:00"]


def test_the_last_break_may_run_past_the_window_but_must_be_free():
    # 11:00 + 45 minutes ends before 11:50; its 15-minute break runs on to 12:00.
    data = availability(rules=[rule(end="11:50")])
    assert local_starts(on("2026-03-03", data)) == ["Tue 03 09:00", "Tue 03 10:00", "Tue 03 11:00"]
    data.busy_times = {1: [(paris("2026-03-03 11:55"), paris("2026-03-03 13:00"))]}
    assert local_starts(on("2026-03-03", data)) == ["Tue 03 09:00", "Tue 03 10:00"]


def test_a_window_shorter_than_a_meeting_offers_only_what_fits():
    half_hour = make_format(2, duration_minutes=30, buffer_after_minutes=0)

    def offered(end):
        data = availability(formats=[INDIVIDUAL, half_hour], rules=[rule(start="14:00", end=end)])
        return [(slot.format.id, local_starts([slot])[0]) for slot in on("2026-03-03", data)]

    assert offered("14:40") == [(2, "Tue 03 14:00")]
    assert offered("14:45") == [(1, "Tue 03 14:00"), (2, "Tue 03 14:00")]
    assert offered("14:20") == []


def test_on_the_spring_sunday_a_night_window_loses_the_skipped_hour():
    every_day = [*WEEKDAYS, recurrence.SA, recurrence.SU]
    before = paris("2026-03-27 00:00")
    night = availability(rules=[rule(days=every_day, start="01:00", end="05:00")])
    assert local_starts(on("2026-03-28", night, now=before)) == [
        "Sat 28 01:00",
        "Sat 28 02:00",
        "Sat 28 03:00",
        "Sat 28 04:00",
    ]
    # On 29 March 2026 the clocks jump from 02:00 to 03:00: three real hours.
    assert local_starts(on("2026-03-29", night, now=before)) == [
        "Sun 29 01:00",
        "Sun 29 03:00",
        "Sun 29 04:00",
    ]
    # A window opening at a time that does not exist opens when the clocks land.
    skipped = availability(rules=[rule(days=every_day, start="02:30", end="05:00")])
    assert local_starts(on("2026-03-28", skipped, now=before)) == ["Sat 28 02:30", "Sat 28 03:30"]
    assert local_starts(on("2026-03-29", skipped, now=before)) == ["Sun 29 03:30"]


def test_the_last_instant_of_the_horizon_is_still_bookable():
    one_day = make_format(horizon_days=1)
    now = paris("2026-03-02 09:00")
    slots = compute_slots(
        availability(formats=[one_day]), now=now, start=now, end=now + timedelta(days=7)
    )
    assert local_starts(slots) == ["Mon 02 09:00", "Mon 02 10:00", "Mon 02 11:00", "Tue 03 09:00"]


def test_slots_are_listed_by_time_counsellor_format_and_place_each_once():
    zoe, adam = counsellor(1, "zoe"), counsellor(2, "adam")
    atelier = make_format(2, name="Atelier")  # listed before "Format 1"
    rules = [
        rule(1, counsellor_id=1, end="10:00"),
        rule(2, counsellor_id=1, end="10:00", place=CAFE),
        rule(3, counsellor_id=1, end="11:00"),  # overlaps rule 1: 09:00 is offered once
        rule(4, counsellor_id=2, end="10:00"),
    ]
    data = availability(counsellors=[zoe, adam], formats=[INDIVIDUAL, atelier], rules=rules)
    listed = [
        (local_starts([slot])[0][-5:], slot.counsellor.slug, slot.format.id, slot.place.name)
        for slot in on("2026-03-03", data)
    ]
    assert listed == [
        ("09:00", "adam", 2, "Espace"),
        ("09:00", "adam", 1, "Espace"),
        ("09:00", "zoe", 2, "Café"),
        ("09:00", "zoe", 2, "Espace"),
        ("09:00", "zoe", 1, "Café"),
        ("09:00", "zoe", 1, "Espace"),
        ("10:00", "zoe", 2, "Espace"),
        ("10:00", "zoe", 1, "Espace"),
    ]


def test_minimum_notice_and_horizon_count_from_now():
    fmt = make_format(minimum_notice_hours=26, horizon_days=2)
    slots = compute_slots(
        availability(formats=[fmt]), now=NOW, start=NOW, end=NOW + timedelta(days=30)
    )
    # Monday 08:00 + 26 h = Tuesday 10:00; + 2 days = Wednesday 08:00.
    assert local_starts(slots) == ["Tue 03 10:00", "Tue 03 11:00"]


def test_past_slots_are_never_offered():
    slots = on("2026-03-02", availability(), now=paris("2026-03-02 10:30"))
    assert local_starts(slots) == ["Mon 02 11:00"]


def test_closures_and_public_holidays_close_the_day():
    closure = Closure(label="Inventaire", start_date=date(2026, 3, 3), end_date=date(2026, 3, 4))
    data = availability(closures=[closure])
    assert on("2026-03-03", data) == []
    assert on("2026-03-04", data) == []
    assert on("2026-03-05", data) != []
    before_may_day = paris("2026-04-30 08:00")
    assert on("2026-05-01", data, now=before_may_day) == []
    data.closed_on_public_holidays = False
    assert on("2026-05-01", data, now=before_may_day) != []


def test_a_rule_offers_its_formats_where_each_format_may_take_place():
    cafe_only = make_format(2, place_kinds=["public_place"])
    both = [INDIVIDUAL, cafe_only]
    rules = [rule(1, place=STRUCTURE), rule(2, place=CAFE, start="14:00", end="15:00")]
    slots = on("2026-03-03", availability(formats=both, rules=rules))
    offered = {(slot.format.id, slot.place.id) for slot in slots}
    assert offered == {(1, STRUCTURE.id), (1, CAFE.id), (2, CAFE.id)}

    restricted = on("2026-03-03", availability(formats=both, rules=rules, rule_format_ids={2: {2}}))
    assert {(slot.format.id, slot.place.id) for slot in restricted} == {
        (1, STRUCTURE.id),
        (2, CAFE.id),
    }


def test_only_formats_the_counsellor_offers_and_never_group_formats_from_rules():
    group = make_format(2, capacity=8)
    data = availability(formats=[INDIVIDUAL, group], counsellor_format_ids={1: {2}})
    assert on("2026-03-03", data) == []
    data = availability(formats=[INDIVIDUAL, group])
    assert {slot.format.id for slot in on("2026-03-03", data)} == {1}


def test_inactive_counsellors_places_and_formats_offer_nothing():
    closed_place = Place(id=9, kind=Place.Kind.STRUCTURE, name="Fermé", active=False)
    assert on("2026-03-03", availability(rules=[rule(place=closed_place)])) == []
    assert on("2026-03-03", availability(formats=[make_format(active=False)])) == []
    away = counsellor()
    away.active = False
    assert on("2026-03-03", availability(counsellors=[away])) == []


def test_first_meetings_never_at_home_and_each_format_keeps_to_its_stage():
    first_only = make_format(2, meeting_stage=Format.MeetingStage.FIRST)
    follow_up = make_format(3, meeting_stage=Format.MeetingStage.FOLLOW_UP)
    rules = [rule(1, place=STRUCTURE), rule(2, place=HOME, start="14:00", end="15:00")]
    data = availability(formats=[INDIVIDUAL, first_only, follow_up], rules=rules)

    def offered(first_meeting):
        slots = on("2026-03-03", data, first_meeting=first_meeting)
        return {(slot.format.id, slot.place.kind) for slot in slots}

    assert offered(True) == {(1, "structure"), (2, "structure")}
    assert offered(False) == {(1, "structure"), (1, "home"), (3, "structure"), (3, "home")}
    assert len(offered(None)) == 6


def group_session(id=1, *, start="2026-03-03 14:00", capacity=8, booked=0, counsellor_id=1):
    group = make_format(2, capacity=8, duration_minutes=90, buffer_after_minutes=30)
    session = GroupSession(
        id=id,
        counsellor_id=counsellor_id,
        start=paris(start),
        end=paris(start) + timedelta(minutes=90),
        capacity=capacity,
        seats_held=booked,
    )
    session.format = group
    session.place = STRUCTURE
    return session


def test_group_sessions_are_offered_with_their_seats_left_until_full():
    open_session = group_session(1, booked=5)
    full = group_session(2, start="2026-03-03 16:00", booked=8)
    data = availability(
        formats=[INDIVIDUAL, open_session.format], group_sessions=[open_session, full]
    )
    sessions = [slot for slot in on("2026-03-03", data) if slot.group_session]
    assert [(slot.group_session.id, slot.seats_left) for slot in sessions] == [(1, 3)]


def test_two_group_sessions_at_the_same_time_and_place_are_both_offered():
    later_created, first_created = group_session(7), group_session(3)
    data = availability(
        formats=[INDIVIDUAL, later_created.format], group_sessions=[later_created, first_created]
    )
    sessions = [slot.group_session.id for slot in on("2026-03-03", data) if slot.group_session]
    assert sessions == [3, 7]


def test_a_group_session_blocks_its_counsellor_and_an_absence_cancels_it():
    session = group_session(start="2026-03-03 09:00")
    data = availability(formats=[INDIVIDUAL, session.format], group_sessions=[session])
    slots = on("2026-03-03", data)
    # 09:00-10:30 plus 30 minutes of break: the counsellor is free from 11:00.
    assert local_starts(slots) == ["Tue 03 09:00", "Tue 03 11:00"]
    assert slots[0].group_session is session

    absence = Absence(
        counsellor_id=1, start=paris("2026-03-03 08:00"), end=paris("2026-03-03 10:00")
    )
    data.absences = [absence]
    assert all(slot.group_session is None for slot in on("2026-03-03", data))


def test_any_counsellor_merges_the_same_time_and_place():
    two = [counsellor(1, "samira"), counsellor(2, "julien")]
    booked = Booking(
        counsellor_id=1, start=paris("2026-03-03 09:00"), busy_until=paris("2026-03-03 10:00")
    )
    slots = on("2026-03-03", availability(counsellors=two, bookings=[booked]))
    assert len(slots) == 5
    merged = merge_counsellors(slots)
    assert [(slot.counsellor, slot.seats_left) for slot in merged] == [
        (None, 1),
        (None, 2),
        (None, 2),
    ]


def test_rules_honour_their_validity_dates_and_excluded_days():
    limited = rule()
    limited.valid_from = date(2026, 3, 4)
    limited.valid_until = date(2026, 3, 5)
    limited.recurrence.exdates = [datetime(2026, 3, 5, 12, 0, tzinfo=UTC)]
    limited.recurrence.rdates = [datetime(2026, 3, 7, 0, 0, tzinfo=PARIS)]
    days = occurrence_dates(limited, date(2026, 3, 1), date(2026, 3, 31))
    assert days == [date(2026, 3, 4)]


def test_every_other_week_keeps_its_phase_whatever_the_day_we_look():
    fortnightly = rule(days=[recurrence.WE])
    fortnightly.recurrence.rrules[0].interval = 2
    fortnightly.valid_from = date(2025, 1, 1)
    reference = dateutil_rrule.rrule(
        dateutil_rrule.WEEKLY, interval=2, byweekday=2, dtstart=datetime(2025, 1, 1)
    )
    for first in (date(2026, 3, 2), date(2026, 3, 9), date(2027, 6, 1)):
        last = first + timedelta(weeks=8)
        expected = [
            moment.date()
            for moment in reference.between(
                datetime.combine(first, time()), datetime.combine(last, time.max), inc=True
            )
        ]
        assert occurrence_dates(fortnightly, first, last) == expected
        assert len(expected) == 4


@pytest.mark.parametrize("counsellor_count", [1, 20])
def test_slots_load_in_a_constant_number_of_queries(
    counsellor_count, make_counsellor, make_session, individuel, django_assert_max_num_queries
):
    counsellors = [make_counsellor(f"c{index}") for index in range(counsellor_count)]
    for index, each in enumerate(counsellors):
        make_session(each, "2026-03-05 14:00")
        Absence.objects.create(
            counsellor=each, start=paris("2026-03-04 09:00"), end=paris("2026-03-04 12:00")
        )
        each.bookings.create(
            format=individuel,
            place=each.places.get(),
            young_person=YoungPerson.objects.create(
                structure=Structure.default(), first_name="Léa", email=f"lea{index}@example.org"
            ),
            start=paris("2026-03-03 09:00"),
            end=paris("2026-03-03 09:45"),
            busy_until=paris("2026-03-03 10:00"),
            source=Booking.Source.WEB,
        )
        ExternalCalendar.objects.create(counsellor=each, url="https://agenda.example.org/x.ics")
        each.external_calendar.busy_times.create(
            start=paris("2026-03-09 09:00"), end=paris("2026-03-09 10:00")
        )
    Closure.objects.create(
        structure=Structure.default(),
        label="Pont",
        start_date=date(2026, 3, 6),
        end_date=date(2026, 3, 6),
    )

    lens = Structure.default()
    with django_assert_max_num_queries(AVAILABILITY_QUERIES):
        slots = find_slots(lens, now=NOW, end=NOW + timedelta(weeks=12))

    assert {slot.counsellor for slot in slots} == set(counsellors)
    mine = [slot for slot in slots if slot.counsellor == counsellors[0]]
    starts = {slot.start for slot in mine}
    assert paris("2026-03-03 09:00") not in starts and paris("2026-03-03 10:00") in starts
    assert paris("2026-03-09 09:00") not in starts and paris("2026-03-09 10:00") in starts
    days = {slot.start.astimezone(PARIS).date() for slot in mine}
    assert date(2026, 3, 4) not in days and date(2026, 3, 6) not in days
    assert max(days) == date(2026, 4, 30)  # 60 days ahead is 1 May 08:00, a public holiday
    assert sum(1 for slot in mine if slot.group_session) == 1
