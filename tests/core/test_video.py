"""The site's one video player, rendered alone (pages check it in their own tests)."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def media(**fields):
    values = {
        "url": "/media/samia.mp4",
        "sources": [{"src": "/media/samia.mp4", "type": "video/mp4"}],
        "width": 1280,
        "height": 720,
        "thumbnail": SimpleNamespace(url="/media/samia.jpg"),
        "subtitles_file": SimpleNamespace(url="/media/samia.vtt"),
        "transcript": "Bonjour, moi c'est Samia.",
    }
    return SimpleNamespace(**{**values, **fields})


def test_the_player_downloads_nothing_before_play_and_has_translated_captions():
    html = render_to_string("includes/video.html", {"video": media(), "title": "Samia"})
    assert (
        '<video controls preload="none" playsinline crossorigin="anonymous" width="1280"'
    ) in html, "captions from a media origin of their own need CORS"
    assert 'poster="/media/samia.jpg"' in html
    assert "autoplay" not in html
    assert (
        '<track kind="captions" src="/media/samia.vtt" srclang="fr" label="Français" default>'
    ) in html
    assert "<figcaption>Samia</figcaption>" in html
    assert '<details class="transcript">' in html and "Samia." in html


def test_the_player_takes_a_class_and_may_leave_its_caption_to_a_heading():
    html = render_to_string(
        "includes/video.html",
        {"video": media(transcript=""), "title": "Samia", "class": "x", "hide_caption": True},
    )
    assert '<video class="x" controls preload="none" playsinline' in html
    assert "<figcaption>" not in html
    assert "<details" not in html


def test_a_video_without_captions_is_not_fetched_by_cors():
    html = render_to_string(
        "includes/video.html", {"video": media(subtitles_file=None), "title": "S"}
    )
    assert "crossorigin" not in html and "<track" not in html
