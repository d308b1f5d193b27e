"""Counsellors on pages of other apps: the home page's section."""

from django import template

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
