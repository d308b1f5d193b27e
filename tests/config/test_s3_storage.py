"""Media in an S3 bucket (S3_BUCKET_NAME), against a real S3 server (SeaweedFS).

What the demo uploads through Wagtail (a portrait, a video, its poster and captions) lands
in the bucket, is readable at its plain address by anyone, renditions are written there
too, and the captions can be read by the site's pages from another origin (CORS).
"""

import importlib.util
import re
import urllib.error
import urllib.request
import uuid

import pytest

from tests.counsellors.factories import CounsellorIndexPageFactory, CounsellorPageFactory
from tests.support import ROOT

SITE = "https://passerelle.example.org"


def load_bucket_script():
    """scripts/s3-bucket.py, the script operators run, so the tests check its rules."""
    spec = importlib.util.spec_from_file_location("s3_bucket", ROOT / "scripts" / "s3-bucket.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def bucket(s3_server, settings):
    """A fresh bucket, set up by scripts/s3-bucket.py, as the site's media storage."""
    name = f"passerelle-{uuid.uuid4().hex[:12]}"
    load_bucket_script().prepare_bucket(s3_server.client(), name, SITE)
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage(name)}
    return name


def fetch(url, **headers):
    """GET `url` as a browser would, without any credentials."""
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
        return r.status, r.headers, r.read()


def keys(s3_server, bucket):
    listing = s3_server.client().list_objects_v2(Bucket=bucket)
    return {item["Key"] for item in listing.get("Contents", [])}


def test_uploads_and_renditions_live_in_the_bucket(client, home, s3_server, bucket):
    page = CounsellorPageFactory(parent=CounsellorIndexPageFactory(parent=home), title="Samia")
    portrait, video = page.photo, page.video
    rendition = portrait.get_rendition("fill-240x240-c100")

    stored = keys(s3_server, bucket)
    for file in (portrait.file, rendition.file, video.file, video.thumbnail, video.subtitles_file):
        assert file.name in stored
        assert file.url.startswith(f"{s3_server.endpoint_url}/{bucket}/")
        assert "Signature" not in file.url, "no signed address, which would expire in caches"
    assert rendition.file.name.startswith("images/")

    status, headers, body = fetch(rendition.url)
    assert status == 200 and body[:3] == b"\xff\xd8\xff"  # the JPEG crop, made on demand
    assert fetch(video.file.url)[2] == b"not really a video"
    assert fetch(video.subtitles_file.url)[2].startswith(b"WEBVTT")


def test_the_counsellors_page_plays_captions_from_the_bucket(client, home, s3_server, bucket):
    page = CounsellorPageFactory(parent=CounsellorIndexPageFactory(parent=home), title="Samia")

    html = client.get(page.url).content.decode()

    assert 'crossorigin="anonymous"' in html
    track = re.search(r'<track kind="captions" src="([^"]+)"', html).group(1)
    assert track == page.video.subtitles_file.url
    status, headers, body = fetch(track, Origin=SITE)
    assert status == 200 and body.startswith(b"WEBVTT")
    assert headers["Access-Control-Allow-Origin"] == SITE
    other = fetch(track, Origin="https://elsewhere.example")
    assert other[1]["Access-Control-Allow-Origin"] is None, "only the site may read them"


def test_nobody_can_list_or_write_without_the_keys(s3_server, bucket):
    with pytest.raises(urllib.error.HTTPError) as listing:
        fetch(f"{s3_server.endpoint_url}/{bucket}/")
    assert listing.value.code == 403
    upload = urllib.request.Request(
        f"{s3_server.endpoint_url}/{bucket}/intrus.html", data=b"<h1>x</h1>", method="PUT"
    )
    with pytest.raises(urllib.error.HTTPError) as writing:
        urllib.request.urlopen(upload, timeout=30)
    assert writing.value.code == 403
