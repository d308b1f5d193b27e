"""The home page: hero, booking button, welcome video, next events, a few counsellors and
the social networks, in a number of queries that does not grow with the content."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from wagtail_factories import ImageFactory

from home.models import SiteIdentity
from tests.counsellors.factories import (
    AccessibleMediaFactory,
    CounsellorIndexPageFactory,
    CounsellorPageFactory,
)
from tests.events.factories import EventIndexPageFactory, EventOccurrenceFactory, EventPageFactory

from .factories import StandardPageFactory

# Routing, settings, menu and footer, plus the hero image, the video, the events with
# their dates, the counsellors with their portraits and renditions, and the index pages.
HOME_PAGE_QUERIES = 20


def html_of(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def section(html, title_id):
    start = html.index(f'id="{title_id}"')
    return html[start : html.index("</section>", start)]


def add_events(index, number, start_in_days=1):
    for day in range(start_in_days, start_in_days + number):
        event = EventPageFactory(parent=index, title=f"Événement du jour {day}")
        EventOccurrenceFactory(page=event, start=timezone.now() + timedelta(days=day))


def add_counsellors(index, number):
    for _ in range(number):
        CounsellorPageFactory(parent=index)


@pytest.fixture
def event_index(home):
    return EventIndexPageFactory(parent=home)


@pytest.fixture
def counsellor_index(home):
    return CounsellorIndexPageFactory(parent=home)


def test_booking_button_opens_the_booking_form_unless_the_editor_chose_a_target(client, home):
    button = re.compile(r'<a class="button" href="([^"]+)">([^<]+)</a>')
    assert button.search(html_of(client, home)).groups() == (
        "/rendez-vous/",
        gettext("Book an appointment"),
    )
    page = StandardPageFactory(parent=home, title="Nos rendez-vous")
    home.cta_page = page
    home.cta_label = "Réserver"
    home.save()
    assert button.search(html_of(client, home)).groups() == (page.url, "Réserver")


def test_hero_image_is_described_or_marked_decorative(client, home):
    home.hero_image = ImageFactory()
    home.save()
    assert re.search(r'<img alt="" class="hero__image"', html_of(client, home))
    home.hero_image_alt = "Des jeunes autour d'un baby-foot"
    home.save()
    assert 'alt="Des jeunes autour d&#x27;un baby-foot" class="hero__image"' in html_of(
        client, home
    )


def test_welcome_video_has_captions_and_a_transcript_and_never_plays_by_itself(client, home):
    home.welcome_video = AccessibleMediaFactory(title="Bienvenue chez nous")
    home.save()
    html = html_of(client, home)
    video = html[html.index("<video") : html.index("</figure>")]
    assert '<track kind="captions"' in video
    assert "autoplay" not in video
    assert "Bonjour, moi c&#x27;est Samia." in video  # the transcript
    assert "<figcaption>Bienvenue chez nous</figcaption>" in video


def test_next_three_events_soonest_first_with_a_link_to_all(client, home, event_index):
    add_events(event_index, 4)
    past = EventPageFactory(parent=event_index, title="Événement passé")
    EventOccurrenceFactory(page=past, start=timezone.now() - timedelta(days=3))
    events = section(html_of(client, home), "home-events-title")
    titles = re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a>', events)
    assert titles == [f"Événement du jour {day}" for day in (1, 2, 3)]
    assert f'<a href="{event_index.url}">' in events


def test_events_section_says_when_nothing_is_planned(client, home, event_index):
    events = section(html_of(client, home), "home-events-title")
    assert "<h3" not in events
    assert f'<a href="{event_index.url}">' in events


def test_up_to_four_live_counsellors_with_their_portrait_and_a_link_to_all(
    client, home, counsellor_index
):
    add_counsellors(counsellor_index, 5)
    CounsellorPageFactory(parent=counsellor_index, title="Brouillon", live=False)
    counsellors = section(html_of(client, home), "home-counsellors-title")
    assert counsellors.count('<h3 class="card__title">') == 4
    assert counsellors.count('class="counsellor-portrait"') == 4
    assert "Brouillon" not in counsellors
    assert f'<a href="{counsellor_index.url}">' in counsellors


def test_social_networks_and_hashtags_are_on_the_home_page(client, home):
    identity = SiteIdentity.for_site(home.get_site())
    identity.social_links = [
        {"type": "social", "value": {"network": "instagram", "url": "https://ig.example/"}}
    ]
    identity.hashtags = "#SprintCréaMDE #minedinfos"
    identity.save()
    social = section(html_of(client, home), "home-social-title")
    assert '<a href="https://ig.example/">Instagram</a>' in social
    assert "#SprintCréaMDE #minedinfos" in social


def test_sections_without_content_are_left_out_and_one_h1_remains(client, home):
    html = html_of(client, home)
    for title_id in ("home-video-title", "home-events-title", "home-counsellors-title"):
        assert title_id not in html
    assert 'id="home-social-title"' not in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1


def test_home_page_costs_the_same_queries_with_3_or_10_events_and_counsellors(
    client, home, event_index, counsellor_index, django_assert_max_num_queries
):
    identity = SiteIdentity.for_site(home.get_site())
    identity.social_links = [
        {"type": "social", "value": {"network": "youtube", "url": "https://yt.example/"}}
    ]
    identity.save()
    home.hero_image = ImageFactory()
    home.welcome_video = AccessibleMediaFactory()
    home.save()
    add_events(event_index, 3)
    add_counsellors(counsellor_index, 3)
    client.get(home.url)  # renditions are created on the first visit
    with django_assert_max_num_queries(HOME_PAGE_QUERIES):
        html = html_of(client, home)
    assert html.count('class="card event-card"') == 3
    assert html.count('class="card counsellor-card"') == 3

    add_events(event_index, 7, start_in_days=10)
    add_counsellors(counsellor_index, 7)
    client.get(home.url)
    with django_assert_max_num_queries(HOME_PAGE_QUERIES):
        html = html_of(client, home)
    assert html.count('class="card event-card"') == 3
    assert html.count('class="card counsellor-card"') == 4


def test_booking_button_goes_to_a_page_or_an_address_not_both(home):
    home.cta_page = StandardPageFactory(parent=home)
    home.cta_url = "https://example.org/"
    with pytest.raises(ValidationError):
        home.full_clean()
    home.cta_page = None
    home.cta_url = "rendez-vous"  # neither a full address nor a path
    with pytest.raises(ValidationError):
        home.full_clean()
    home.cta_url = "/rendez-vous/ateliers/"
    home.full_clean()
    assert home.cta_href == "/rendez-vous/ateliers/"
