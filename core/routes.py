"""Which page an address shows, kept under its site's stamp.

Wagtail finds the page of an address by walking the tree from the site's root: the root,
one query per level, the specific page, then the view restrictions of the page and its
ancestors; half of what a page not answered by the page cache cost. Once an address has
been served, its page is read once more, with the rows its template shows
(`route_select_related`), and kept with the other parts of pages (in this process's
memory and in the shared cache, core.localfirst, a copy of its own for each request),
with whether any view restriction applied: the next visits need no query at all to
route, and skip the restrictions when there were none. Anything that can change a route
or what its page holds (publishing, unpublishing, moving, deleting a page, a site, a
view restriction, the rows pages show) renews the site's stamp, as it does for the kept
pages, so a kept route is never used after it.

Only addresses that are the page's own are kept; a sub-route of a routable page (the
past events of the event list) is routed by Wagtail each time."""

from django.conf import settings
from django.db.models import ObjectDoesNotExist
from django.http import Http404
from wagtail.models import Site

from . import pagecache
from .localfirst import fragment_cache

# Set on a routed page known to have no view restriction (BasePage.get_view_restrictions).
UNRESTRICTED = "_route_unrestricted"


def key(site_id, path):
    return f"pagecache:route:{site_id}:{path}"


def find(request, site, path):
    """The route Wagtail would find for the path, from the kept one, or None."""
    kept = fragment_cache().get(key(site.pk, path), version=pagecache.site_version(site.pk))
    if kept is None:
        return None
    page, restricted = kept
    if not restricted:
        setattr(page, UNRESTRICTED, True)
    # The page's own address: Wagtail's route with nothing left to walk (a routable
    # page resolves its main view), live pages only.
    return page.route(request, [])


def keep(site, path, route_result):
    """Keep the page Wagtail found, if the path is its own address: read again, so that
    what this request did with it (attributes it cached) is not passed on."""
    page = route_result[0]
    root = site.root_page  # read by Wagtail's routing on this same instance
    if page.url_path != root.url_path + path:
        return
    restricted = page.get_view_restrictions().exists()
    model = type(page)
    try:
        fresh = model.objects.select_related(*getattr(model, "route_select_related", ())).get(
            pk=page.pk
        )
    except ObjectDoesNotExist:
        return  # deleted meanwhile
    fragment_cache().set(
        key(site.pk, path),
        (fresh, restricted),
        settings.FRAGMENT_CACHE_SECONDS,  # as long as the other parts: a photo has no stamp
        version=pagecache.site_version(site.pk),
    )


class RouteCacheMiddleware:
    """Gives Wagtail's page view the kept route of its address, and keeps the route it
    finds otherwise. Last in MIDDLEWARE, with PageCacheMiddleware: it sees the view.
    Off with FRAGMENT_CACHE_SECONDS = 0, like the other kept parts of a page."""

    def __init__(self, get_response):
        from wagtail.views import serve  # needs the models

        self.get_response = get_response
        self.serve = serve

    def __call__(self, request):
        response = self.get_response(request)
        pending = getattr(request, "_route_pending", None)
        found = getattr(request, "_wagtail_route_for_request", None)
        if pending is not None and found is not None and response.status_code == 200:
            keep(*pending, found)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not self.serve or not settings.FRAGMENT_CACHE_SECONDS:
            return
        if request.method not in ("GET", "HEAD"):
            return
        if request.user.is_authenticated:
            return  # editors see the page as it is now, even changed by no signal
        site = Site.find_for_request(request)
        if site is None:
            return
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        try:
            found = find(request, site, path)
        except Http404:
            found = None  # no longer live: Wagtail's own routing says what to answer
        if found is not None:
            request._wagtail_route_for_request = found
        else:
            request._route_pending = (site, path)
