"""Booking, moving, cancelling and closing appointments through the services."""

from datetime import timedelta

import pytest

from booking import services
from booking.models import Booking, Format, GroupSession, Place, YoungPerson
from booking.services import (
    Actor,
    AlreadyBooked,
    InvalidContact,
    InvalidDetails,
    InvalidTransition,
    MeetingStageMismatch,
    SlotTaken,
    SlotUnavailable,
)
from booking.services.signals import Change, booking_changed
from structures.models import Structure

from ..factories import HOME_ADDRESS, paris, seats_booked

# Monday 2 March 2026, 08:00 in Paris; the individual format needs 24 hours' notice.
NOW = paris("2026-03-02 08:00")
TUESDAY_9 = paris("2026-03-03 09:00")


def book(**kwargs):
    values = {"first_name": "Léa", "email": "lea@example.org", "consent": True, "now": NOW}
    return services.book(**{**values, **kwargs})


def book_individual(counsellor, fmt, place, start=TUESDAY_9, **kwargs):
    return book(counsellor=counsellor, format=fmt, place=place, start=start, **kwargs)


@pytest.fixture
def received():
    """booking_changed signals, as (uuid, change, actor)."""
    calls = []

    def receiver(sender, booking, change, actor, **kwargs):
        calls.append((booking.uuid, change, actor))

    booking_changed.connect(receiver)
    yield calls
    booking_changed.disconnect(receiver)


def test_booking_confirms_the_slot_and_announces_it_in_its_transaction(
    samira, individuel, structure, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        booking = book_individual(samira, individuel, structure, message="  Pour un CV  ")

    assert booking.status == Booking.Status.CONFIRMED
    assert (booking.start, booking.end) == (TUESDAY_9, paris("2026-03-03 09:45"))
    assert booking.busy_until == paris("2026-03-03 10:00")
    assert (booking.sequence, booking.source, booking.message) == (0, "web", "Pour un CV")
    assert booking.consent_at is not None
    assert booking.young_person.email == "lea@example.org"
    assert received == [(booking.uuid, Change.BOOKED, Actor.PERSON)]


def test_a_refused_booking_announces_nothing_and_leaves_no_trace(
    samira, individuel, structure, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(SlotUnavailable):
        book_individual(samira, individuel, structure, start=paris("2026-03-03 09:30"))
    assert received == []
    assert not YoungPerson.objects.exists()


def test_the_same_slot_cannot_be_booked_twice(samira, individuel, structure):
    book_individual(samira, individuel, structure)
    with pytest.raises(SlotTaken) as refused:
        book_individual(samira, individuel, structure, email="tom@example.org")
    assert refused.value.code == "slot_taken"
    assert str(refused.value.message) == "Ce créneau vient d’être pris. Choisis-en un autre."
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "reason"),
    [
        (paris("2026-03-02 07:00"), SlotUnavailable.PAST),
        (paris("2026-03-02 11:00"), SlotUnavailable.TOO_SOON),
        (paris("2026-05-04 09:00"), SlotUnavailable.BEYOND_HORIZON),
        (paris("2026-03-03 14:00"), SlotUnavailable.OUTSIDE_AVAILABILITY),
        (paris("2026-03-03 09:30"), SlotUnavailable.OUTSIDE_AVAILABILITY),
        (paris("2026-04-06 09:00"), SlotUnavailable.OUTSIDE_AVAILABILITY),  # Easter Monday
    ],
)
def test_times_not_offered_are_refused_with_the_reason(
    samira, individuel, structure, start, reason
):
    with pytest.raises(SlotUnavailable) as refused:
        book_individual(samira, individuel, structure, start=start)
    assert refused.value.reason == reason


def test_first_available_spreads_bookings_then_reports_the_time_taken(
    make_counsellor, individuel, structure
):
    ines, samira = make_counsellor("ines"), make_counsellor("samira")
    book_individual(ines, individuel, structure, start=paris("2026-03-04 09:00"))

    first = book_individual(None, individuel, structure, email="a@example.org")
    second = book_individual(None, individuel, structure, email="b@example.org")

    # Inès comes first by name but already has a booking: Samira is the less busy.
    assert (first.counsellor, second.counsellor) == (samira, ines)
    with pytest.raises(SlotTaken):
        book_individual(None, individuel, structure, email="c@example.org")


