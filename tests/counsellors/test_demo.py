from io import StringIO
from pathlib import Path

from django.core.management import call_command
from wagtail.images import get_image_model

from counsellors import demo
from counsellors.models import AccessibleMedia, CounsellorIndexPage, CounsellorPage

from .factories import CounsellorIndexPageFactory, CounsellorPageFactory


def test_loading_twice_gives_four_captioned_profiles(home):
    demo.load(home)
    index = demo.load(home)

    profiles = CounsellorPage.objects.child_of(index).live()
    assert index.slug == "conseilleres-et-conseillers"
    assert profiles.count() == 4
    assert AccessibleMedia.objects.count() == 4
    assert get_image_model().objects.count() == 4
    for page in profiles:
        page.full_clean()
        page.video.full_clean()  # the sample .vtt files pass the upload checks
        assert page.photo and page.video.subtitles_file and page.video.thumbnail
        assert len(page.intro) <= 400
        assert page.video.transcript and "-->" not in page.video.transcript


def test_the_demo_never_touches_what_editors_made(home):
    index = CounsellorIndexPageFactory(parent=home, title="L'équipe", slug="equipe")
    samia = CounsellorPageFactory(parent=index, title="Samia", slug="samia", intro="Mon texte.")

    assert demo.load(home).pk == index.pk
    assert CounsellorIndexPage.objects.get().title == "L'équipe"
    samia.refresh_from_db()
    assert samia.intro == "Mon texte."
    assert CounsellorPage.objects.child_of(index).count() == 4


def test_the_sample_files_stay_small():
    for path in Path(demo.DEMO_MEDIA).iterdir():
        limit = 300_000 if path.suffix == ".mp4" else 20_000
        assert path.stat().st_size < limit, path.name


def test_the_transcript_is_the_captions_without_timings():
    vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nBonjour,\nmoi c'est Samia.\n\n"
    vtt += "00:00:02.000 --> 00:00:04.000\nÀ bientôt !\n"
    assert demo.transcript_from_vtt(vtt) == "Bonjour, moi c'est Samia. À bientôt !"


def test_demo_profiles_offer_booking_with_their_counsellor(client, db):
    call_command("load_demo", stdout=StringIO())
    profile = CounsellorPage.objects.get(slug="samia")

    html = client.get(profile.url).content.decode()

    assert profile.counsellor.slug == "samia"
    assert 'href="/rendez-vous/?conseiller=samia"' in html
    assert "Prendre rendez-vous avec moi" in html
