"""`load_demo` builds a browsable site, and running it again changes nothing."""

import io
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Site

from booking.models import Registration, SeatPool
from events.models import EventIndexPage, EventPage
from home.models import (
    AccessibilityPage,
    HomePage,
    IdeasPage,
    SiteIdentity,
    StandardPage,
    WelcomePage,
)

# The demo is loaded once for this module; what each test changes is undone after it.
pytestmark = pytest.mark.usefixtures("demo")


def visit(client, url):
    """GET a full address on the host it names, as a browser would."""
    parts = urlsplit(url)
    return client.get(
        parts.path + (f"?{parts.query}" if parts.query else ""), headers={"host": parts.netloc}
    )


def lens_home():
    return HomePage.objects.get(slug="accueil")


def lens_identity():
    return SiteIdentity.for_site(Site.objects.get(is_default_site=True))


def test_demo_makes_the_home_page_the_site_root_with_its_pages(demo):
    site = Site.objects.get(is_default_site=True)
    home = lens_home()
    assert site.root_page_id == home.pk
    assert WelcomePage.objects.live().get().chapters.filter(video__isnull=False).exists()
    assert IdeasPage.objects.live().get().ideas.count() == 6
    assert AccessibilityPage.objects.live().exists()
    assert StandardPage.objects.live().count() == 2
    assert SiteIdentity.for_site(site).footer_links


def test_demo_fills_the_menu_footer_and_home_page_in_french(client, demo):
    identity = lens_identity()
    assert [link.value.text for link in identity.main_menu] == [
        "Bienvenue",
        "Nos conseillers",
        "Événements",
        "Prendre rendez-vous",
        "Vos idées",
    ]
    assert identity.main_menu[3].value.href == "/rendez-vous/"
    assert identity.hashtag_list() == ["#SprintCréaMDE", "#minedinfos"]
    assert identity.opening_hours and identity.not_found_text and identity.social_links
    home = lens_home()
    assert home.welcome_video.subtitles_file
    html = client.get(home.url).content.decode()
    assert '<a class="button" href="/rendez-vous/">Prendre rendez-vous</a>' in html
    for section in ("home-video-title", "home-counsellors-title", "home-events-title"):
        assert f'id="{section}"' in html
    assert EventIndexPage.objects.child_of(home).get().show_in_menus


def test_every_demo_page_renders(client, demo):
    """On its own structure's site: the Lens pages on 127.0.0.1, the others on localhost."""
    for page in Page.objects.live().filter(depth__gt=1).specific():
        response = visit(client, page.full_url)
        assert response.status_code == 200, page.full_url
        assert response.content.decode().count("<h1") == 1, page.full_url


def test_the_demo_is_a_network_of_two_structures_in_two_time_zones(client, demo):
    from booking.models import Counsellor
    from structures.models import Structure

    lens = Structure.default()
    overseas = Structure.objects.exclude(pk=lens.pk).get()
    assert (lens.time_zone, overseas.time_zone) == ("Europe/Paris", "Indian/Reunion")
    assert overseas.site.hostname == "localhost" and lens.site.hostname == "127.0.0.1"
    assert set(overseas.counsellors.values_list("slug", flat=True)) == {
        "nathalie-reunion",
        "teddy-reunion",
    }
    assert not Counsellor.objects.filter(structures=lens, slug__endswith="-reunion").exists()
    flow = visit(client, f"{overseas.public_url}/rendez-vous/?etape=conseiller").content.decode()
    assert "Nathalie" in flow and "Samia" not in flow
    event = visit(client, f"{overseas.public_url}/evenements/matinee-portes-ouvertes/")
    assert "9 h" in event.content.decode()


def test_each_demo_structure_signs_its_sms_and_holds_video_meetings(demo):
    """So a video booking made in the demo has a room, and its SMS a sender of its own."""
    from structures.models import Structure

    lens = Structure.default()
    overseas = Structure.objects.exclude(pk=lens.pk).get()
    assert (lens.sms_sender_name, overseas.sms_sender_name) == ("MLLens", "MLReunion")
    assert lens.video_service_url.startswith("https://")
    assert overseas.video_service_url.startswith("https://")
    assert overseas.caller_phone.startswith("0262")


def test_running_the_demo_again_creates_nothing_and_keeps_editors_changes(demo):
    booklet = WelcomePage.objects.get()
    booklet.intro = "Écrit par une éditrice."
    booklet.save_revision().publish()
    identity = lens_identity()
    identity.phone = "03 99 99 99 99"
    identity.hashtags = "#passerelle"
    identity.save()
    home = lens_home()
    home.cta_label = "Réserve ton créneau"
    home.save_revision().publish()
    pages = Page.objects.count()
    registrations = Registration.objects.count()

    call_command("load_demo", stdout=io.StringIO())

    assert Page.objects.count() == pages
    assert Registration.objects.count() == registrations
    assert WelcomePage.objects.get().intro == "Écrit par une éditrice."
    identity = lens_identity()
    assert (identity.phone, identity.hashtags) == ("03 99 99 99 99", "#passerelle")
    assert lens_home().cta_label == "Réserve ton créneau"


def test_the_demo_events_take_registrations_one_nearly_full_with_its_waiting_list(client, demo):
    """`make run` shows every state: seats confirmed, a seat offered, people waiting."""
    open_to_registrations = set(
        EventPage.objects.filter(registrations_open=True).values_list("slug", flat=True)
    )
    # The date to come (the demo's speed meeting played a month ago has one too).
    full = SeatPool.objects.get(
        date__event__slug="adopte-un-pro", date__start__gt=timezone.now(), mode="on_site"
    )
    statuses = sorted(full.registrations.values_list("status", flat=True))

    assert {"portes-ouvertes", "journee-sport-et-emploi", "adopte-un-pro"} <= open_to_registrations
    assert (full.capacity, full.seats_confirmed, full.seats_offered) == (8, 7, 1)
    assert statuses.count("offered") == 1 and statuses.count("waiting") == 1
    assert SeatPool.objects.get(date=full.date, mode="online").seats_confirmed == 2
    page = client.get(EventPage.objects.get(slug="adopte-un-pro").url)
    assert "liste d’attente" in page.content.decode()
