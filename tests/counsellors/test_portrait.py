"""A counsellor's portrait is one rendition everywhere: profile, list, home page and the
booking step, which prefetches it too (booking reads the filter from the settings, as it
never imports counsellors)."""

import re

import pytest
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from booking.models import Counsellor, Format
from structures.models import Structure
from tests.counsellors.factories import CounsellorIndexPageFactory, CounsellorPageFactory
from tests.home.factories import HomePageFactory

# The booking step's queries with any number of portraits: session, the counsellors,
# their profile pages, the pages' portraits and the portraits' renditions, and the
# site settings and menus of base.html.
COUNSELLOR_STEP_QUERIES = 12


@pytest.fixture
def index(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    home = HomePageFactory(parent=Page.get_first_root_node())
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "testserver", "root_page": home}
    )
    return CounsellorIndexPageFactory(parent=home)


@pytest.fixture
def make_profile(index, django_user_model):
    meeting = Format.objects.create(
        structure=Structure.default(), slug="test-portrait", name="Individuel", duration_minutes=45
    )

    def make(slug):
        user = django_user_model.objects.create(username=slug)
        counsellor = Counsellor.objects.create(user=user, slug=slug, first_name=slug.title())
        counsellor.structures.add(Structure.default())
        counsellor.formats.add(meeting)
        return CounsellorPageFactory(parent=index, title=slug.title(), counsellor=counsellor)

    return make


def portraits(html):
    return re.findall(r'<img [^>]*src="([^"]+)"', html)


def test_the_booking_step_shows_the_profiles_rendition(client, settings, make_profile):
    profile = make_profile("samira")
    on_profile = portraits(client.get(profile.url).content.decode())
    step = client.get(reverse("booking:flow")).content.decode()

    assert portraits(step) == on_profile
    assert settings.COUNSELLOR_PORTRAIT_FILTER in on_profile[0]
    assert re.search(r'<img alt="" class="booking-option__photo"[^>]* loading="lazy"', step)
    assert get_image_model().get_rendition_model().objects.count() == 1


def test_the_booking_step_costs_the_same_queries_for_1_or_5_portraits(
    client, make_profile, django_assert_max_num_queries
):
    counts = []
    for slugs in (["samira"], ["julien", "yanis", "marta", "kevin"]):
        for slug in slugs:
            make_profile(slug)
        client.get(reverse("booking:flow"))  # the first visit makes the renditions
        with django_assert_max_num_queries(COUNSELLOR_STEP_QUERIES) as queries:
            html = client.get(reverse("booking:flow")).content.decode()
        counts.append(len(queries))
    assert len(portraits(html)) == 5
    assert counts[0] == counts[1]


def test_without_a_photo_lists_show_the_initial_and_the_booking_step_nothing(
    client, index, make_profile
):
    profile = make_profile("yanis")
    profile.photo = None
    profile.save_revision().publish()

    assert 'aria-hidden="true">Y</span>' in client.get(index.url).content.decode()
    step = client.get(reverse("booking:flow")).content.decode()
    assert "<img" not in step and "--initial" not in step
