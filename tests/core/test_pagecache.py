"""The page cache: anonymous visitors get stored pages, and every change they would
notice shows at once: a page published, unpublished, moved or deleted, the site
settings, a counsellor, a booking. Editors, forms and unknown query strings always get a
fresh page.

Each test first proves the page is served from the cache (a change written straight to
the database, which no signal reports, does not show), then makes the change."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page, PageViewRestriction

from booking import services
from core import pagecache
from home.models import SiteIdentity
from tests.booking.factories import CounsellorFactory, GroupSessionFactory
from tests.counsellors.factories import CounsellorIndexPageFactory, CounsellorPageFactory
from tests.events.factories import EventIndexPageFactory
from tests.home.factories import IdeaFormFieldFactory, IdeasPageFactory, StandardPageFactory


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.FRAGMENT_CACHE_SECONDS = 300
    cache.clear()
    pagecache.SITES.clear()
    yield
    cache.clear()


@pytest.fixture
def about(home):
    return StandardPageFactory(parent=home, title="Qui sommes-nous", show_in_menus=True)


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def rename_silently(page, title):
    """A change no signal reports: the cache goes on showing the old title (the home
    page's heading, which it shows instead)."""
    Page.objects.filter(pk=page.pk).update(title=title)
    if getattr(page, "heading", ""):
        type(page).objects.filter(pk=page.pk).update(heading=title)


@pytest.fixture(params=["anonymous", "with a cookie"])
def visitor(request):
    """Both kinds of visits: one the page cache answers whole, and one it does not (a
    cookie), whose page is built around its content kept under the site's version."""
    visitor = Client()
    if request.param == "with a cookie":
        visitor.cookies["visite"] = "1"
    return visitor


def main_of(html):
    return html.split('id="contenu"')[1].split("</main>")[0]


def assert_served_from_cache(client, page, url=None):
    """The page's content (all a visitor reads in <main>) comes from the cache: a change
    no signal reports does not show there."""
    url = url or page.url
    old_title = getattr(page, "heading", "") or page.title
    assert escape(old_title) in main_of(html_of(client, url))
    rename_silently(page, "Titre jamais publié")
    main = main_of(html_of(client, url))
    assert escape(old_title) in main and "Titre jamais publié" not in main
    rename_silently(page, old_title)


def publish(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()


def test_a_second_visit_costs_no_rendering(client, about, django_assert_max_num_queries):
    html_of(client, about.url)
    with django_assert_max_num_queries(0):  # answered before the database
        html_of(client, about.url)
    assert_served_from_cache(client, about)


def test_a_published_change_shows_at_once_on_the_page_and_in_every_menu(visitor, home, about):
    assert_served_from_cache(visitor, about)
    assert_served_from_cache(visitor, home)
    publish(about, title="Qui on est")
    assert "Qui on est" in html_of(visitor, about.url)
    assert "Qui on est" in html_of(visitor, home.url)


def test_an_unpublished_page_disappears_at_once(visitor, home, about):
    assert_served_from_cache(visitor, about)
    assert_served_from_cache(visitor, home)
    url = about.url
    about.unpublish()
    assert visitor.get(url).status_code == 404
    assert "Qui sommes-nous" not in html_of(visitor, home.url)


def test_a_deleted_page_disappears_at_once(visitor, home, about):
    assert_served_from_cache(visitor, about)
    url = about.url
    about.delete()
    assert visitor.get(url).status_code == 404


def test_a_moved_page_sends_visitors_to_its_new_address_at_once(visitor, home, about):
    other = StandardPageFactory(parent=home, title="Nos partenaires")
    assert_served_from_cache(visitor, about)
    assert_served_from_cache(visitor, other)
    old_url = about.url
    about.move(other, pos="last-child")
    about.refresh_from_db()
    moved = visitor.get(old_url)
    assert moved.status_code == 301 and moved["Location"] == about.url
    assert "Qui sommes-nous" in html_of(visitor, about.url)
    assert "Qui sommes-nous" not in html_of(visitor, home.url)  # the menu lists the first level


def test_site_settings_show_at_once_on_every_page(visitor, home, about):
    assert_served_from_cache(visitor, about)
    identity = SiteIdentity.for_site(home.get_site())
    identity.phone = "05 55 12 34 56"
    identity.save()
    assert "05 55 12 34 56" in html_of(visitor, about.url)
    assert "05 55 12 34 56" in html_of(visitor, home.url)


def test_a_counsellor_no_longer_bookable_loses_the_booking_button_at_once(visitor, home):
    counsellor = CounsellorFactory()
    index = CounsellorIndexPageFactory(parent=home)
    profile = CounsellorPageFactory(parent=index, counsellor=counsellor)
    assert "?conseiller=" in html_of(visitor, profile.url)
    assert_served_from_cache(visitor, profile)
    counsellor.active = False
    counsellor.save()
    assert "?conseiller=" not in html_of(visitor, profile.url)


def test_a_booking_renders_every_page_afresh(visitor, home, about):
    session = GroupSessionFactory(start=timezone.now() + timedelta(days=3))
    assert_served_from_cache(visitor, about)
    assert_served_from_cache(visitor, home)
    rename_silently(about, "Ce que la réservation remet à jour")
    services.book(first_name="Léa", email="lea@example.org", consent=True, group_session=session)
    assert "Ce que la réservation remet à jour" in html_of(visitor, about.url)
    assert "Ce que la réservation remet à jour" in html_of(visitor, home.url)


def test_a_signed_in_editor_always_gets_a_fresh_page_and_never_leaves_it_cached(
    client, about, admin_user
):
    assert_served_from_cache(client, about)
    editor = Client()
    editor.force_login(admin_user)
    rename_silently(about, "Brouillon vu par l'équipe")
    html = html_of(editor, about.url)
    assert "Brouillon vu par l&#x27;équipe" in html and "wagtail-userbar" in html
    visitor_html = html_of(Client(), about.url)
    assert "wagtail-userbar" not in visitor_html
    assert "Qui sommes-nous" in visitor_html


def test_a_form_page_is_never_cached_so_each_visitor_can_send_it(home):
    ideas = IdeasPageFactory(parent=home, thank_you_text="<p>Merci, on lit tout !</p>")
    IdeaFormFieldFactory(page=ideas, label="Ton idée", required=True)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    html_of(first, ideas.url)
    html = html_of(second, ideas.url)
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = second.post(ideas.url, {"ton_idee": "Un tournoi", "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "Merci, on lit tout !" in response.content.decode()


def test_search_results_follow_a_published_change_at_once(visitor, about):
    """What words find is kept under the site's version (search.views), never the
    search page itself: a publication shows in the results at once."""
    assert "Qui sommes-nous" in html_of(visitor, "/recherche/?q=sommes")
    publish(about, title="Qui sommes-nous vraiment")
    assert "Qui sommes-nous vraiment" in html_of(visitor, "/recherche/?q=sommes")


def test_a_query_string_pages_do_not_read_is_never_kept(client, about):
    """Every page the page cache keeps carries an ETag; a made-up query string (a
    newsletter's tracking) gets the page, rendered each time, and fills no cache."""
    assert "ETag" in client.get(about.url)
    for _ in range(2):
        tagged = client.get(about.url + "?utm_source=lettre")
        assert tagged.status_code == 200 and "Qui sommes-nous" in tagged.content.decode()
        assert "ETag" not in tagged


def test_the_event_type_filter_is_cached_apart_from_the_whole_list(visitor, home):
    index = EventIndexPageFactory(parent=home)
    whole = html_of(visitor, index.url)
    filtered = html_of(visitor, index.url + "?type=atelier")
    assert html_of(visitor, index.url + "?type=atelier") == filtered
    assert html_of(visitor, index.url) == whole


def test_the_past_events_keep_their_own_address_apart_from_the_list(visitor, home):
    """A routable page's sub-route is routed by Wagtail each time (core.routes keeps
    only a page's own address): the list and the past events stay two pages."""
    index = EventIndexPageFactory(parent=home)
    past = index.url + "passes/"
    for _ in range(2):
        assert 'rel="canonical"' in html_of(visitor, past)
        assert f'href="{index.full_url}passes/"' in html_of(visitor, past)
        assert f'href="{index.full_url}passes/"' not in html_of(visitor, index.url)


def test_a_page_made_private_is_private_at_once(visitor, home, about):
    """A view restriction renews the site's stamp: neither the kept page nor its kept
    route (which knew of no restriction) outlives it."""
    assert_served_from_cache(visitor, about)
    PageViewRestriction.objects.create(page=about, restriction_type="login")
    response = visitor.get(about.url)
    assert response.status_code == 302 and "login/?next=" in response["Location"]
    PageViewRestriction.objects.filter(page=about).delete()
    assert "Qui sommes-nous" in html_of(visitor, about.url)


def test_a_browser_that_has_the_page_gets_304_until_it_changes(client, about):
    first = client.get(about.url)
    etag = first["ETag"]
    assert first["Last-Modified"]
    again = client.get(about.url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    publish(about, title="Qui on est")
    changed = client.get(about.url, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Qui on est" in changed.content.decode()


def test_pages_settings_and_menus_keep_and_refresh_in_redis(
    client, home, about, settings, redis_url
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "test-pagecache",
        }
    }
    cache.clear()
    identity = SiteIdentity.for_site(home.get_site())
    identity.main_menu = [{"type": "link", "value": {"page": about.pk, "label": "Nous"}}]
    identity.save()
    assert_served_from_cache(client, about)
    rendering = Client()
    rendering.cookies["visite"] = "1"  # not answered by the page cache: fragments only
    html_of(rendering, home.url)
    menu = html_of(rendering, home.url).split('id="menu"')[1].split("</nav>")[0]
    assert f'href="{about.url}"' in menu and "Nous" in menu
    publish(about, title="Qui on est")
    assert "Qui on est" in html_of(client, about.url)


def test_a_visit_during_the_publishing_transaction_does_not_keep_the_old_page(
    client, about, django_capture_on_commit_callbacks
):
    """Another process reads the old page until the commit, and may store it under the
    version the publication gave: the second version, on commit, drops it."""
    assert_served_from_cache(client, about)
    with django_capture_on_commit_callbacks(execute=True):
        publish(about, title="Qui on est")
        rename_silently(about, "Qui sommes-nous")  # what other connections still see
        assert "Qui sommes-nous" in html_of(client, about.url)
        rename_silently(about, "Qui on est")  # what the commit shows them
    assert "Qui on est" in html_of(client, about.url)
