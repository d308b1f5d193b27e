from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page, Site

from search.query import asks_to_book, build_query, clean_query

RESULTS_PER_PAGE = 10


def search(request):
    """Published, public pages of this site matching the words typed, best match first,
    after the booking flow when the words ask for it."""
    query = clean_query(request.GET.get("q", ""))
    search_query = build_query(query)
    results = None
    if search_query is not None:
        pages = Page.objects.live().public()
        site = Site.find_for_request(request)
        if site is not None:
            pages = pages.in_site(site)
        paginator = Paginator(pages.search(search_query), RESULTS_PER_PAGE)
        results = paginator.get_page(request.GET.get("page"))
    context = {"query": query, "results": results, "offers_booking": asks_to_book(query)}
    return TemplateResponse(request, "search/search.html", context)
