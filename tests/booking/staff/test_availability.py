"""A group session's admin: its seats booked and offered, and who waits, linked to the
session's list of registrations and offers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from booking import services
from booking.models import EventDate
from booking.services import registrations
from structures.models import Structure

pytestmark = pytest.mark.django_db


def test_the_sessions_list_shows_seats_and_queue_and_leads_to_who_waits(
    samira_client, samira, collectif, make_session
):
    samira.formats.add(collectif)
    day = timezone.localdate() + timedelta(days=3)
    session = make_session(samira, f"{day} 14:00", capacity=1)
    services.book(group_session=session, first_name="Ana", email="ana@example.org", consent=True)
    for name in ("Cleo", "Dan"):
        registrations.join_waiting_list(
            session,
            structure=Structure.default(),
            first_name=name,
            email=f"{name.lower()}@example.org",
            consent=True,
        )

    response = samira_client.get(reverse("wagtailsnippets_booking_groupsession:list"))
    [row] = response.context["object_list"]
    assert (row.booked, row.offered, row.waiting) == (1, 0, 2)
    date = EventDate.objects.get(group_session=session)
    queue = reverse("booking_registrations:date", args=[date.pk])
    assert f'href="{queue}"' in response.content.decode()

    page = samira_client.get(queue).content.decode()
    assert "Cleo" in page and "Dan" in page


def test_the_event_dates_list_leaves_the_sessions_to_their_own_admin(
    samira_client, samira, collectif, make_session
):
    samira.formats.add(collectif)
    session = make_session(samira, f"{timezone.localdate() + timedelta(days=3)} 14:00")
    response = samira_client.get(reverse("booking_registrations:index"))
    assert EventDate.objects.get(group_session=session) not in list(response.context["dates"])
