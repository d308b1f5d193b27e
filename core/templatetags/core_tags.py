"""Template helpers every app shares.

Filters over core.dates, so every page writes dates the same way (never Django's
`date` filter, which would say "1 septembre"): {{ booking.start|local_when }},
{{ day|local_day }}, {{ slot.start|local_time }}, {{ person.created_at|long_date }},
{{ week|day_and_month }}, {{ format.duration_minutes|duration }}; and `calendar_urls`,
the Google Calendar and Outlook.com links of the "add to my calendar" include.
"""

from typing import NamedTuple

from django import template
from django.core.cache.utils import make_template_fragment_key
from django.template import TemplateSyntaxError
from django.utils import timezone
from wagtail.models import Site
from wagtail.templatetags.wagtail_cache import WagtailPageCacheNode

from core import calendar_links, dates, pagecache
from core.localfirst import fragment_cache

register = template.Library()

register.filter("local_day", dates.local_day)
register.filter("long_date", dates.long_date)
register.filter("day_and_month", dates.day_and_month)
register.filter("local_time", dates.local_time)
register.filter("local_when", dates.local_when)
register.filter("duration", dates.duration)


@register.simple_tag
def calendar_urls(title, start, end, details="", location=""):
    """Only what Google and Microsoft may keep: callers pass no personal data and no
    secret link (an appointment's come from booking_tags.appointment_calendar_urls)."""
    return {
        "google": calendar_links.google_event(title, start, end, details, location),
        "outlook": calendar_links.outlook_event(title, start, end, details, location),
    }


class KeptContent(NamedTuple):
    """A page's content block as kept, and until when it holds by time alone."""

    html: str
    until: float | None


class PageContentCacheNode(WagtailPageCacheNode):
    """Wagtail's {% wagtailpagecache %} (the page's cache_key, which publishing changes,
    and its site), for the pages that say their content is the same for every visitor
    (`content_is_shared`: no form, nothing about the visitor); any other page, or no
    page, is rendered as usual."""

    def render(self, context):
        """As Wagtail's, but kept no longer than what it shows holds by time alone
        (`pagecache.changes_at`, said while it renders), which it tells the page again
        each time it is answered from the cache."""
        page = context.get("page")
        request = context.get("request")
        routed = getattr(request, "_wagtail_route_for_request", None)
        if (
            not getattr(page, "content_is_shared", False)
            or routed is None
            or routed[0] is not page
            or getattr(request, "is_preview", False)
        ):
            # Not a page Wagtail's page view serves (another view may name a page).
            return self.nodelist.render(context)
        with context.update({self.CACHE_SITE_TEMPLATE_VAR: Site.find_for_request(request)}):
            vary_on = [var.resolve(context) for var in self.vary_on]
        key = make_template_fragment_key(self.fragment_name, vary_on)
        kept = fragment_cache().get(key)  # its key carries the page's and site's stamps
        now = timezone.now().timestamp()
        if isinstance(kept, KeptContent) and (kept.until is None or now < kept.until):
            pagecache.changes_at(request, kept.until)
            return kept.html
        html = self.nodelist.render(context)
        until = pagecache.content_until(request)
        seconds = pagecache.seconds_until(until, int(self.expire_time_var.resolve(context)))
        if seconds:
            fragment_cache().set(key, KeptContent(html, until), seconds)
        return html


@register.tag
def pagecontentcache(parser, token):
    """{% pagecontentcache seconds name vary_on... %}...{% endpagecontentcache %}: the
    base layout's content block, kept for the visitors the page cache does not answer
    (a cookie, a first visit after a change elsewhere on the site)."""
    nodelist = parser.parse(("endpagecontentcache",))
    parser.delete_first_token()
    tokens = token.split_contents()
    if len(tokens) < 3:
        raise TemplateSyntaxError(f"'{tokens[0]}' needs a number of seconds and a name.")
    return PageContentCacheNode(
        nodelist,
        parser.compile_filter(tokens[1]),
        tokens[2],
        [parser.compile_filter(part) for part in tokens[3:]],
        None,
    )
