"""The front desk: staff book for someone and move appointments from the admin, through
the slot engine and booking.services; a counsellor only with themselves, nobody across
structures."""

from datetime import UTC, timedelta

import pytest
import recurrence
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from booking import services
from booking.models import Booking, Notification, Registration
from structures.models import Structure

from ..factories import WEEKDAYS, BookingFactory, CounsellorFactory, FormatFactory, paris

EVERY_DAY = [*WEEKDAYS, recurrence.SA, recurrence.SU]


def url(view, *args):
    return reverse(f"wagtailsnippets_booking_booking:{view}", args=args)


@pytest.fixture(autouse=True)
def open_every_day(settings):
    """Tomorrow may be a public holiday: the tests book tomorrow whatever the date."""
    settings.BOOKING_CLOSED_ON_PUBLIC_HOLIDAYS = False


@pytest.fixture
def tomorrow():
    """The day after tomorrow, in fact: beyond the 24 hours' notice whatever the time."""
    return timezone.localdate() + timedelta(days=2)


@pytest.fixture
def ines(make_counsellor):
    """Open every day of the week, 9:00 to 12:00, and can sign in as a counsellor."""
    return make_counsellor("ines", days=EVERY_DAY, team=True)


@pytest.fixture
def noe(make_counsellor):
    return make_counsellor("noe", days=EVERY_DAY, team=True)


def choice(counsellor, fmt, place, **extra):
    return {"format": fmt.pk, "counsellor": counsellor.pk, "place": place.pk, **extra}


def slot_key(start):
    return start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def at(day, hour):
    return paris(f"{day} {hour}")


# Booking for someone --------------------------------------------------------------


def test_a_manager_books_for_someone_who_gets_the_usual_e_mail(
    manager_client, ines, individuel, structure, tomorrow, django_capture_on_commit_callbacks
):
    listing = manager_client.get(url("list")).content.decode()
    page = manager_client.get(url("book_for_someone"), choice(ines, individuel, structure))
    start = at(tomorrow, "10:00")
    assert f'href="{url("book_for_someone")}"' in listing
    assert page.status_code == 200
    assert f'value="{slot_key(start)}"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            url("book_for_someone"),
            {
                **choice(ines, individuel, structure),
                "slot": slot_key(start),
                "first_name": "Léa",
                "email": "Lea@Example.org",
            },
        )

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("inspect", booking.pk)
    assert (booking.counsellor, booking.start, booking.source) == (ines, start, "staff")
    assert booking.young_person.email == "lea@example.org"
    assert Notification.objects.get().kind == "booked"
    assert [message.to for message in mail.outbox] == [["lea@example.org"]]


def test_the_notice_is_lifted_only_when_staff_say_so(manager_client, ines, structure, tomorrow):
    three_days = FormatFactory(slug="trois-jours", minimum_notice_hours=72)
    ines.formats.add(three_days)
    start = at(tomorrow, "09:00")
    chosen = choice(ines, three_days, structure)
    details = {"slot": slot_key(start), "first_name": "Noah", "phone": "06 12 34 56 78"}

    listed = manager_client.get(url("book_for_someone"), chosen).content.decode()
    refused = manager_client.post(url("book_for_someone"), {**chosen, **details})
    lifted = manager_client.get(
        url("book_for_someone"), {**chosen, "override_limits": "on"}
    ).content.decode()

    assert slot_key(start) not in listed
    assert refused.status_code == 400
    assert "Noah" in refused.content.decode()  # what was typed stays
    assert not Booking.objects.exists()
    assert slot_key(start) in lifted

    manager_client.post(url("book_for_someone"), {**chosen, **details, "override_limits": "on"})

    assert Booking.objects.get().start == start


def test_a_time_taken_meanwhile_is_refused_and_what_was_typed_stays(
    manager_client, ines, individuel, structure, tomorrow
):
    start = at(tomorrow, "10:00")
    BookingFactory(counsellor=ines, format=individuel, place=structure, start=start)

    response = manager_client.post(
        url("book_for_someone"),
        {
            **choice(ines, individuel, structure, override_limits="on"),
            "slot": slot_key(start),
            "first_name": "Sacha",
            "email": "sacha@example.org",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "vient d’être pris" in page
    assert 'value="sacha@example.org"' in page
    assert Booking.objects.count() == 1


def test_a_counsellor_books_only_with_themselves(
    client, ines, noe, individuel, structure, tomorrow
):
    client.force_login(ines.user)

    page = client.get(url("book_for_someone")).content.decode()
    response = client.post(
        url("book_for_someone"),
        {
            **choice(noe, individuel, structure),
            "slot": slot_key(at(tomorrow, "10:00")),
            "first_name": "Léa",
            "email": "lea@example.org",
        },
    )

    assert "Ines" in page and "Noe" not in page
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_nobody_books_in_a_structure_they_do_not_work_for(
    manager, ines, individuel, structure, other_structure, settings
):
    settings.ALLOWED_HOSTS = ["sud.localhost", "testserver"]
    elsewhere = Client(headers={"host": "sud.localhost"})
    elsewhere.force_login(manager)
    stranger = Client()  # a counsellor of Sud, on Lens's site
    stranger.force_login(CounsellorFactory(structures=[other_structure], team=True).user)

    for client in (elsewhere, stranger):
        response = client.get(url("book_for_someone"))
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))


