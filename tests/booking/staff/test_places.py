"""Where a meeting at home, by phone or by video is held: on the booking's page, for its
counsellor and managers only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from booking.models import Place

from ..factories import HOME_ADDRESS, BookingFactory, CounsellorFactory, PlaceFactory


def inspect(booking):
    return reverse("wagtailsnippets_booking_booking:inspect", args=[booking.pk])


def test_the_counsellor_of_a_home_visit_and_managers_see_the_address(
    samira_client, samira, manager_client
):
    at_home = PlaceFactory(kind=Place.Kind.HOME, name="Chez toi")
    samira.places.add(at_home)
    booking = BookingFactory(
        counsellor=samira, place=at_home, **{**HOME_ADDRESS, "home_street": "12 rue <b>Zola</b>"}
    )

    for client in (samira_client, manager_client):
        page = client.get(inspect(booking)).content.decode()
        assert "12 rue &lt;b&gt;Zola&lt;/b&gt;<br>62300 Lens<br>Bâtiment B, 2e étage" in page


def test_another_counsellor_never_sees_the_address(client, samira, julien):
    at_home = PlaceFactory(kind=Place.Kind.HOME, name="Chez toi")
    booking = BookingFactory(counsellor=samira, place=at_home, **HOME_ADDRESS)
    client.force_login(julien.user)

    response = client.get(inspect(booking))

    assert response.status_code in (302, 404)
    assert "rue des Écoles" not in response.content.decode()


def test_the_counsellor_sees_the_number_to_call_and_the_video_link(samira_client, samira):
    by_phone = PlaceFactory(kind=Place.Kind.PHONE, name="Par téléphone")
    by_video = PlaceFactory(kind=Place.Kind.VIDEO, name="En visio")
    samira.video_url = "https://visio.example.org/samira"
    samira.save()

    called = BookingFactory(counsellor=samira, place=by_phone, call_phone="+33612345678")
    seen = BookingFactory(counsellor=samira, place=by_video, start=called.start.replace(hour=11))

    assert "06 12 34 56 78" in samira_client.get(inspect(called)).content.decode()
    assert "https://visio.example.org/samira" in samira_client.get(inspect(seen)).content.decode()


def test_a_counsellors_video_link_must_be_https(db):
    counsellor = CounsellorFactory(video_url="http://visio.example.org/samira")
    with pytest.raises(ValidationError) as refused:
        counsellor.full_clean()
    assert refused.value.message_dict["video_url"] == [
        gettext("Give an address starting with https://.")
    ]