@pytest.mark.parametrize(
    ("email", "phone", "field"),
    [
        ("", "", "email"),
        ("lea@example.org", "06 12 34", "phone"),
        ("lea@", "0612345678", "email"),
        ("", "01 23 45 67 89", "phone"),
        ("", "06 12 34", "phone"),
        ("l" * 250 + "@example.org", "", "email"),
    ],
)
def test_a_valid_contact_is_required_and_both_are_checked(email, phone, field):
    with pytest.raises(InvalidContact) as refused:
        services.normalise_contact(email, phone)
    assert refused.value.field == field


def test_a_person_is_recognised_by_contact_and_keeps_their_first_name(db):
    lens = Structure.default().pk
    first = services.find_or_create_person(lens, first_name="Léa", phone="06 12 34 56 78")
    again = services.find_or_create_person(lens, first_name="Someone", phone="+33612345678")
    assert again == first and again.first_name == "Léa"
    by_mail = services.find_or_create_person(lens, first_name="Tom", email=" Tom@Example.ORG ")
    assert services.find_person(lens, email="tom@example.org") == by_mail
    assert services.find_person(lens, email="nobody@example.org") is None


def test_each_structure_knows_its_own_people(db, other_structure):
    """Two structures are two data controllers: the same address is a stranger to the
    second one, and its first meeting there is a first meeting."""
    lens = Structure.default().pk
    known = services.find_or_create_person(lens, first_name="Léa", email="lea@example.org")
    assert services.find_person(other_structure.pk, email="lea@example.org") is None
    there = services.find_or_create_person(
        other_structure.pk, first_name="Léa R.", email="lea@example.org"
    )
    assert there != known and there.first_name == "Léa R."


def test_consent_is_required_online_but_not_from_staff(samira, individuel, structure):
    with pytest.raises(InvalidDetails) as refused:
        book_individual(samira, individuel, structure, consent=False)
    assert refused.value.field == "consent"
    booking = book_individual(samira, individuel, structure, consent=False, source="staff")
    assert booking.consent_at is None


def test_messages_are_limited_and_a_first_name_is_needed(samira, individuel, structure):
    with pytest.raises(InvalidDetails) as too_long:
        book_individual(samira, individuel, structure, message="x" * 501)
    with pytest.raises(InvalidDetails) as nameless:
        book_individual(samira, individuel, structure, first_name="  ")
    assert (too_long.value.field, nameless.value.field) == ("message", "first_name")


def test_text_with_a_nul_character_is_refused_on_its_field(samira, individuel, structure):
    """PostgreSQL cannot store NUL; the API and staff reach the services without a form."""
    for field in ("first_name", "message"):
        with pytest.raises(InvalidDetails) as refused:
            book_individual(samira, individuel, structure, **{field: "Léa\x00"})
        assert refused.value.field == field
    assert not Booking.objects.exists()


def test_a_meeting_by_phone_needs_a_mobile_number_whoever_books(make_counsellor):
    by_phone = Place.objects.create(
        structure=Structure.default(), kind=Place.Kind.PHONE, name="Par téléphone"
    )
    counsellor = make_counsellor("nadia", place=by_phone)
    fmt = counsellor.formats.get()
    for source in ("web", "api", "staff"):
        with pytest.raises(InvalidDetails) as refused:
            book_individual(counsellor, fmt, by_phone, source=source, consent=True)
        assert refused.value.field == "phone"
    booking = book_individual(counsellor, fmt, by_phone, email="", phone="06 12 34 56 78")
    assert booking.young_person.phone == "+33612345678"


