import re

from django.utils.html import escape
from wagtail.images import get_image_model

from counsellors.models import CounsellorPage

from .factories import CounsellorPageFactory


def get_html(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_profile_plays_a_captioned_video_on_request_only(client, index):
    page = CounsellorPageFactory(parent=index, title="Samia")
    media = page.video
    html = get_html(client, page)

    assert html.count("<h1") == 1
    assert '<video class="counsellor-video__player" controls preload="none" playsinline' in html
    assert f'poster="{media.thumbnail.url}"' in html
    assert f'<source src="{media.url}" type="video/mp4">' in html
    assert (
        f'<track kind="captions" src="{media.subtitles_file.url}" srclang="fr" '
        'label="Français" default>'
    ) in html
    assert "autoplay" not in html
    transcript = re.search(r"<details class=\"transcript\">(.*?)</details>", html, re.S).group(1)
    assert "<summary>" in transcript
    assert "Je t&#x27;écoute sans te juger." in transcript


def test_the_profile_shows_who_the_counsellor_is(client, index):
    page = CounsellorPageFactory(parent=index, title="Samia", languages="français, arabe")
    html = get_html(client, page)

    assert "<h1>Samia</h1>" in html
    assert page.role in html
    assert "<li>français</li>" in html and "<li>arabe</li>" in html
    assert "<li>Trouver une formation</li>" in html
    assert re.search(r'<img alt="" class="counsellor-portrait"[^>]* loading="lazy"', html)
    assert f'href="{index.url}"' in html


def test_an_embedded_video_has_a_title_and_a_transcript(client, index):
    page = CounsellorPageFactory(parent=index, embedded=True)
    html = get_html(client, page)

    assert (
        '<iframe src="https://www.youtube-nocookie.com/embed/abc123" '
        'title="Présentation de Samia" loading="lazy"'
    ) in html
    assert "<video" not in html and "autoplay" not in html
    assert '<details class="transcript">' in html
    assert "Bonjour, moi c&#x27;est Samia." in html


def test_the_index_lists_live_profiles_as_cards(client, index):
    samia = CounsellorPageFactory(parent=index, title="Samia", languages="français, LSF")
    draft = CounsellorPageFactory(parent=index, title="Brouillon", live=False)
    html = get_html(client, index)

    assert html.count("<h1") == 1
    assert f'<a href="{samia.url}">Samia</a>' in html
    assert escape(samia.role) in html and escape(samia.intro) in html
    assert "<li>LSF</li>" in html
    assert draft.title not in html


def test_a_profile_without_photo_shows_its_initial(client, index):
    page = CounsellorPageFactory(parent=index, title="Yanis", photo=None)
    html = get_html(client, index)
    assert 'aria-hidden="true">Y</span>' in html
    assert html.count("<img") == 0
    assert page.title in html


# Generous enough for what base.html adds (site settings, menus), far below one per card.
INDEX_QUERY_BOUND = 20


def test_the_index_costs_the_same_queries_for_3_or_30_profiles(
    client, index, django_assert_max_num_queries
):
    query_counts = []
    for count in (3, 30):
        while CounsellorPage.objects.count() < count:
            CounsellorPageFactory(parent=index)
        get_html(client, index)  # the first visit generates the new portrait renditions

        with django_assert_max_num_queries(INDEX_QUERY_BOUND) as queries:
            html = get_html(client, index)
        assert html.count('class="card counsellor-card"') == count
        query_counts.append(len(queries))
    assert query_counts[0] == query_counts[1]
    assert get_image_model().get_rendition_model().objects.count() == 30


def test_a_profile_survives_its_media_being_changed_after_publication(client, index):
    page = CounsellorPageFactory(parent=index)
    page.video.subtitles_file = ""
    page.video.transcript = ""
    page.video.save()
    html = get_html(client, page)
    assert "<video" in html and "<track" not in html and 'class="transcript"' not in html

    page.video.delete()
    page.refresh_from_db()
    html = get_html(client, page)
    assert "<video" not in html and "<iframe" not in html
