"""Counsellors on pages: their portrait, and the home page's section."""

from django import template
from django.conf import settings
from django.utils.html import format_html

from counsellors.models import CounsellorIndexPage

register = template.Library()

# How many profiles the home page shows; the list page shows them all.
TEASER_COUNT = 4


@register.inclusion_tag("counsellors/includes/counsellor_teaser.html", takes_context=True)
def counsellor_teaser(context):
    """A few live profiles with their portraits and a link to the list: three queries,
    however many there are. Nothing without a list page."""
    index = CounsellorIndexPage.objects.live().public().first()
    return {
        "request": context.get("request"),
        "counsellor_index": index,
        "counsellors": list(index.get_counsellors()[:TEASER_COUNT]) if index else [],
    }


@register.simple_tag
def portrait(page, css_class="counsellor-portrait", initial=True):
    """A profile's photo in the one portrait rendition (COUNSELLOR_PORTRAIT_FILTER, which
    listings prefetch). Decorative (alt=""): the name is always written next to it.
    Without a photo, the name's first letter, or nothing with initial=False."""
    if page is None:
        return ""
    if page.photo:
        rendition = page.photo.get_rendition(settings.COUNSELLOR_PORTRAIT_FILTER)
        return rendition.img_tag({"alt": "", "class": css_class, "loading": "lazy"})
    if not initial:
        return ""
    return format_html(
        '<span class="{} {}--initial" aria-hidden="true">{}</span>',
        css_class,
        css_class,
        page.title[:1].upper(),
    )