def test_first_meeting_and_follow_up_formats_and_no_first_meeting_at_home(
    make_counsellor, individuel, structure
):
    cafe_place = Place.objects.create(
        structure=Structure.default(), kind=Place.Kind.PUBLIC_PLACE, name="Café"
    )
    home = Place.objects.create(
        structure=Structure.default(), kind=Place.Kind.HOME, name="Chez toi"
    )
    cafe = Format.objects.create(
        structure=Structure.default(),
        slug="test-cafe",
        name="Café",
        duration_minutes=30,
        minimum_notice_hours=0,
        place_kinds=["public_place"],
        meeting_stage=Format.MeetingStage.FIRST,
    )
    follow_up = Format.objects.create(
        structure=Structure.default(),
        slug="test-suivi",
        name="Suivi",
        duration_minutes=30,
        minimum_notice_hours=0,
        place_kinds=["structure"],
        meeting_stage=Format.MeetingStage.FOLLOW_UP,
    )
    at_cafe = make_counsellor("ines", formats=[cafe], place=cafe_place)
    at_home = make_counsellor("julien", place=home)
    at_structure = make_counsellor("samira", formats=[individuel, follow_up])

    with pytest.raises(MeetingStageMismatch) as not_at_home:
        book_individual(at_home, individuel, home, home_address=HOME_ADDRESS)
    assert not_at_home.value.message == MeetingStageMismatch.NOT_AT_HOME
    with pytest.raises(MeetingStageMismatch):
        book_individual(at_structure, follow_up, structure)

    book_individual(at_cafe, cafe, cafe_place)
    with pytest.raises(MeetingStageMismatch) as second_cafe:
        book_individual(at_cafe, cafe, cafe_place, start=paris("2026-03-04 09:00"))
    assert second_cafe.value.message == MeetingStageMismatch.FIRST_ONLY
    # The café came first: later, a visit at home and a follow-up.
    later = paris("2026-03-04 10:00")
    at_home_later = book_individual(
        at_home, individuel, home, start=later, home_address=HOME_ADDRESS
    )
    assert at_home_later.place == home
    assert book_individual(at_structure, follow_up, structure, start=later).format == follow_up


def test_cancelling_frees_the_slot_at_once_and_only_once(
    samira, individuel, structure, received, django_capture_on_commit_callbacks
):
    booking = book_individual(samira, individuel, structure)
    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(booking, by="person", message="Je travaille ce jour-là", now=NOW)

    assert booking.status == Booking.Status.CANCELLED_BY_PERSON
    assert (booking.sequence, booking.cancellation_message) == (1, "Je travaille ce jour-là")
    assert received == [(booking.uuid, Change.CANCELLED, Actor.PERSON)]
    assert book_individual(samira, individuel, structure, email="tom@example.org")
    with pytest.raises(InvalidTransition):
        services.cancel(booking, by="staff", now=NOW)


def test_only_staff_can_cancel_once_the_meeting_started(samira, individuel, structure):
    booking = book_individual(samira, individuel, structure)
    during = paris("2026-03-03 09:10")
    with pytest.raises(InvalidTransition) as refused:
        services.cancel(booking, by=Actor.PERSON, now=during)
    assert refused.value.message == InvalidTransition.STARTED
    services.cancel(booking, by=Actor.STAFF, now=during)
    assert booking.status == Booking.Status.CANCELLED_BY_STAFF


