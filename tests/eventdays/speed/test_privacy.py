"""A young person's wishes and schedule follow booking's privacy: in their export, gone
when they are erased or purged; the pros' contacts go with the structure's retention."""

from datetime import timedelta

import pytest
from django.utils import timezone

from booking.models import EventDate, Registration
from booking.services import privacy
from eventdays.models import Seat, Sector, Wish
from eventdays.speed import services
from structures.models import Structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def lina(meeting):
    lina = Registration.objects.get(young_person__first_name="Lina")
    services.set_wishes(lina, sectors=[Sector.HEALTH], pros=[meeting.pros.get(table=2)])
    services.draft(meeting)
    services.publish(meeting)
    return lina


def test_the_export_has_the_wishes_and_the_schedule(lina):
    exported = privacy.export_person(lina.young_person)
    assert {wish["sector"] or wish["pro"] for wish in exported["speed_meeting_wishes"]} == {
        "Santé",
        "Boulangerie Ody (Boulangerie)",
    }
    seats = Seat.objects.filter(registration=lina, published=True).order_by("round")
    assert [seat["round"] for seat in exported["speed_meeting_schedules"]] == [
        seat.round + 1 for seat in seats
    ]
    assert seats


def test_erasing_the_person_takes_their_wishes_and_seats(lina):
    yanis = Registration.objects.get(young_person__first_name="Yanis")
    privacy.erase_person(lina.young_person)
    assert not Wish.objects.filter(registration=lina).exists()
    assert not Seat.objects.filter(registration=lina).exists()
    assert Seat.objects.filter(registration=yanis).exists()


def test_the_purge_takes_old_wishes_seats_and_the_pros_contacts(lina, meeting):
    long_ago = timezone.now() - timedelta(days=800)
    EventDate.objects.update(start=long_ago, end=long_ago + timedelta(hours=3))
    privacy.purge(Structure.default(), months=12)
    assert not Wish.objects.exists() and not Seat.objects.exists()
    pro = meeting.pros.get(table=1)
    assert pro.email == "" and pro.consent_at is None and pro.name == pro.company
