"""A structure's editors write its site's pages and its media, never another's."""

import pytest
from wagtail.models import Collection, Page

from structures.models import Structure
from tests.booking.factories import UserFactory

pytestmark = pytest.mark.django_db


def editor_of(structure):
    user = UserFactory(username=f"editor-{structure.pk}")
    user.groups.add(structure.editors)
    return user


def test_each_structure_has_an_editors_group_on_its_own_site_and_collection(lens, other_structure):
    lens.refresh_from_db(), other_structure.refresh_from_db()
    assert lens.editors != other_structure.editors
    assert other_structure.editors.name == "Éditeurs – Mission Locale Sud"
    assert other_structure.collection.name == "Mission Locale Sud"
    assert Collection.objects.get(pk=other_structure.collection.pk).get_parent().is_root()


def test_an_editor_edits_their_sites_pages_only(lens, other_structure):
    sud_editor = editor_of(Structure.objects.get(pk=other_structure.pk))
    sud_home = other_structure.site.root_page
    lens_page = Page.objects.get(pk=lens.site.root_page_id)

    assert sud_home.permissions_for_user(sud_editor).can_edit()
    assert sud_home.permissions_for_user(sud_editor).can_publish()
    assert not lens_page.permissions_for_user(sud_editor).can_edit()


def test_renaming_a_structure_renames_its_group_and_collection(other_structure):
    other_structure.name = "Mission Locale de l'Est"
    other_structure.save()
    other_structure.refresh_from_db()
    assert other_structure.editors.name == "Éditeurs – Mission Locale de l'Est"
    assert other_structure.collection.name == "Mission Locale de l'Est"