def test_moving_keeps_the_reference_raises_the_revision_and_checks_the_new_time(
    samira, individuel, structure, received, django_capture_on_commit_callbacks
):
    booking = book_individual(samira, individuel, structure)
    other = book_individual(
        samira, individuel, structure, email="tom@example.org", start=paris("2026-03-03 11:00")
    )
    reference = booking.uuid
    received.clear()

    with pytest.raises(SlotTaken):
        services.move(booking, by="person", start=other.start, now=NOW)
    with pytest.raises(SlotUnavailable):
        services.move(booking, by="person", start=paris("2026-03-03 09:30"), now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        services.move(booking, by="person", start=paris("2026-03-03 10:00"), now=NOW)

    assert (booking.uuid, booking.sequence) == (reference, 1)
    assert (booking.start, booking.busy_until) == (
        paris("2026-03-03 10:00"),
        paris("2026-03-03 11:00"),
    )
    assert received == [(reference, Change.MOVED, Actor.PERSON)]
    with django_capture_on_commit_callbacks(execute=True):
        services.move(booking, by="person", start=booking.start, now=NOW)
    assert booking.sequence == 1 and len(received) == 1  # moved where it was: no change
    zoe = book_individual(samira, individuel, structure, email="zoe@example.org")
    assert zoe.start == TUESDAY_9


def test_a_booking_can_move_onto_part_of_its_own_time(make_counsellor, structure):
    quarterly = Format.objects.create(
        structure=Structure.default(),
        slug="test-quart",
        name="Quart d'heure",
        duration_minutes=45,
        slot_interval_minutes=15,
        minimum_notice_hours=0,
        place_kinds=["structure"],
    )
    samira = make_counsellor("samira", formats=[quarterly])
    booking = book_individual(samira, quarterly, structure)
    services.move(booking, by="staff", start=paris("2026-03-03 09:15"), now=NOW)
    assert booking.start == paris("2026-03-03 09:15")


def test_group_sessions_fill_seat_by_seat_and_cancelling_gives_the_seat_back(samira, make_session):
    session = make_session(samira, "2026-03-05 14:00", capacity=2)
    first = book(group_session=session, email="a@example.org")
    book(group_session=session, email="b@example.org")
    with pytest.raises(SlotTaken):
        book(group_session=session, email="c@example.org")
    assert seats_booked(session) == 2 == session.bookings.count()
    assert (first.start, first.end, first.counsellor) == (session.start, session.end, samira)

    services.cancel(first, by="person", now=NOW)
    assert seats_booked(session) == 1
    assert book(group_session=session, email="c@example.org").group_session == session


def test_one_seat_per_person_in_a_session(samira, make_session):
    session = make_session(samira, "2026-03-05 14:00")
    book(group_session=session)
    with pytest.raises(AlreadyBooked):
        book(group_session=session, first_name="Léa")
    assert seats_booked(GroupSession.objects.get()) == 1


def test_moving_to_another_session_moves_the_seat(samira, make_session):
    thursday = make_session(samira, "2026-03-05 14:00")
    next_week = make_session(samira, "2026-03-12 14:00")
    booking = book(group_session=thursday)
    services.move(booking, by="person", group_session=next_week, now=NOW)
    thursday.refresh_from_db()
    next_week.refresh_from_db()
    assert (seats_booked(thursday), seats_booked(next_week)) == (0, 1)
    assert (booking.start, booking.group_session, booking.sequence) == (
        next_week.start,
        next_week,
        1,
    )


def test_attendance_is_recorded_after_the_start_and_can_be_corrected(samira, individuel, structure):
    booking = book_individual(samira, individuel, structure)
    with pytest.raises(InvalidTransition):
        services.mark_attended(booking, now=NOW)
    after = TUESDAY_9 + timedelta(hours=1)
    services.mark_no_show(booking, now=after)
    assert (booking.status, booking.sequence) == (Booking.Status.NO_SHOW, 1)
    services.mark_attended(booking, now=after)
    assert (booking.status, booking.sequence) == (Booking.Status.ATTENDED, 2)
    with pytest.raises(InvalidTransition):
        services.cancel(booking, by="staff", now=after)


def test_a_receiver_failing_on_a_database_error_leaves_the_booking(
    samira, individuel, structure, caplog
):
    """A receiver's query that fails without a savepoint of its own (as the notification
    row is written now) marks the transaction for rollback: `booking_changed` rolls
    back to its savepoint and clears that mark, so the booking still commits."""
    YoungPerson.objects.create(
        structure=Structure.default(), first_name="Déjà", email="deja@example.org"
    )

    def duplicate(sender, booking, **kwargs):
        YoungPerson.objects.create(
            structure=Structure.default(), first_name="Double", email="deja@example.org"
        )

    booking_changed.connect(duplicate)
    try:
        booking = book_individual(samira, individuel, structure)
    finally:
        booking_changed.disconnect(duplicate)

    assert Booking.objects.get() == booking
    assert YoungPerson.objects.filter(email="deja@example.org").count() == 1
    assert "booking_changed receiver" in caplog.text


def test_a_failing_receiver_is_logged_and_undone_but_the_booking_stays(
    samira, individuel, structure, caplog
):
    """Receivers run inside the booking's transaction: one that writes, then fails, has
    its writes rolled back; the booking itself commits."""

    def half_done(sender, booking, **kwargs):
        YoungPerson.objects.create(
            structure=Structure.default(), first_name="Fantôme", email="fantome@example.org"
        )
        raise RuntimeError("a receiver bug")

    booking_changed.connect(half_done)
    try:
        booking = book_individual(samira, individuel, structure)
    finally:
        booking_changed.disconnect(half_done)

    assert Booking.objects.get() == booking
    assert not YoungPerson.objects.filter(email="fantome@example.org").exists()
    assert "booking_changed receiver" in caplog.text
