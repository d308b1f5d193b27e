"""The booking privacy notice: said with "tu", naming the structure as data controller,
stating what is kept, why, for how long and how to have it erased, and completed by
each structure in its settings."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from structures.models import Structure

PRIVACY = reverse("booking:privacy")


def notice(client, **headers):
    response = client.get(PRIVACY, **headers)
    assert response.status_code == 200
    main = BeautifulSoup(response.content, "html.parser").select_one(".booking-privacy")
    return " ".join(main.get_text().split())


@pytest.fixture
def structure_settings(db):
    structure = Structure.default()
    structure.name = "Mission Locale de Lens-Liévin"
    structure.retention_months = 6
    structure.save()
    return structure


def test_the_notice_speaks_to_the_young_person_with_tu(client, structure_settings):
    text = notice(client)

    assert "Tes données personnelles" in text
    assert "tu prends rendez-vous" in text
    for formal in (" vous ", " vos ", " votre ", "Vous ", "Vos ", "Votre "):
        assert formal not in f" {text} ", formal


def test_by_default_the_structure_is_the_data_controller(client, structure_settings):
    text = notice(client)

    assert (
        "Mission Locale de Lens-Liévin, qui organise ces rendez-vous, est responsable de "
        "tes données." in text
    )


def test_it_says_what_is_kept_why_for_how_long_and_how_to_erase_it(client, structure_settings):
    text = notice(client)

    assert "Ton prénom." in text
    assert "l’adresse e-mail, le numéro de portable ou les deux" in text
    assert "pas de publicité" in text
    assert "Nous effaçons tes données 6 mois après ton dernier rendez-vous." in text
    assert "Pour voir, corriger ou effacer tes données" in text
    assert "nos coordonnées sont en bas de la page" in text


def test_the_structure_writes_who_answers_for_the_data_and_how_to_ask(client, structure_settings):
    structure_settings.privacy_controller = (
        "Association Mission Locale de Lens-Liévin\n12 rue de la Gare, 62300 Lens"
    )
    structure_settings.privacy_contact = "Écris à dpo@ml-lens.example.org <b>ou</b> appelle-nous."
    structure_settings.save()

    response = client.get(PRIVACY)
    text = notice(client)

    assert "Association Mission Locale de Lens-Liévin" in text
    assert "12 rue de la Gare, 62300 Lens" in text
    assert "qui organise ces rendez-vous" not in text
    assert "dpo@ml-lens.example.org" in text
    assert "nos coordonnées sont en bas de la page" not in text
    assert "<b>ou</b>" not in response.content.decode()  # typed text, never markup
    assert "Nous effaçons tes données 6 mois" in text  # the facts stay the site's


def test_each_structure_names_itself(client, structure_settings, other_structure, settings):
    settings.ALLOWED_HOSTS = ["testserver", "sud.localhost"]
    other_structure.privacy_controller = "Mission Locale Sud, Saint-Denis"
    other_structure.retention_months = 3
    other_structure.save()

    here, there = notice(client), notice(client, HTTP_HOST="sud.localhost")

    assert "Mission Locale Sud" not in here
    assert "Mission Locale Sud, Saint-Denis" in there
    assert "Lens-Liévin" not in there
    assert "3 mois" in there


def test_a_manager_edits_the_notice_in_the_structure_settings(manager_client, structure_settings):
    url = reverse(
        "wagtailsettings:edit", args=["structures", "structure", structure_settings.site_id]
    )
    form = manager_client.get(url)

    assert form.status_code == 200
    assert 'name="privacy_controller"' in form.content.decode()
    assert 'name="privacy_contact"' in form.content.decode()
