"""Editors can create and edit both page types through the Wagtail admin."""

from django.urls import reverse
from wagtail.test.utils.form_data import rich_text

from counsellors.models import CounsellorIndexPage, CounsellorPage

from .factories import AccessibleMediaFactory, CounsellorPageFactory


def add_url(parent, model_name):
    return reverse("wagtailadmin_pages:add", args=("counsellors", model_name, parent.pk))


def test_an_editor_can_publish_the_index(admin_client, home):
    url = add_url(home, "counsellorindexpage")
    assert admin_client.get(url).status_code == 200
    data = {"title": "Nos conseillers", "slug": "conseillers", "action-publish": "publish"}
    data["intro"] = rich_text("<p>Choisis la personne qui t'accompagne.</p>")
    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert CounsellorIndexPage.objects.get().live


def test_an_editor_can_publish_a_profile_with_an_uploaded_video(admin_client, index):
    media = AccessibleMediaFactory()
    data = {
        "title": "Samia",
        "slug": "samia",
        "role": "Conseillère emploi",
        "intro": "Je t'écoute.",
        "languages": "français",
        "video": media.pk,
        "action-publish": "publish",
    }
    response = admin_client.post(add_url(index, "counsellorpage"), data)

    assert response.status_code == 302
    page = CounsellorPage.objects.get(slug="samia")
    assert page.live and page.video == media


def test_the_editor_sees_why_a_profile_is_refused(admin_client, index):
    data = {"title": "Samia", "slug": "samia", "role": "Conseillère", "intro": "Bonjour."}
    data |= {"languages": "français", "embed_url": "https://www.youtube.com/embed/abc"}
    response = admin_client.post(add_url(index, "counsellorpage"), data)

    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"embed_url"}
    assert not CounsellorPage.objects.exists()


def test_an_editor_can_edit_a_profile(admin_client, index):
    page = CounsellorPageFactory(parent=index)
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert response.status_code == 200
