"""Fixtures shared by every test folder."""

import io
import os

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from wagtail.models import Page, Site

from core import sms
from structures.models import Structure
from tests.home.factories import HomePageFactory
from tests.support import S3Server, missing


@pytest.fixture(scope="session")
def postgres_url():
    """The throwaway PostgreSQL server that scripts/with-postgres.sh starts for make test."""
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        missing("TEST_POSTGRES_URL is not set: run the suite with `make test`")
    return url


@pytest.fixture(scope="session")
def redis_url():
    """The throwaway Redis server that scripts/with-services.sh starts for make test."""
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        missing("TEST_REDIS_URL is not set: run the suite with `make test`")
    return url


@pytest.fixture(scope="session")
def s3_server():
    """The throwaway SeaweedFS S3 gateway that scripts/with-services.sh starts for make test."""
    server = S3Server.from_environment()
    if server is None:
        missing("TEST_S3_ENDPOINT_URL is not set: run the suite with `make test`")
    return server


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts from an empty cache: rate-limit counters, and what is kept per
    site id (structures, page versions), since ids come back after a rollback."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def sms_outbox():
    """The text messages the locmem backend sent in this test, as pytest-django empties
    `mail.outbox` for e-mails."""
    sms.outbox.clear()
    return sms.outbox


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded and generated files go to a throwaway folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def home(db):
    """Our HomePage as the root of the default site, as load_demo leaves it."""
    home = HomePageFactory(parent=Page.get_first_root_node())
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home


@pytest.fixture
def other_structure(db):
    """A second structure of the network, on its own site (host `sud.localhost`) and in
    La Réunion's time zone: what the default site's pages and links must never show."""
    root = Page.get_first_root_node().add_child(
        instance=HomePageFactory.build(title="Mission Locale Sud", slug="ml-sud")
    )
    site = Site.objects.create(hostname="sud.localhost", port=80, root_page=root)
    structure = Structure.for_site(site)
    structure.name = "Mission Locale Sud"
    structure.time_zone = "Indian/Reunion"
    structure.phone_region = "RE"
    structure.save()
    return structure


@pytest.fixture(scope="module")
def demo_of_the_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """load_demo, run once for a whole module inside a transaction that is rolled back
    after the module's last test, on SQLite as on PostgreSQL: other modules never see
    the demo. Yields the folder of its media files. Tests use it through `demo`."""
    media = tmp_path_factory.mktemp("demo-media")
    module_transaction = transaction.atomic()
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        module_transaction.__enter__()
        call_command("load_demo", stdout=io.StringIO())
    yield media
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        module_transaction.__exit__(None, None, None)
    cache.clear()  # Wagtail caches the demo site's root paths.


@pytest.fixture
def demo(demo_of_the_module, db, media_root, settings):
    """The demo site, loaded once for the module (much faster than once per test). Each
    test runs in a savepoint, so what it writes is undone before the next one; a test that
    needs a fresh demo, or none, belongs in another module. A module using it should
    say so for all its tests, with pytestmark = pytest.mark.usefixtures("demo"), since
    the demo stays in the database until the module ends."""
    settings.MEDIA_ROOT = demo_of_the_module
