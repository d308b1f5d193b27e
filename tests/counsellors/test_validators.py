import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from counsellors.validators import validate_privacy_friendly_embed_url, validate_webvtt


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube-nocookie.com/embed/abc123",
        "https://youtube-nocookie.com/embed/abc123?cc_load_policy=1",
        "https://player.vimeo.com/video/76979871?dnt=1",
        "https://player.vimeo.com/video/76979871?h=8272103f6e&dnt=1",
        "https://peertube.example.org/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d",
        "https://video.example.fr/videos/embed/kmUxFRPe7XBPo9gyVoGMAh",
    ],
)
def test_privacy_friendly_players_are_accepted(url):
    validate_privacy_friendly_embed_url(url)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://www.youtube.com/embed/abc123", "not_privacy_friendly"),
        ("https://www.youtube.com/watch?v=abc123", "not_privacy_friendly"),
        ("https://www.youtube-nocookie.com/watch?v=abc123", "not_privacy_friendly"),
        ("https://player.vimeo.com/video/76979871", "not_privacy_friendly"),
        ("https://player.vimeo.com/video/76979871?dnt=0", "not_privacy_friendly"),
        ("https://vimeo.com/76979871?dnt=1", "not_privacy_friendly"),
        ("https://peertube.example.org/w/kmUxFRPe7XBPo9gyVoGMAh", "not_privacy_friendly"),
        ("http://peertube.example.org/videos/embed/kmUxFRPe7XBPo9gyVoGMAh", "not_https"),
        ("https://www.youtube-nocookie.com/embed/abc123?autoplay=1", "autoplay"),
        ("https://player.vimeo.com/video/76979871?dnt=1&autoplay=true", "autoplay"),
    ],
)
def test_tracking_or_autoplaying_players_are_refused(url, code):
    with pytest.raises(ValidationError) as error:
        validate_privacy_friendly_embed_url(url)
    assert error.value.code == code


@pytest.mark.parametrize(
    "content",
    [
        b"WEBVTT\n\n00:00.000 --> 00:01.000\nBonjour",
        b"\xef\xbb\xbfWEBVTT - sous-titres\n",
        b"WEBVTT",
    ],
)
def test_webvtt_files_are_accepted_and_rewound(content):
    file = ContentFile(content, name="captions.vtt")
    validate_webvtt(file)
    assert file.read() == content


@pytest.mark.parametrize(
    "content", [b"1\n00:00:00,000 --> 00:00:01,000\nBonjour", b"WEBVTTX\n", b""]
)
def test_other_files_are_refused(content):
    with pytest.raises(ValidationError) as error:
        validate_webvtt(ContentFile(content, name="captions.vtt"))
    assert error.value.code == "not_webvtt"
