"""A counsellor edits and publishes their own profile page, and only that: another
counsellor's page, found by guessing its address, is refused."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from counsellors.models import CounsellorPage
from tests.booking.factories import CounsellorFactory

from .factories import CounsellorPageFactory


@pytest.fixture
def samira(db):
    return CounsellorFactory(slug="samira", team=True)


@pytest.fixture
def julien(db):
    return CounsellorFactory(slug="julien", team=True)


@pytest.fixture
def samira_page(index, samira):
    return CounsellorPageFactory(parent=index, title="Samira", slug="samira", counsellor=samira)


@pytest.fixture
def julien_page(index, julien):
    return CounsellorPageFactory(parent=index, title="Julien", slug="julien", counsellor=julien)


@pytest.fixture
def samira_client(samira):
    client = Client()
    client.force_login(samira.user)
    return client


def refused(response):
    """Wagtail's answer to a page the user may not touch (its PermissionDenied, a 403,
    turned into a redirect to the dashboard with "Sorry, you do not have permission")."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def profile_data(page, **changes):
    data = {
        "title": page.title,
        "slug": page.slug,
        "counsellor": page.counsellor_id or "",
        "photo": page.photo_id or "",
        "role": page.role,
        "intro": page.intro,
        "languages": page.languages,
        "help_topics": page.help_topics,
        "video": page.video_id or "",
        "embed_url": "",
        "embed_title": "",
        "embed_transcript": "",
    }
    return data | changes


def test_a_counsellor_publishes_a_change_to_their_own_profile(samira_client, samira_page):
    assert samira_client.get(edit_url(samira_page)).status_code == 200

    data = profile_data(samira_page, intro="On se voit au café ?", **{"action-publish": "1"})
    response = samira_client.post(edit_url(samira_page), data)

    assert response.status_code == 302
    samira_page.refresh_from_db()
    assert samira_page.live and samira_page.intro == "On se voit au café ?"
    assert samira_client.get(samira_page.url).status_code == 200


@pytest.mark.parametrize(
    "view", ["edit", "delete", "unpublish", "move", "copy", "history", "add_subpage"]
)
def test_another_counsellors_page_is_refused(samira_client, samira_page, julien_page, view):
    url = reverse(f"wagtailadmin_pages:{view}", args=[julien_page.pk])

    assert refused(samira_client.get(url))
    assert refused(samira_client.post(url, profile_data(julien_page, intro="Piraté")))
    julien_page.refresh_from_db()
    assert julien_page.intro != "Piraté" and julien_page.live


@pytest.mark.parametrize("view", ["delete", "move", "copy", "add_subpage"])
def test_a_counsellor_does_nothing_else_with_their_own_page(samira_client, samira_page, view):
    url = reverse(f"wagtailadmin_pages:{view}", args=[samira_page.pk])

    assert refused(samira_client.get(url))
    assert refused(samira_client.post(url))
    assert CounsellorPage.objects.filter(pk=samira_page.pk, live=True).exists()


def test_a_counsellor_cannot_hand_their_profile_to_someone_else(samira_client, samira_page, julien):
    data = profile_data(samira_page, counsellor=julien.pk, **{"action-publish": "1"})

    assert samira_client.post(edit_url(samira_page), data).status_code == 302

    samira_page.refresh_from_db()
    assert samira_page.counsellor_id == samira_page.counsellor.pk
    assert samira_page.counsellor.slug == "samira"


def test_their_menu_leads_to_their_own_page(samira_client, samira_page, julien_page):
    menu = samira_client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Ma page de profil" in menu
    assert edit_url(samira_page) in menu
    assert edit_url(julien_page) not in menu


def test_a_counsellor_without_a_profile_has_no_such_menu(samira_client, julien_page):
    menu = samira_client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Ma page de profil" not in menu


def test_other_pages_stay_closed(samira_client, samira_page, index):
    for page in (index, Page.objects.get(pk=index.get_parent().pk)):
        assert refused(samira_client.get(edit_url(page)))
