"""The admin's home page shows staff today's and the next appointments: a counsellor
their own, a manager the structure's, each linking to its page, with no more than the
booking list shows, in the same number of queries for 3 appointments or 30."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from booking.models import Booking, YoungPerson
from booking.staff.dashboard import AppointmentsPanel

from ..factories import BookingFactory, UserFactory, paris

HOME = reverse("wagtailadmin_home")
NOW = paris("2030-03-04 08:00")  # a Monday morning


@pytest.fixture(autouse=True)
def monday_morning(monkeypatch):
    monkeypatch.setattr(AppointmentsPanel, "clock", staticmethod(lambda: NOW))


def panel(client):
    response = client.get(HOME)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").find(id="appointments-section")


def section(found, title):
    heading = found.find("h3", string=title)
    table = heading.find_next_sibling()
    if table.name != "table":
        return table.get_text(strip=True)
    return [
        [" ".join(cell.get_text().split()) for cell in row.find_all("td")]
        for row in table.tbody("tr")
    ]


@pytest.fixture
def week(samira, julien):
    """Samira: Léa at 14:30 today, Tom tomorrow at 10:00, a cancelled one today;
    Julien: Inès today at 9:00."""
    return {
        "lea": BookingFactory(
            counsellor=samira, start=paris("2030-03-04 14:30"), young_person__first_name="Léa"
        ),
        "tom": BookingFactory(
            counsellor=samira, start=paris("2030-03-05 10:00"), young_person__first_name="Tom"
        ),
        "cancelled": BookingFactory(
            counsellor=samira,
            start=paris("2030-03-04 11:00"),
            young_person__first_name="Annulé",
            status=Booking.Status.CANCELLED_BY_PERSON,
        ),
        "ines": BookingFactory(
            counsellor=julien, start=paris("2030-03-04 09:00"), young_person__first_name="Inès"
        ),
    }


def test_a_counsellor_sees_their_own_appointments_of_today_and_next(samira_client, week):
    found = panel(samira_client)

    today = section(found, "Aujourd’hui")
    coming = section(found, "Prochains rendez-vous")
    assert [row[:2] for row in today] == [["14 h 30", "Léa"]]
    assert [row[:2] for row in coming] == [["mardi 5 mars 2030 à 10 h", "Tom"]]
    assert "Inès" not in found.get_text() and "Annulé" not in found.get_text()


def test_each_appointment_links_to_its_page(samira_client, week):
    found = panel(samira_client)

    link = found.find("a", string="14 h 30")
    assert link["href"] == reverse("wagtailsnippets_booking_booking:inspect", args=[week["lea"].pk])
    assert samira_client.get(link["href"]).status_code == 200
    assert found.find("a", string="Tous les rendez-vous")["href"] == reverse(
        "wagtailsnippets_booking_booking:list"
    )


def test_a_manager_sees_the_structures_appointments_with_their_counsellor(
    manager_client, week, samira, julien
):
    today = section(panel(manager_client), "Aujourd’hui")

    assert [row[:3] for row in today] == [
        ["9 h", julien.first_name, "Inès"],
        ["14 h 30", samira.first_name, "Léa"],
    ]


def test_no_contact_details_are_shown(samira_client, week):
    text = panel(samira_client).get_text()

    assert week["lea"].young_person.email not in text
    assert "@" not in text


def test_a_quiet_day_says_so(samira_client, samira):
    found = panel(samira_client)

    assert section(found, "Aujourd’hui") == "Aucun rendez-vous aujourd’hui."
    assert section(found, "Prochains rendez-vous") == "Aucun rendez-vous après aujourd’hui."


def test_staff_without_appointments_see_no_panel(client, db):
    client.force_login(UserFactory(username="claire", groups=["Éditeurs"]))

    assert panel(client) is None


def test_the_panel_costs_the_same_for_3_or_30_appointments(
    samira_client, samira, django_assert_max_num_queries
):
    def count_queries(bookings):
        for index in range(bookings):
            BookingFactory(
                counsellor=samira,
                start=NOW + timedelta(hours=2 + 7 * index),
                young_person__first_name=f"P{index}",
            )
        samira_client.get(HOME)  # the site's structure, read once, is cached
        with django_assert_max_num_queries(40) as captured:
            assert samira_client.get(HOME).status_code == 200
        Booking.objects.all().delete()
        YoungPerson.objects.all().delete()
        return len(captured)

    assert count_queries(3) == count_queries(30)
