"""A counsellor edits and publishes their own profile page and uploads their own video
to their structure's collection, and only that: another counsellor's page or video,
found by guessing its address, is refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from counsellors.models import AccessibleMedia, CounsellorPage
from structures.models import Structure
from tests.booking.factories import CounsellorFactory, UserFactory

from .factories import WEBVTT, CounsellorPageFactory


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


# Their own video, in their structure's collection ------------------------------------


def upload_video(client, collection, title="Ma présentation"):
    return client.post(
        reverse("wagtailmedia:add", args=("video",)),
        {
            "title": title,
            "file": SimpleUploadedFile("moi.mp4", b"video", content_type="video/mp4"),
            "collection": collection.pk,
            "duration": "15",
            "width": "480",
            "height": "270",
            "subtitles_file": SimpleUploadedFile("moi.vtt", WEBVTT, "text/vtt"),
            "transcript": "Bonjour, moi c'est Samira.",
            "tags": "",
        },
    )


def test_a_counsellor_uploads_their_video_to_their_structures_collection(samira_client, samira):
    collection = Structure.default().collection

    assert upload_video(samira_client, collection).status_code == 302

    video = AccessibleMedia.objects.get(title="Ma présentation")
    assert video.collection == collection and video.uploaded_by_user == samira.user
    assert samira_client.get(reverse("wagtailmedia:edit", args=[video.pk])).status_code == 200


def test_never_to_another_structures_collection(samira_client, samira, other_structure):
    """Their structure's is the only collection they may add to, so Wagtail's form
    neither offers another nor takes one sent."""
    form = samira_client.get(reverse("wagtailmedia:add", args=("video",))).content.decode()
    upload_video(samira_client, other_structure.collection)

    assert other_structure.collection.name not in form
    video = AccessibleMedia.objects.get(title="Ma présentation")
    assert video.collection == Structure.default().collection


def test_another_counsellors_video_is_neither_listed_nor_editable(
    samira_client, samira, julien, julien_page
):
    theirs = julien_page.video
    theirs.collection, theirs.uploaded_by_user = Structure.default().collection, julien.user
    theirs.save()

    edit = samira_client.get(reverse("wagtailmedia:edit", args=[theirs.pk]))
    chooser = samira_client.get(reverse("wagtailmedia:chooser"))

    assert edit.status_code in (302, 403)
    assert theirs.title not in chooser.content.decode()


def test_their_page_takes_their_own_video_and_no_one_elses(
    samira_client, samira_page, julien_page, samira
):
    upload_video(samira_client, Structure.default().collection)
    mine = AccessibleMedia.objects.get(title="Ma présentation")

    stolen = profile_data(samira_page, video=julien_page.video_id, **{"action-publish": "1"})
    refused_video = samira_client.post(edit_url(samira_page), stolen)
    chosen = profile_data(samira_page, video=mine.pk, **{"action-publish": "1"})
    accepted = samira_client.post(edit_url(samira_page), chosen)

    assert "video" in refused_video.context["form"].errors
    assert accepted.status_code == 302
    samira_page.refresh_from_db()
    assert samira_page.video == mine


def test_a_counsellor_who_leaves_the_structure_leaves_its_videos(samira, other_structure):
    group = Structure.default().counsellors_media

    assert samira.user.groups.filter(pk=group.pk).exists()
    samira.structures.set([other_structure])
    assert not samira.user.groups.filter(pk=group.pk).exists()
    assert samira.user.groups.filter(pk=other_structure.counsellors_media_id).exists()


def test_an_account_given_to_someone_else_takes_its_videos_with_it(samira, julien):
    group = Structure.default().counsellors_media
    previous = samira.user
    samira.user = UserFactory(username="remplacante")
    samira.save()

    assert not previous.groups.filter(pk=group.pk).exists()
    assert samira.user.groups.filter(pk=group.pk).exists()
