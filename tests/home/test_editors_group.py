"""The "Éditeurs" group made by a migration: pages yes, accounts and settings no."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import StandardPage


@pytest.fixture
def editor_client(client, home):
    user = get_user_model().objects.create_user("claire", "claire@example.org", "secret")
    user.groups.add(Group.objects.get(name="Éditeurs"))
    client.force_login(user)
    return client


def test_an_editor_opens_the_page_tree_and_the_new_page_form(editor_client, home):
    assert editor_client.get(reverse("wagtailadmin_explore", args=[home.pk])).status_code == 200
    response = editor_client.get(reverse("wagtailadmin_pages:add_subpage", args=[home.pk]))
    assert response.status_code == 200


def test_an_editor_publishes_a_page(editor_client, home):
    url = reverse("wagtailadmin_pages:add", args=["home", "standardpage", home.pk])
    data = nested_form_data(
        {
            "title": "Mentions légales",
            "slug": "mentions-legales",
            "intro": "",
            "body": streamfield([("paragraph", rich_text("<p>La Mission Locale.</p>"))]),
            "action-publish": "action-publish",
        }
    )
    assert editor_client.post(url, data).status_code == 302
    assert StandardPage.objects.get(slug="mentions-legales").live


def test_an_editor_cannot_manage_accounts_or_site_settings(editor_client, home):
    settings_url = reverse(
        "wagtailsettings:edit", args=["home", "siteidentity", home.get_site().pk]
    )
    for url in (reverse("wagtailusers_users:index"), settings_url):
        response = editor_client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response.url == reverse("wagtailadmin_home"), url
