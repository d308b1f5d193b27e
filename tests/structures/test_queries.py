"""One structure's pages cost the same queries however many structures share the
install: nothing a page reads is listed across structures."""

import pytest
from django.urls import reverse
from wagtail.models import Page, Site

from booking.models import Format
from structures.models import Structure

from .conftest import open_counsellor

pytestmark = pytest.mark.django_db


def add_structures(count, start=0):
    for index in range(start, start + count):
        site = Site.objects.create(
            hostname=f"s{index}.localhost", port=80, root_page=Page.get_first_root_node()
        )
        open_counsellor(Structure.for_site(site), f"conseil-{index}")


def queries_of(client, url, django_assert_max_num_queries):
    client.get(url)  # the site and its structure, cached as after any first visit
    with django_assert_max_num_queries(40) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/counsellors",
        "/api/v1/formats",
        "/api/v1/slots?format=individuel",
        "/rendez-vous/",
        "/rendez-vous/?conseiller=samia",
    ],
)
def test_a_structures_pages_cost_the_same_with_1_or_20_structures(
    lens, lens_client, url, settings, django_assert_max_num_queries
):
    settings.FRAGMENT_CACHE_SECONDS = 300  # as in production: each host's site cached
    open_counsellor(lens, "samia")
    Format.objects.update(horizon_days=30)
    alone = queries_of(lens_client, url, django_assert_max_num_queries)
    add_structures(19)
    assert Structure.objects.count() == 20
    assert queries_of(lens_client, url, django_assert_max_num_queries) == alone


def test_the_counsellor_feed_costs_the_same_with_1_or_20_structures(
    lens, lens_client, django_assert_max_num_queries
):
    from booking.calendars import feed

    samia = open_counsellor(lens, "samia")
    url = reverse("booking:counsellor_feed", args=[feed.issue_token(samia)])
    alone = queries_of(lens_client, url, django_assert_max_num_queries)
    add_structures(19)
    assert queries_of(lens_client, url, django_assert_max_num_queries) == alone
