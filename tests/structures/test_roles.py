"""The admin shows a structure to those who work for it: its staff, its counsellors
and the network's administrators; someone of another structure finds nothing there,
listed or guessed."""

import pytest
from django.test import Client
from django.urls import reverse

from booking.models import Place
from booking.staff.personal_data import PERSONAL_DATA
from tests.booking.factories import UserFactory, YoungPersonFactory

from .conftest import LENS_HOST, SUD_HOST, admin_url

pytestmark = pytest.mark.django_db


def signed_in(user, host):
    client = Client(headers={"host": host})
    client.force_login(user)
    return client


@pytest.fixture
def sud_manager(other_structure):
    manager = UserFactory(username="responsable-sud", groups=["Responsables"])
    other_structure.members.add(manager)
    return manager


def test_a_manager_sees_their_structure_and_nothing_of_another(
    lens_counsellor, sud_counsellor, sud_manager
):
    on_sud, on_lens = signed_in(sud_manager, SUD_HOST), signed_in(sud_manager, LENS_HOST)
    lens_place = Place.objects.get(name="Bureau samia")

    assert "Bureau nathalie" in on_sud.get(admin_url("place", "list")).content.decode()
    assert "Bureau samia" not in on_lens.get(admin_url("place", "list")).content.decode()
    assert on_lens.get(admin_url("place", "edit", lens_place.pk)).status_code == 404
    assert on_lens.get(admin_url("place", "add")).status_code in (302, 403)
    assert not Place.objects.filter(name="Posé ailleurs").exists()


def test_a_counsellor_works_for_the_structures_they_are_booked_in(lens_counsellor, other_structure):
    on_sud = signed_in(lens_counsellor.user, SUD_HOST)
    on_lens = signed_in(lens_counsellor.user, LENS_HOST)
    rules = admin_url("availabilityrule", "list")

    assert "Bureau samia" in on_lens.get(rules).content.decode()
    assert "Bureau samia" not in on_sud.get(rules).content.decode()


def test_personal_data_of_a_structure_only_for_its_own_staff(lens, other_structure, sud_manager):
    """Lens's manager cannot export Sud's people, even on Sud's site."""
    manager = UserFactory(username="responsable-lens", groups=["Responsables"])
    lens.members.add(manager)
    ines = YoungPersonFactory(structure=other_structure, email="ines@example.org")
    export = reverse(PERSONAL_DATA.get_url_name("export"), args=[ines.pk])

    assert signed_in(sud_manager, SUD_HOST).get(export).status_code == 200
    assert signed_in(manager, SUD_HOST).get(export).status_code in (302, 403)


def structure_settings(structure):
    return reverse("wagtailsettings:edit", args=["structures", "structure", structure.site_id])


def settings_form(client, structure, **changes):
    """The structure's settings as its form shows them, with `changes`."""
    response = client.get(structure_settings(structure))
    assert response.status_code == 200
    form = response.context["form"]
    data = {
        name: form[name].value() if form[name].value() is not None else "" for name in form.fields
    }
    return {**data, **changes}


def test_a_manager_changes_their_own_structure_and_not_another(lens, other_structure, sud_manager):
    on_sud = signed_in(sud_manager, SUD_HOST)

    response = on_sud.post(
        structure_settings(other_structure),
        settings_form(on_sud, other_structure, reply_to_email="accueil@sud.example.org"),
    )

    assert response.status_code == 302
    other_structure.refresh_from_db()
    assert other_structure.reply_to_email == "accueil@sud.example.org"
    assert on_sud.get(structure_settings(lens)).status_code in (302, 403)
    assert on_sud.post(structure_settings(lens), {"name": "Pris"}).status_code in (302, 403)
    lens.refresh_from_db()
    assert lens.name != "Pris"


def test_a_manager_cannot_add_staff_to_their_structure(other_structure, sud_manager):
    """Who works for a structure is the network's to say: the field is not in the form,
    and a crafted POST leaves the staff as they were."""
    intruder = UserFactory(username="intrus", groups=["Responsables"])
    on_sud = signed_in(sud_manager, SUD_HOST)
    data = settings_form(on_sud, other_structure)
    assert "members" not in data

    on_sud.post(structure_settings(other_structure), {**data, "members": [intruder.pk]})

    assert list(other_structure.members.all()) == [sud_manager]


@pytest.fixture
def network_user(db):
    return UserFactory(username="reseau", groups=["Réseau"])


def test_the_network_role_sees_and_manages_every_structure(
    lens, other_structure, lens_counsellor, sud_counsellor, network_user
):
    for host, structure, place in (
        (LENS_HOST, lens, "Bureau samia"),
        (SUD_HOST, other_structure, "Bureau nathalie"),
    ):
        client = signed_in(network_user, host)
        assert place in client.get(admin_url("place", "list")).content.decode()
        data = settings_form(client, structure, members=[network_user.pk])
        assert client.post(structure_settings(structure), data).status_code == 302
        assert list(structure.members.all()) == [network_user]
    assert not network_user.is_superuser


def test_the_network_role_is_not_an_administrator(network_user):
    client = signed_in(network_user, LENS_HOST)

    assert client.get(reverse("wagtailusers_users:index")).status_code in (302, 403)
    assert client.get(reverse("wagtailsites:index")).status_code in (302, 403)