def test_someone_who_phones_for_a_full_session_goes_on_its_waiting_list(
    manager_client,
    make_counsellor,
    collectif,
    make_session,
    structure,
    django_capture_on_commit_callbacks,
):
    nadia = make_counsellor("nadia", formats=[collectif], days=EVERY_DAY)
    day = timezone.localdate() + timedelta(days=3)
    session = make_session(nadia, f"{day} 14:00", capacity=1)
    services.book(group_session=session, first_name="Ana", email="ana@example.org", consent=True)
    chosen = choice(nadia, collectif, structure, week=day.isoformat())
    page = manager_client.get(url("book_for_someone"), chosen).content.decode()
    key = f"liste-{session.pk}"
    assert f'value="{key}"' in page and "Complet\u00a0: inscrire sur la liste d’attente" in page
    typed = {**chosen, "slot": key, "first_name": "Léa", "email": "lea@example.org", "phone": ""}

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(url("book_for_someone"), typed)

    assert response.status_code == 302
    lea = Registration.objects.get(young_person__first_name="Léa")
    assert (lea.status, lea.source) == (Registration.Status.WAITING, Registration.Source.STAFF)
    assert lea.date.group_session == session
    assert "liste d’attente" in manager_client.get(response["Location"]).content.decode()
    assert [message.to for message in mail.outbox if "attente" in message.subject] == [
        ["lea@example.org"]
    ]
    again = manager_client.post(url("book_for_someone"), typed)
    assert again.status_code == 400
    assert 'value="Léa"' in again.content.decode()
    assert Registration.objects.filter(young_person__first_name="Léa").count() == 1


def test_the_listing_costs_the_same_however_many_bookings_the_week_has(
    manager_client, ines, individuel, structure, tomorrow, django_assert_max_num_queries
):
    chosen = choice(ines, individuel, structure)
    manager_client.get(url("book_for_someone"), chosen)  # warms the session and caches
    with django_assert_max_num_queries(30) as few:
        manager_client.get(url("book_for_someone"), chosen)
    for day in range(2, 7):
        BookingFactory(
            counsellor=ines,
            format=individuel,
            place=structure,
            start=at(tomorrow + timedelta(days=day), "09:00"),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        manager_client.get(url("book_for_someone"), chosen)


# Moving --------------------------------------------------------------------------


def test_a_manager_moves_an_appointment_to_another_counsellor(
    manager_client, ines, noe, individuel, structure, tomorrow, django_capture_on_commit_callbacks
):
    booking = BookingFactory(
        counsellor=ines, format=individuel, place=structure, start=at(tomorrow, "09:00")
    )
    target = at(tomorrow, "11:00")

    page = manager_client.get(url("move", booking.pk), choice(noe, individuel, structure))
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            url("move", booking.pk),
            {**choice(noe, individuel, structure), "slot": slot_key(target)},
        )

    assert slot_key(target) in page.content.decode()
    assert url("cancel", booking.pk) in page.content.decode()
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.counsellor, booking.start, booking.sequence) == (noe, target, 1)
    assert Notification.objects.get(booking=booking).kind == "moved"


def test_a_counsellor_moves_their_own_appointments_only_and_keeps_them(
    client, ines, noe, individuel, structure, tomorrow
):
    mine = BookingFactory(
        counsellor=ines, format=individuel, place=structure, start=at(tomorrow, "09:00")
    )
    theirs = BookingFactory(
        counsellor=noe, format=individuel, place=structure, start=at(tomorrow, "09:00")
    )
    client.force_login(ines.user)
    later = slot_key(at(tomorrow, "11:00"))

    assert client.get(url("move", theirs.pk)).status_code == 404
    assert (
        client.post(
            url("move", theirs.pk), {**choice(noe, individuel, structure), "slot": later}
        ).status_code
        == 404
    )
    to_noe = client.post(
        url("move", mine.pk), {**choice(noe, individuel, structure), "slot": later}
    )
    client.post(url("move", mine.pk), {**choice(ines, individuel, structure), "slot": later})

    assert to_noe.status_code == 400
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.counsellor, mine.start) == (ines, at(tomorrow, "11:00"))
    assert theirs.start == at(tomorrow, "09:00")


def test_another_structures_appointment_is_not_found(
    manager_client, individuel, other_structure, tomorrow
):
    sud_format = FormatFactory(structure=other_structure, slug="sud")
    booking = BookingFactory(format=sud_format, start=at(tomorrow, "09:00"))
    assert booking.structure == other_structure != Structure.default()

    assert manager_client.get(url("move", booking.pk)).status_code == 404
