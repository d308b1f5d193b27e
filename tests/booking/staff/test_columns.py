"""What the admin's listings say, in French: seats are "Places" and the Place model
"Lieux", yes or no rather than True or False, dates as the site writes them."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from booking.models import Closure
from structures.models import Structure

from ..factories import PlaceFactory, paris


def listing(client, model):
    response = client.get(reverse(f"wagtailsnippets_booking_{model}:list"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def headers(page):
    return [" ".join(th.get_text().split()) for th in page.select("table.listing thead th")]


def cells(page, column):
    index = headers(page).index(column)
    return [" ".join(row.select("td")[index].get_text().split()) for row in rows(page)]


def rows(page):
    return page.select("table.listing tbody tr")


def test_a_group_sessions_seats_are_places_and_its_place_a_lieu(
    manager_client, samira, make_session
):
    make_session(samira, "2030-03-04 14:00", capacity=8)

    page = listing(manager_client, "groupsession")

    assert "Places" in headers(page)
    assert "Lieu" in headers(page)
    assert "Lieux" not in headers(page)
    assert cells(page, "Places") == ["8"]


def test_the_place_model_is_still_lieux(manager_client, structure):
    page = listing(manager_client, "place")

    assert "Lieux" in page.find("title").get_text()


@pytest.mark.parametrize("model", ["counsellor", "format", "place"])
def test_active_reads_yes_or_no(manager_client, samira, structure, model):
    PlaceFactory(name="Ancienne antenne", active=False)
    page = listing(manager_client, model)

    active = cells(page, "Actif")

    assert set(active) <= {"Oui", "Non"}
    assert active
    assert "True" not in page.select_one("table.listing").get_text()
    assert "False" not in page.select_one("table.listing").get_text()


def test_inactive_rows_say_non(manager_client, structure):
    PlaceFactory(name="Ancienne antenne", active=False)
    page = listing(manager_client, "place")

    names = [row.select_one("td a").get_text(strip=True) for row in rows(page)]
    active = dict(zip(names, cells(page, "Actif"), strict=True))
    assert active == {"Espace Passerelle": "Oui", "Ancienne antenne": "Non"}


def test_a_closure_starting_on_the_first_reads_1er(manager_client):
    Closure.objects.create(
        structure=Structure.default(),
        label="Pont de la rentrée",
        start_date=date(2030, 9, 1),
        end_date=date(2030, 9, 2),
    )
    page = listing(manager_client, "closure")

    assert cells(page, "Premier jour de fermeture") == ["1er septembre 2030"]
    assert cells(page, "Dernier jour de fermeture") == ["2 septembre 2030"]


def test_an_absence_reads_its_moments_in_words(samira_client, samira):
    samira.absences.create(start=paris("2030-09-01 09:00"), end=paris("2030-09-01 12:00"))
    page = listing(samira_client, "absence")

    assert cells(page, "Début") == ["dimanche 1er septembre 2030 à 9 h"]
    assert cells(page, "Fin") == ["dimanche 1er septembre 2030 à 12 h"]
