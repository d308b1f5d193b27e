"""`load_demo` on an empty database points the site where the server runs."""

import io

from django.core.management import call_command
from wagtail.models import Site

from events.models import EventIndexPage


def test_demo_site_answers_where_the_server_runs_so_full_links_work(db, settings):
    """Canonical links, calendar files and feed addresses use the site's root URL: with
    Wagtail's initial localhost:80 they would point where nothing is served."""
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    call_command("load_demo", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "http://127.0.0.1:8000"
    lens_events = EventIndexPage.objects.child_of(site.root_page).get()
    assert lens_events.full_url == "http://127.0.0.1:8000/evenements/"
