"""Fixtures shared by every test folder."""

import os

import pytest
from wagtail.models import Page, Site

from tests.home.factories import HomePageFactory
from tests.support import missing


@pytest.fixture(scope="session")
def postgres_url():
    """The throwaway PostgreSQL server that scripts/with-postgres.sh starts for make test."""
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        missing("TEST_POSTGRES_URL is not set: run the suite with `make test`")
    return url


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
