"""An absence saved over confirmed bookings: they are listed at once, with a way to move
or cancel each, and the listings say so until none is left."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import Absence, Booking

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
