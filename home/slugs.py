"""Page addresses in ASCII. New pages get them from WAGTAIL_ALLOW_UNICODE_SLUGS = False
(and BasePage.ascii_slug for a slug typed by hand); `ascii_slugs` turns the accented
slugs of pages made before into ASCII. Their old addresses keep working: Wagtail's
redirects app (wagtail.contrib.redirects, WAGTAILREDIRECTS_AUTO_CREATE on by default)
answers each old address of the page and its subpages with a permanent redirect."""

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page


def accented_pages():
    """Pages whose slug is not plain ASCII, children before their parents: the redirects
    made for a parent cover its subpages under their new slugs, and those made for a
    subpage its address before its parent changed."""
    return [page for page in Page.objects.order_by("-depth", "path") if not page.slug.isascii()]


def free_ascii_slug(page):
    """The slug in ASCII, numbered if a sibling already has it ("cafe-2")."""
    base = slugify(page.slug) or "page"
    taken = set(page.get_siblings().exclude(pk=page.pk).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def make_slugs_ascii():
    """Give every accented page an ASCII slug, in its live version and in its latest
    revision (which the editor opens next); return (old url path, new url path) pairs."""
    moved = []
    for page in accented_pages():
        with transaction.atomic():  # Wagtail makes the redirects when each one commits
            page = page.specific
            old_path = page.url_path
            page.slug = free_ascii_slug(page)
            page.save(clean=False)  # only the address changes; older content stays as is
            if page.latest_revision is not None:
                page.latest_revision.content["slug"] = page.slug
                page.latest_revision.save(update_fields=["content"])
            moved.append((old_path, page.url_path))
    return moved
