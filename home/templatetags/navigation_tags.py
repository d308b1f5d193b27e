"""Site-wide navigation, built from the page tree so editors manage it in one place."""

from django import template
from wagtail.models import Page, Site

from home.models import AccessibilityPage, SiteIdentity

register = template.Library()


def current_page(context):
    """The Wagtail page being shown, if any: other views may use "page" for a paginator page."""
    page = context.get("page")
    return page if isinstance(page, Page) else None


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The links typed in the site settings; while there are none, the home page's live
    children ticked "Show in menus", in tree order. The site name at the top of every
    page already leads home."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"items": [], "request": request}
    current = current_page(context)
    current_path = current.path if current else ""

    def item(href, text, page=None):
        # The home page is everyone's ancestor: it is current only on itself.
        if page is not None:
            is_current = page.path == current_path
            in_section = page.depth > site.root_page.depth and current_path.startswith(page.path)
        else:
            is_current = href == request.path
            in_section = href.startswith("/") and href != "/" and request.path.startswith(href)
        return {"href": href, "text": text, "current": is_current, "in_section": in_section}

    links = SiteIdentity.for_request(request).main_menu
    if links:
        items = [
            item(link.value.href, link.value.text, link.value.get("page"))
            for link in links
            if link.value.href
        ]
    else:
        items = [
            item(page.get_url(request), page.title, page)
            for page in site.root_page.get_children().live().in_menu()
        ]
    return {"items": items, "request": request}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """Only below the first level: one step from home, the menu already says where you are."""
    page = current_page(context)
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if page is None or site is None or page.depth <= site.root_page.depth + 1:
        return {"ancestors": []}
    ancestors = page.get_ancestors().filter(depth__gte=site.root_page.depth)
    return {"ancestors": ancestors, "page": page, "request": request}


@register.simple_tag
def accessibility_declaration():
    """The one declaration, for the compliance status every page must show in its footer."""
    return AccessibilityPage.objects.live().first()
