"""An absence saved over confirmed bookings: they are listed at once, with a way to move
or cancel each, and the listings say so until none is left."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from booking import services
from booking.models import Absence, Booking, Place

from ..factories import BookingFactory, CounsellorFactory, FormatFactory, PlaceFactory, paris


def url(model, view, *args):
    return reverse(f"wagtailsnippets_booking_{model}:{view}", args=args)


CLASHES = reverse("booking_clashes:index")


@pytest.fixture
def day():
    return timezone.localdate() + timedelta(days=3)


def absence_data(day, **extra):
    return {"start": f"{day} 08:00", "end": f"{day} 18:00", **extra}


def test_saving_an_absence_over_a_booking_lists_it_until_it_is_cancelled(
    samira_client, samira, day
):
    booking = BookingFactory(counsellor=samira, start=paris(f"{day} 10:00"))

    saved = samira_client.post(url("absence", "add"), absence_data(day), follow=True)

    assert saved.redirect_chain[-1][0] == CLASHES
    page = saved.content.decode()
    assert url("booking", "move", booking.pk) in page
    assert url("booking", "cancel", booking.pk) in page
    assert "1 rendez-vous tombe pendant une absence" in page
    listing = samira_client.get(url("booking", "list")).content.decode()
    assert "1 rendez-vous tombe pendant une absence" in listing

    samira_client.post(url("booking", "cancel", booking.pk), {"message": "Je suis absente."})

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_STAFF
    assert "pendant une absence" not in samira_client.get(url("booking", "list")).content.decode()
    assert url("booking", "move", booking.pk) not in samira_client.get(CLASHES).content.decode()


def test_an_absence_over_no_booking_saves_as_usual(samira_client, samira, day):
    BookingFactory(counsellor=samira, start=paris(f"{day} 10:00"), status="cancelled_by_person")

    response = samira_client.post(url("absence", "add"), absence_data(day))

    assert response["Location"] == url("absence", "list")


def test_a_manager_sees_every_clash_a_counsellor_only_their_own(
    manager_client, samira_client, samira, julien, day
):
    theirs = BookingFactory(counsellor=julien, start=paris(f"{day} 10:00"))

    saved = manager_client.post(
        url("absence", "add"), absence_data(day, counsellor=julien.pk), follow=True
    )

    assert url("booking", "move", theirs.pk) in saved.content.decode()
    assert url("booking", "move", theirs.pk) not in samira_client.get(CLASHES).content.decode()
    assert Absence.objects.get().counsellor == julien


def test_the_page_costs_the_same_however_many_clashes(
    samira_client, samira, day, django_assert_max_num_queries
):
    Absence.objects.create(
        counsellor=samira, start=paris(f"{day} 08:00"), end=paris(f"{day} 18:00")
    )
    BookingFactory(counsellor=samira, start=paris(f"{day} 09:00"))
    samira_client.get(CLASHES)
    with django_assert_max_num_queries(30) as one:
        samira_client.get(CLASHES)
    for hour in ("10:00", "11:00", "14:00", "15:00"):
        BookingFactory(counsellor=samira, start=paris(f"{day} {hour}"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = samira_client.get(CLASHES).content.decode()
    assert page.count("/move/") == 5


def test_another_structures_clashes_are_not_shown(manager_client, other_structure, day):
    sud = FormatFactory(structure=other_structure, slug="sud")
    counsellor = CounsellorFactory(structures=[other_structure], formats=[sud])
    counsellor.places.add(PlaceFactory(structure=other_structure))
    booking = BookingFactory(counsellor=counsellor, start=paris(f"{day} 10:00"))
    Absence.objects.create(
        counsellor=counsellor, start=paris(f"{day} 08:00"), end=paris(f"{day} 18:00")
    )

    page = manager_client.get(CLASHES).content.decode()

    assert url("booking", "move", booking.pk) not in page
    assert "pendant une absence" not in manager_client.get(url("booking", "list")).content.decode()


@pytest.fixture
def at_home(db):
    return PlaceFactory(kind=Place.Kind.HOME, name="Chez toi")


def first_meeting_then_home_visit(samira, day, at_home):
    """Léa's first meeting, at the structure's place, then a home visit two days later."""
    first = BookingFactory(counsellor=samira, start=paris(f"{day} 10:00"))
    samira.places.add(at_home)
    visit = BookingFactory(
        counsellor=samira, place=at_home, start=paris(f"{day + timedelta(days=2)} 10:00")
    )
    assert first.young_person == visit.young_person
    return first, visit


LEFT_FIRST = "1 visite à domicile passe désormais avant tout premier rendez-vous"


def test_a_home_visit_left_first_by_a_cancellation_is_shown_until_staff_deal_with_it(
    samira_client, samira, day, at_home
):
    """The person cancels their first meeting: the home visit is not cancelled behind
    anyone's back, it is listed for staff to move or cancel."""
    first, visit = first_meeting_then_home_visit(samira, day, at_home)
    listing = samira_client.get(url("booking", "list")).content.decode()
    assert LEFT_FIRST not in listing

    services.cancel(first, by=services.Actor.PERSON)

    visit.refresh_from_db()
    assert visit.status == Booking.Status.CONFIRMED
    assert LEFT_FIRST in samira_client.get(url("booking", "list")).content.decode()
    page = samira_client.get(CLASHES).content.decode()
    assert "À domicile avant tout premier rendez-vous" in page
    assert url("booking", "move", visit.pk) in page
    assert url("booking", "cancel", visit.pk) in page
    assert url("booking", "move", first.pk) not in page

    samira_client.post(url("booking", "cancel", visit.pk), {"message": "Voyons-nous d'abord."})

    assert LEFT_FIRST not in samira_client.get(url("booking", "list")).content.decode()
    assert url("booking", "move", visit.pk) not in samira_client.get(CLASHES).content.decode()


def test_staff_cancelling_the_first_meeting_are_told_at_once(samira_client, samira, day, at_home):
    first, visit = first_meeting_then_home_visit(samira, day, at_home)

    cancelled = samira_client.post(
        url("booking", "cancel", first.pk), {"message": "Je suis absente."}, follow=True
    )

    assert cancelled.redirect_chain[-1][0] == url("booking", "inspect", first.pk)
    assert LEFT_FIRST in cancelled.content.decode()
    visit.refresh_from_db()
    assert visit.status == Booking.Status.CONFIRMED


def test_a_home_visit_after_another_meeting_is_not_flagged(samira_client, samira, day, at_home):
    first, visit = first_meeting_then_home_visit(samira, day, at_home)
    BookingFactory(counsellor=samira, start=paris(f"{day} 14:00"), status="attended")
    services.cancel(first, by=services.Actor.PERSON)
    assert LEFT_FIRST not in samira_client.get(url("booking", "list")).content.decode()
    assert url("booking", "move", visit.pk) not in samira_client.get(CLASHES).content.decode()


def test_home_visits_left_first_cost_the_same_however_many(
    samira_client, samira, day, at_home, django_assert_max_num_queries
):
    samira.places.add(at_home)

    def visits(count):
        for index in range(count):
            BookingFactory(
                counsellor=samira,
                place=at_home,
                start=paris(f"{day + timedelta(days=index)} 10:00"),
                young_person__email=f"p{index}@example.org",
            )

    visits(1)
    samira_client.get(CLASHES)
    with django_assert_max_num_queries(30) as one:
        samira_client.get(CLASHES)
    Booking.objects.all().delete()
    visits(5)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = samira_client.get(CLASHES).content.decode()
    assert page.count("/move/") == 5
