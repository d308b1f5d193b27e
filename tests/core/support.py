"""What core builds, as tests find it in a rendered page or in the server's log."""

import html
import io
import logging
import re
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


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


@pytest.fixture
def fragments_cached(settings):
    """The layout's fragments and the site settings cached as in production, and a
    client the page cache never answers (it carries a cookie), so each visit renders."""
    settings.PAGE_CACHE_SECONDS = 300
    settings.FRAGMENT_CACHE_SECONDS = 300
    cache.clear()
    client = Client()
    client.cookies["visite"] = "1"
    yield client
    cache.clear()


def queries_of_a_render(client, url, *, content_kept=True):
    """How many queries a visit renders with, once the first visit has created what it
    keeps (renditions, the settings row, fragments). With content_kept=False the page's
    content block is rendered each time too, as on a first visit after a change: the
    page's own queries."""
    from home.models import BasePage

    shared = BasePage.content_is_shared
    BasePage.content_is_shared = shared and content_kept
    try:
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
    finally:
        BasePage.content_is_shared = shared
    return len(queries)
