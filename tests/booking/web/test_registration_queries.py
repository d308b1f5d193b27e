"""The event page and a registration's manage page cost the same queries with 3 or 300
registrations on the date."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.models import Registration, SeatPool, YoungPerson
from structures.models import Structure

from ..registrations_support import open_event, register
from .test_registrations import manage_url

pytestmark = pytest.mark.django_db

# Measured: 12 for the event page (the page, its dates, the frame, and one for the
# seats of every date shown) and 7 for the manage page (the link's registration, the
# offers to expire, the position, the person's others, the frame).
EVENT_PAGE_QUERIES = 12
MANAGE_PAGE_QUERIES = 7


def filled(home, count, *, confirmed):
    """An event whose date has `count` people: `confirmed` of them with a seat (as many
    as its capacity), the others waiting; and the last one in the list."""
    event = open_event(home, onsite=confirmed, title=f"Portes ouvertes {count}")
    first = register(event, f"Premier{count}")
    people = YoungPerson.objects.bulk_create(
        YoungPerson(
            structure=Structure.default(), first_name=f"P{n}", email=f"p{n}-{count}@example.org"
        )
        for n in range(count - 1)
    )
    Status = Registration.Status
    Registration.objects.bulk_create(
        Registration(
            date=first.date,
            pool=first.pool,
            young_person=person,
            status=Status.CONFIRMED if n < confirmed - 1 else Status.WAITING,
            source=Registration.Source.WEB,
        )
        for n, person in enumerate(people)
    )
    SeatPool.objects.filter(pk=first.pool_id).update(seats_confirmed=confirmed)
    return event, Registration.objects.filter(pool=first.pool).last()


def queries(client, url):
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_event_page_costs_the_same_with_3_or_300_registrations(client, home):
    few, _last = filled(home, 3, confirmed=2)
    many, _last = filled(home, 300, confirmed=150)

    assert "Complet — liste d’attente" in client.get(many.url).content.decode()
    counts = queries(client, few.url), queries(client, many.url)
    assert counts[0] == counts[1] <= EVENT_PAGE_QUERIES, counts


def test_the_manage_page_costs_the_same_with_3_or_300_registrations(client, home):
    _event, few = filled(home, 3, confirmed=1)
    _event, many = filled(home, 300, confirmed=1)

    assert "numéro 299" in client.get(manage_url(many)).content.decode()
    counts = (
        queries(client, manage_url(few, sent=True)),
        queries(client, manage_url(many, sent=True)),
    )
    assert counts[0] == counts[1] <= MANAGE_PAGE_QUERIES, counts
