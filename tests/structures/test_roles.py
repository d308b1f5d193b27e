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
