"""What core builds, as tests find it in a rendered page."""

import html
import re
from urllib.parse import parse_qs, urlsplit


def links(response, host):
    """The query strings of the links to ``host`` in the page."""
    hrefs = re.findall(r'href="([^"]+)"', response.content.decode())
    return [
        parse_qs(urlsplit(html.unescape(href)).query)
        for href in hrefs
        if urlsplit(html.unescape(href)).hostname == host
    ]
