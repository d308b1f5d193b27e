"""A new install lists only the project's groups: Wagtail's "Editors" and "Moderators"
go, and nobody who was in them loses what they could do."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow

migration = importlib.import_module("home.migrations.0006_remove_wagtail_default_groups")


def remove_wagtail_groups():
    migration.remove_wagtail_groups(apps, schema_editor=None)


def member(group, username):
    user = get_user_model().objects.create_user(username, f"{username}@example.org")
    user.groups.add(group)
    return user


def test_a_new_install_has_only_the_projects_groups(db):
    names = set(Group.objects.values_list("name", flat=True))

    assert {"Editors", "Moderators"}.isdisjoint(names)
    assert "Éditeurs" in names


def test_pages_submitted_for_moderation_still_have_approvers(db):
    task = GroupApprovalTask.objects.get()

    assert list(task.groups.values_list("name", flat=True)) == ["Éditeurs"]
    assert task.name == "Validation des Éditeurs"
    assert Workflow.objects.filter(name="Validation des Éditeurs").exists()


def test_members_of_a_group_with_no_more_rights_join_editeurs(db):
    editors = Group.objects.create(name="Editors")
    GroupPagePermission.objects.create(
        group=editors, page=Page.get_first_root_node(), permission_type="change"
    )
    claire = member(editors, "claire")

    remove_wagtail_groups()

    assert not Group.objects.filter(name="Editors").exists()
    assert list(claire.groups.values_list("name", flat=True)) == ["Éditeurs"]


def test_a_group_giving_more_than_editeurs_is_kept_with_its_members(db):
    moderators = Group.objects.create(name="Moderators")
    moderators.permissions.add(Permission.objects.get(codename="add_user"))
    paul = member(moderators, "paul")

    remove_wagtail_groups()

    assert list(paul.groups.values_list("name", flat=True)) == ["Moderators"]


@pytest.mark.parametrize("name", ["Editors", "Moderators"])
def test_an_empty_group_goes_whatever_it_gave(db, name):
    group = Group.objects.create(name=name)
    group.permissions.add(Permission.objects.get(codename="add_user"))

    remove_wagtail_groups()

    assert not Group.objects.filter(name=name).exists()
