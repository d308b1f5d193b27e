"""Editors upload the captions and type the transcript in the same form as the video."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Collection

from counsellors.models import AccessibleMedia

from .factories import WEBVTT


def upload(admin_client, subtitles):
    return admin_client.post(
        reverse("wagtailmedia:add", args=("video",)),
        {
            "title": "Présentation de Samia",
            "file": SimpleUploadedFile("samia.mp4", b"video", content_type="video/mp4"),
            "collection": Collection.get_first_root_node().pk,
            "duration": "15",
            "width": "480",
            "height": "270",
            "subtitles_file": subtitles,
            "transcript": "Bonjour, moi c'est Samia.",
            "tags": "",
        },
    )


def test_the_upload_form_asks_for_captions_and_transcript(admin_client):
    html = admin_client.get(reverse("wagtailmedia:add", args=("video",))).content.decode()
    assert 'name="subtitles_file"' in html
    assert 'name="transcript"' in html


def test_captions_and_transcript_are_saved_with_the_video(admin_client):
    response = upload(admin_client, SimpleUploadedFile("samia.vtt", WEBVTT, "text/vtt"))

    assert response.status_code == 302
    media = AccessibleMedia.objects.get()
    assert media.subtitles_file.name.endswith(".vtt")
    assert media.subtitles_file.read() == WEBVTT
    assert media.transcript == "Bonjour, moi c'est Samia."

    edit_url = reverse("wagtailmedia:edit", args=(media.pk,))
    assert "Bonjour, moi c&#x27;est Samia." in admin_client.get(edit_url).content.decode()


@pytest.mark.parametrize(
    "subtitles",
    [
        SimpleUploadedFile("samia.srt", WEBVTT, "text/plain"),
        SimpleUploadedFile("samia.vtt", b"1\n00:00:00,000 --> 00:00:02,000\nBonjour", "text/vtt"),
    ],
    ids=["wrong extension", "not webvtt"],
)
def test_other_subtitle_files_are_refused(admin_client, subtitles):
    response = upload(admin_client, subtitles)

    assert response.status_code == 200
    assert "subtitles_file" in response.context["form"].errors
    assert not AccessibleMedia.objects.exists()
