"""/r/<code>: the few characters a text message spends on its link, leading (302) to the
manage page signed at that moment, for its own structure only, as long as a manage
link would live."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from booking.models import Booking, ShortLink
from booking.services import privacy
from booking.services.tokens import make_token, read_token, short_url

from ..flow_support import book, free_slots


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_the_short_link_leads_to_the_manage_page(client, samira):
    booking = book(free_slots(samira)[0], email="", phone="+33781234567")
    url = short_url(booking)
    code = url.rsplit("/", 1)[1]
    assert url == f"http://localhost/r/{code}"
    assert len(code) == 9 and code.isalnum()

    response = client.get(path_of(url))
    assert response.status_code == 302
    assert response["Location"].startswith("/rendez-vous/gerer/")
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    token = response["Location"].split("/")[3]
    assert read_token(token, booking.structure).booking == booking
    page = client.get(response["Location"])
    assert page.status_code == 200 and samira.first_name in page.content.decode()


def test_the_same_booking_keeps_its_link_and_codes_differ_between_bookings(samira):
    first, second = free_slots(samira)[:2]
    one = book(first, email="", phone="+33781234567")
    other = book(second, email="", phone="+33781234568")
    assert short_url(one) == short_url(one)
    assert short_url(one) != short_url(other)
    assert short_url(one, reminder=True) != short_url(one)


def test_a_moved_booking_is_shown_as_it_is_now(client, samira):
    first, second = free_slots(samira)[:2]
    booking = book(first, email="", phone="+33781234567")
    url = short_url(booking)
    Booking.objects.filter(pk=booking.pk).update(sequence=3)
    response = client.get(path_of(url))
    booking.refresh_from_db()
    assert response["Location"] == reverse("booking:manage", args=[make_token(booking)])


def test_unknown_codes_and_other_structures_codes_find_nothing(
    client, samira, other_structure, settings
):
    settings.ALLOWED_HOSTS = ["localhost", "sud.localhost", "testserver"]
    booking = book(free_slots(samira)[0], email="", phone="+33781234567")
    code = short_url(booking).rsplit("/", 1)[1]
    assert client.get("/r/AAAAAAAAA").status_code == 404
    assert client.get(f"/r/{code}", headers={"host": "sud.localhost"}).status_code == 404
    assert client.get(f"/r/{code}").status_code == 302


def test_the_short_link_expires_with_the_manage_link(client, samira, settings):
    booking = book(free_slots(samira)[0], email="", phone="+33781234567")
    code = short_url(booking).rsplit("/", 1)[1]
    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() - timedelta(days=3),
        end=timezone.now() - timedelta(days=3) + timedelta(minutes=45),
        busy_until=timezone.now() - timedelta(days=3) + timedelta(hours=1),
    )
    response = client.get(f"/r/{code}")
    assert response.status_code == 410

    later = book(free_slots(samira)[1], email="", phone="+33781234568")
    later_code = short_url(later).rsplit("/", 1)[1]
    ShortLink.objects.filter(code=later_code).update(
        created_at=timezone.now() - settings.BOOKING_MANAGE_LINK_MAX_AGE - timedelta(days=1)
    )
    assert client.get(f"/r/{later_code}").status_code == 410


def test_erasing_the_person_removes_their_short_links(client, samira):
    booking = book(free_slots(samira)[0], email="", phone="+33781234567")
    code = short_url(booking).rsplit("/", 1)[1]
    privacy.erase_person(booking.young_person)
    assert not ShortLink.objects.exists()
    assert client.get(f"/r/{code}").status_code == 404


def test_the_purge_removes_old_short_links(samira):
    booking = book(free_slots(samira)[0], email="", phone="+33781234567")
    short_url(booking)
    long_ago = timezone.now() - timedelta(days=500)
    Booking.objects.filter(pk=booking.pk).update(
        start=long_ago,
        end=long_ago + timedelta(minutes=45),
        busy_until=long_ago + timedelta(hours=1),
    )
    privacy.purge(booking.structure)
    assert not ShortLink.objects.exists()
