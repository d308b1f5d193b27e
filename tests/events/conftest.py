import pytest
from wagtail.models import Page, Site

from .factories import EventIndexPageFactory, HomePageFactory


@pytest.fixture
def home(db):
    home = HomePageFactory(parent=Page.get_first_root_node())
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home


@pytest.fixture
def index(home):
    return EventIndexPageFactory(parent=home)
