"""What core builds, as tests find it in a rendered page or in the server's log."""

import html
import io
import logging
import re
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit


def links(response, host):
    """The query strings of the links to ``host`` in the page."""
    hrefs = re.findall(r'href="([^"]+)"', response.content.decode())
    return [
        parse_qs(urlsplit(html.unescape(href)).query)
        for href in hrefs
        if urlsplit(html.unescape(href)).hostname == host
    ]


@contextmanager
def server_log():
    """What the handlers settings.LOGGING configures write, as the server's log would
    show it: their stream is swapped for a buffer, their filters and format kept."""
    handlers = [
        handler
        for logger in (logging.getLogger(), logging.getLogger("django.server"))
        for handler in logger.handlers
        if isinstance(handler, logging.StreamHandler) and handler.filters
    ]
    assert handlers, "settings.LOGGING gives the root logger a filtered console handler"
    buffer = io.StringIO()
    previous = [handler.setStream(buffer) for handler in handlers]
    try:
        yield buffer
    finally:
        for handler, stream in zip(handlers, previous, strict=True):
            handler.setStream(stream)
