"""Template helpers every app shares.

Filters over core.dates, so every page writes dates the same way (never Django's
`date` filter, which would say "1 septembre"): {{ booking.start|local_when }},
{{ day|local_day }}, {{ slot.start|local_time }}, {{ person.created_at|long_date }},
{{ week|day_and_month }}, {{ format.duration_minutes|duration }}; and `calendar_urls`,
the Google Calendar and Outlook.com links of the "add to my calendar" include.
"""

from django import template
from django.template import TemplateSyntaxError
from wagtail.templatetags.wagtail_cache import WagtailPageCacheNode

from core import calendar_links, dates

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


class PageContentCacheNode(WagtailPageCacheNode):
    """Wagtail's {% wagtailpagecache %} (the page's cache_key, which publishing changes,
    and its site), for the pages that say their content is the same for every visitor
    (`content_is_shared`: no form, nothing about the visitor); any other page, or no
    page, is rendered as usual."""

    def render(self, context):
        page = context.get("page")
        routed = getattr(context.get("request"), "_wagtail_route_for_request", None)
        if not getattr(page, "content_is_shared", False) or routed is None or routed[0] is not page:
            # Not a page Wagtail's page view serves (another view may name a page).
            return self.nodelist.render(context)
        return super().render(context)


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
