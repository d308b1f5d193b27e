"""A first meeting is one with someone who has not met this structure before that date,
whichever counsellor they saw; a visit at home never comes first, on booking as on moving."""

import pytest

from booking import services
from booking.models import Booking, Format, Place
from booking.services import MeetingStageMismatch
from booking.services.contacts import home_visits_coming_first

from ..factories import (
    HOME_ADDRESS,
    AvailabilityRuleFactory,
    BookingFactory,
    CounsellorFactory,
    FormatFactory,
    PlaceFactory,
    YoungPersonFactory,
    paris,
)

# Tuesday 1 December 2026; the format books up to 60 days ahead with 24 hours' notice.
NOW = paris("2026-12-01 08:00")
DEC_8, DEC_10, DEC_16 = (
    paris("2026-12-08 09:00"),
    paris("2026-12-10 09:00"),
    paris("2026-12-16 09:00"),
)
DEC_17, DEC_18, DEC_21 = (
    paris("2026-12-17 09:00"),
    paris("2026-12-18 09:00"),
    paris("2026-12-21 09:00"),
)


@pytest.fixture
def at_home(db):
    return PlaceFactory(kind=Place.Kind.HOME, name="Chez toi")


@pytest.fixture
def karim(make_counsellor, individuel, at_home):
    """Visits young people at home."""
    counsellor = make_counsellor("karim", place=at_home)
    AvailabilityRuleFactory(counsellor=counsellor, place=at_home)
    return counsellor


def book(place, start, counsellor, fmt, **kwargs):
    values = {
        "first_name": "Léa",
        "email": "lea@example.org",
        "consent": True,
        "home_address": HOME_ADDRESS,
        "now": NOW,
    }
    return services.book(
        format=fmt, place=place, start=start, counsellor=counsellor, **{**values, **kwargs}
    )


def test_a_home_visit_before_the_first_meeting_is_refused_whoever_the_counsellors(
    samira, karim, individuel, structure, at_home
):
    """The case of the issue: a first meeting booked for 17 December did not make a
    home visit on 8 December a follow-up."""
    book(structure, DEC_17, samira, individuel)

    with pytest.raises(MeetingStageMismatch) as refused:
        book(at_home, DEC_8, karim, individuel)
    assert refused.value.message == MeetingStageMismatch.NOT_AT_HOME
    with pytest.raises(MeetingStageMismatch):
        book(at_home, DEC_17, karim, individuel)  # at the same time: not earlier

    visit = book(at_home, DEC_17.replace(hour=11), karim, individuel)
    assert (visit.place, visit.home_town) == (at_home, "Lens")
    assert Booking.objects.count() == 2


@pytest.mark.parametrize(
    ("status", "counts"),
    [
        (Booking.Status.ATTENDED, True),
        (Booking.Status.CONFIRMED, True),
        (Booking.Status.NO_SHOW, False),
        (Booking.Status.CANCELLED_BY_PERSON, False),
        (Booking.Status.CANCELLED_BY_STAFF, False),
    ],
)
def test_only_a_meeting_attended_or_confirmed_earlier_counts(
    samira, karim, individuel, structure, at_home, status, counts
):
    BookingFactory(
        counsellor=samira,
        format=individuel,
        place=structure,
        start=paris("2026-11-20 09:00"),
        status=status,
        young_person=YoungPersonFactory(),
    )
    if counts:
        assert book(at_home, DEC_8, karim, individuel).place == at_home
    else:
        with pytest.raises(MeetingStageMismatch):
            book(at_home, DEC_8, karim, individuel)


def test_a_meeting_with_another_structure_of_the_network_does_not_count(
    karim, individuel, at_home, other_structure
):
    """Léa met the Mission Locale Sud, with the same address: she is a new person here."""
    south_format = FormatFactory(structure=other_structure, slug="sud")
    south = CounsellorFactory(
        formats=[south_format],
        places=[PlaceFactory(structure=other_structure)],
        structures=[other_structure],
    )
    BookingFactory(
        counsellor=south,
        format=south_format,
        place=south.places.get(),
        start=paris("2026-11-20 09:00"),
        status=Booking.Status.ATTENDED,
        young_person=YoungPersonFactory(structure=other_structure),
    )

    with pytest.raises(MeetingStageMismatch):
        book(at_home, DEC_8, karim, individuel)


