"""The home page and the welcome booklet render in the same few queries however much
they list, with the layout's fragments cached."""

from wagtail.models import PageViewRestriction

from tests.core.support import queries_of_a_render
from tests.counsellors.factories import CounsellorIndexPageFactory, CounsellorPageFactory
from tests.events.factories import EventIndexPageFactory, EventOccurrenceFactory, EventPageFactory

from .factories import StandardPageFactory, WelcomeChapterFactory, WelcomePageFactory

# Measured: the page itself kept with the route of its address (core.routes: no query,
# no walk down the tree, no view restrictions when it has none), the booklet's chapters
# and opening hours when its content is rendered ({% pagecontentcache %}); the site
# (core.sites), menu, footer, settings and the home's sections come from the cache.
HOME_QUERIES = {"kept": 0, "rendered": 0}
BOOKLET_QUERIES = {"kept": 0, "rendered": 2}


def test_home_costs_the_same_queries_for_3_or_30_events_counsellors_and_menu_pages(
    fragments_cached, home
):
    events = EventIndexPageFactory(parent=home)
    counsellors = CounsellorIndexPageFactory(parent=home)
    counts = []
    for number in (3, 30):
        while counsellors.get_children().count() < number:
            EventOccurrenceFactory(page=EventPageFactory(parent=events))
            CounsellorPageFactory(parent=counsellors)
            StandardPageFactory(parent=home, show_in_menus=True)
        for content in ("kept", "rendered"):
            kept = content == "kept"
            counts.append(
                (content, queries_of_a_render(fragments_cached, home.url, content_kept=kept))
            )
    assert counts == list(HOME_QUERIES.items()) * 2


def test_the_booklet_costs_the_same_queries_for_3_or_30_chapters(fragments_cached, home):
    booklet = WelcomePageFactory(parent=home)
    counts = []
    for number in (3, 30):
        while booklet.chapters.count() < number:
            WelcomeChapterFactory(page=booklet)
        for content in ("kept", "rendered"):
            kept = content == "kept"
            counts.append(
                (content, queries_of_a_render(fragments_cached, booklet.url, content_kept=kept))
            )
    assert counts == list(BOOKLET_QUERIES.items()) * 2


def test_a_private_page_stays_private_under_it_and_through_an_alias(client, home):
    """View restrictions are read in one query (BasePage.get_view_restrictions), with an
    alias counting as the page it copies, as in Wagtail."""
    private = StandardPageFactory(parent=home, slug="equipe")
    below = StandardPageFactory(parent=private, slug="planning")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    alias = private.create_alias(parent=home, update_slug="copie-equipe")
    public = StandardPageFactory(parent=home, slug="public")

    for page in (private, below, alias):
        response = client.get(page.url)
        assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(public.url).status_code == 200
