import hashlib
from typing import NamedTuple

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page, Site

from core import pagecache
from search.query import asks_to_book, build_query, clean_query

RESULTS_PER_PAGE = 10


class Found(NamedTuple):
    """A page found, as the results list shows it: kept in the cache, so no Page."""

    url: str
    title: str
    search_description: str


def search(request):
    """Published, public pages of this site matching the words typed, best match first,
    after the booking flow when the words ask for it. What the words find is kept under
    the site's version (any page published or unpublished renews it), so the same words
    are searched once, whoever types them and whichever page of results they read."""
    query = clean_query(request.GET.get("q", ""))
    search_query = build_query(query)
    results = None
    if search_query is not None:
        site = Site.find_for_request(request)

        def found():
            pages = Page.objects.live().public()
            if site is not None:
                pages = pages.in_site(site)
            return [
                Found(page.get_url(request), page.title, page.search_description)
                for page in pages.search(search_query)
            ]

        if site is None:
            everything = found()
        else:
            digest = hashlib.sha256(query.encode()).hexdigest()
            everything = pagecache.for_site(site, f"search:{digest}", found)
        results = Paginator(everything, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"query": query, "results": results, "offers_booking": asks_to_book(query)}
    return TemplateResponse(request, "search/search.html", context)