def test_a_follow_up_format_is_for_someone_met_before_that_date(
    samira, make_counsellor, individuel, structure
):
    follow_up = FormatFactory(
        slug="suivi", meeting_stage=Format.MeetingStage.FOLLOW_UP, place_kinds=["structure"]
    )
    julien = make_counsellor("julien", formats=[follow_up])
    book(structure, DEC_17, samira, individuel)

    with pytest.raises(MeetingStageMismatch) as refused:
        book(structure, DEC_8, julien, follow_up)
    assert refused.value.message == MeetingStageMismatch.FOLLOW_UP_ONLY
    assert book(structure, DEC_18, julien, follow_up).format == follow_up


@pytest.fixture
def first_and_visit(samira, karim, individuel, structure, at_home):
    """Léa's first meeting on 10 December, and a visit at home on 17 December."""
    return (
        book(structure, DEC_10, samira, individuel),
        book(at_home, DEC_17, karim, individuel),
    )


def test_moving_the_home_visit_before_the_first_meeting_is_refused(first_and_visit):
    first, visit = first_and_visit
    with pytest.raises(MeetingStageMismatch) as refused:
        services.move(visit, by="person", start=DEC_8, now=NOW)
    assert refused.value.message == MeetingStageMismatch.HOME_VISIT_TOO_EARLY
    visit.refresh_from_db()
    assert visit.start == DEC_17

    assert services.move(visit, by="person", start=DEC_18, now=NOW).start == DEC_18


def test_moving_the_first_meeting_after_the_home_visit_is_refused(first_and_visit):
    first, visit = first_and_visit
    with pytest.raises(MeetingStageMismatch) as refused:
        services.move(first, by="person", start=DEC_21, now=NOW)
    assert refused.value.message == MeetingStageMismatch.HOME_VISIT_LEFT_FIRST
    first.refresh_from_db()
    assert first.start == DEC_10

    assert services.move(first, by="person", start=DEC_16, now=NOW).start == DEC_16


def test_a_second_meeting_before_the_visit_lets_the_first_one_move_after_it(
    first_and_visit, samira, individuel, structure
):
    first, visit = first_and_visit
    book(structure, DEC_8, samira, individuel)
    assert services.move(first, by="person", start=DEC_21, now=NOW).start == DEC_21


def test_a_home_visit_that_already_came_first_does_not_stop_other_moves(
    samira, karim, individuel, structure, at_home
):
    """Booked while the rule ignored dates: the visit stays, and Léa may still move the
    meeting that followed it."""
    lea = YoungPersonFactory(email="lea@example.org")
    BookingFactory(
        counsellor=karim, format=individuel, place=at_home, start=DEC_8, young_person=lea
    )
    later = book(structure, DEC_17, samira, individuel)

    assert services.move(later, by="person", start=DEC_21, now=NOW).start == DEC_21


def test_cancelling_the_first_meeting_keeps_the_home_visit_for_staff_to_decide(
    first_and_visit, samira, individuel, structure
):
    """Nothing else is cancelled: the visit, now first, is among those staff must move or
    cancel; a meeting booked again before it takes it off that list."""
    first, visit = first_and_visit
    left_first = home_visits_coming_first(Booking.objects.all(), NOW)
    assert list(left_first) == []

    services.cancel(first, by="person", now=NOW)

    visit.refresh_from_db()
    assert visit.status == Booking.Status.CONFIRMED
    assert list(home_visits_coming_first(Booking.objects.all(), NOW)) == [visit]
    book(structure, DEC_16, samira, individuel)
    assert list(home_visits_coming_first(Booking.objects.all(), NOW)) == []
