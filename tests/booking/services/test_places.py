"""What the services keep of where a meeting is held: the address of a home visit, checked
for every channel, and a video meeting's room."""

import pytest

from booking import services
from booking.models import Place
from booking.services import InvalidDetails

from ..factories import HOME_ADDRESS, PlaceFactory, paris


@pytest.fixture
def at_home(db):
    return PlaceFactory(kind=Place.Kind.HOME, name="Chez toi")


def test_an_address_is_tidied_and_a_spaced_postcode_read(at_home):
    typed = {
        "home_street": "  12   rue des Écoles ",
        "home_postcode": "62 300",
        "home_town": "Lens",
    }
    assert services.clean_home_address(at_home, typed) == {
        "home_street": "12 rue des Écoles",
        "home_postcode": "62300",
        "home_town": "Lens",
        "home_access": "",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"home_street": " "}, "home_street"),
        ({"home_postcode": ""}, "home_postcode"),
        ({"home_postcode": "6230"}, "home_postcode"),
        ({"home_postcode": "F-62300"}, "home_postcode"),
        ({"home_town": ""}, "home_town"),
        ({"home_street": "x" * 201}, "home_street"),
        ({"home_access": "x" * 301}, "home_access"),
        ({"home_access": "code\x00"}, "home_access"),
    ],
)
def test_a_wrong_address_names_the_field_to_correct(at_home, change, field):
    with pytest.raises(InvalidDetails) as refused:
        services.clean_home_address(at_home, {**HOME_ADDRESS, **change})
    assert refused.value.field == field


def test_an_address_is_never_kept_for_a_place_of_ours(db):
    office = PlaceFactory(kind=Place.Kind.STRUCTURE)
    assert set(services.clean_home_address(office, HOME_ADDRESS).values()) == {""}


def test_each_video_meeting_gets_its_own_room_and_moving_keeps_it(make_counsellor, individuel):
    by_video = PlaceFactory(kind=Place.Kind.VIDEO, name="En visio")
    ines = make_counsellor("ines", place=by_video)
    now = paris("2026-03-02 08:00")

    def book(email, start):
        return services.book(
            first_name="Léa",
            email=email,
            consent=True,
            format=individuel,
            place=by_video,
            start=paris(start),
            counsellor=ines,
            now=now,
        )

    first, second = (
        book("a@example.org", "2026-03-03 09:00"),
        book("b@example.org", "2026-03-03 10:00"),
    )
    assert len({first.video_room, second.video_room}) == 2
    assert first.video_url == ""  # neither a link of Inès nor a video service

    moved = services.move(first, by="person", start=paris("2026-03-04 09:00"), now=now)
    assert moved.video_room == first.video_room
