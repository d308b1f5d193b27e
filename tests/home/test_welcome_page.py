"""The welcome booklet: chapters with accessible videos, how to get here, opening hours."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS

from home.models import OpeningHours, SiteIdentity
from tests.counsellors.factories import AccessibleMediaFactory

from .factories import OpeningHoursFactory, WelcomeChapterFactory, WelcomePageFactory


@pytest.fixture
def booklet(home):
    return WelcomePageFactory(parent=home)


def html_of(client, page):
    return client.get(page.url).content.decode()


def test_table_of_contents_links_to_every_chapter_in_order(client, booklet):
    WelcomeChapterFactory(page=booklet, heading="Qui sommes-nous ?")
    WelcomeChapterFactory(page=booklet, heading="Comment venir ?")
    html = html_of(client, booklet)
    toc = html[html.index('class="toc"') : html.index("</nav>", html.index('class="toc"'))]
    assert toc.index("Qui sommes-nous ?") < toc.index("Comment venir ?")
    for anchor in re.findall(r'href="#([^"]+)"', toc):
        assert f'id="{anchor}"' in html


def test_chapter_video_has_controls_captions_and_transcript_but_never_autoplays(client, booklet):
    video = AccessibleMediaFactory(title="Bienvenue", transcript="Bonjour et bienvenue.")
    WelcomeChapterFactory(page=booklet, heading="Qui sommes-nous ?", video=video)
    html = html_of(client, booklet)
    player = html[html.index("<video") : html.index("</video>")]
    assert "controls" in player
    assert "autoplay" not in player
    assert f'<track kind="captions" src="{video.subtitles_file.url}" srclang="fr"' in player
    assert "<figcaption>Bienvenue</figcaption>" in html
    assert "Bonjour et bienvenue." in html[html.index("<details") :]


def test_address_comes_from_the_site_settings(client, booklet):
    identity = SiteIdentity.for_site(booklet.get_site())
    identity.address = "1 rue de l'Exemple\n62300 Lens"
    identity.save()
    html = html_of(client, booklet)
    assert "1 rue de l&#x27;Exemple<br>62300 Lens" in html
    assert "Bus ligne 1, arrêt Exemple." in html


def test_opening_hours_list_every_day_in_order_with_closed_days_said(client, booklet):
    OpeningHoursFactory(page=booklet, weekday=0, opens=datetime.time(14), closes=datetime.time(17))
    OpeningHoursFactory(page=booklet, weekday=0, opens=datetime.time(9), closes=datetime.time(12))
    OpeningHoursFactory(page=booklet, weekday=4, opens=datetime.time(9), closes=datetime.time(12))
    days = booklet.opening_days()
    assert [name for name, _ in days] == list(WEEKDAYS.values())
    monday, tuesday, friday = days[0][1], days[1][1], days[4][1]
    assert [slot.opens for slot in monday] == [datetime.time(9), datetime.time(14)]
    assert tuesday == []
    assert len(friday) == 1
    html = html_of(client, booklet)
    assert html.count('class="hours__day"') == 7


def test_no_hours_section_when_no_hours_were_entered(client, booklet):
    assert booklet.opening_days() == []
    assert 'class="hours"' not in html_of(client, booklet)


def test_closing_time_must_come_after_opening_time(booklet):
    slot = OpeningHours(page=booklet, weekday=1, opens=datetime.time(12), closes=datetime.time(9))
    with pytest.raises(ValidationError) as error:
        slot.full_clean()
    assert "closes" in error.value.message_dict
