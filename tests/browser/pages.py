"""Which pages browser tests visit (whatever the sitemap lists, as it grows), at what size."""

import xml.etree.ElementTree as ET

from wagtail.models import Site

# Most visitors are on a phone: pages open at a phone's size unless a test says otherwise.
PHONE = {"width": 360, "height": 740}
COMPUTER = {"width": 1280, "height": 800}
NAMESPACE = {"sitemap": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_urls(page, base_url):
    response = page.request.get(f"{base_url}/sitemap.xml")
    assert response.ok, f"/sitemap.xml answered {response.status}"
    root = ET.fromstring(response.body())
    return [loc.text.strip() for loc in root.iterfind("sitemap:url/sitemap:loc", NAMESPACE)]


def a_word_of_the_home_page():
    """A word the search must find, whatever the demo's home page is called."""
    title = Site.objects.get(is_default_site=True).root_page.title
    return max(title.split(), key=len)
