"""The booking flow's first steps are kept by the page cache for anonymous visitors, as
CMS pages are: the same page for everyone who follows the flow's own links, for a minute
at most, and renewed at once by a booking. Anything else the flow answers (an error, an
invitation, a made-up address, the details form with its CSRF token, a POST) is never
kept, by any cache."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from booking.scheduling.listing import KEPT_SECONDS, slot_key
from booking.web.journey import ANY_COUNSELLOR
from core import pagecache

from ..flow_support import book, flow_url, free_slots, text


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.FRAGMENT_CACHE_SECONDS = 300
    cache.clear()
    pagecache.SITES.clear()
    pagecache.QUERIED.clear()
    yield
    cache.clear()


@pytest.fixture
def slot_step(make_counsellor, individuel, structure):
    counsellor = make_counsellor("samira")
    return counsellor, flow_url(conseiller="samira", format=individuel.slug, lieu=structure.pk)


def kept(client, url, django_assert_max_num_queries):
    """The second visit is answered by the page cache: no query, the same bytes."""
    first = client.get(url)
    assert first.status_code == 200 and first["Cache-Control"] == "no-cache"
    assert first.has_header("ETag")
    with django_assert_max_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    return again


def test_each_step_before_the_details_is_kept_for_the_next_visitor(
    client, slot_step, individuel, structure, django_assert_max_num_queries
):
    for url in (
        flow_url(),
        flow_url(etape="conseiller", conseiller=ANY_COUNSELLOR),
        flow_url(conseiller=ANY_COUNSELLOR, etape="format", format=individuel.slug),
        slot_step[1],
    ):
        kept(client, url, django_assert_max_num_queries)


def test_a_booked_time_leaves_the_kept_step_at_once(
    client, slot_step, individuel, django_assert_max_num_queries
):
    counsellor, url = slot_step
    slot = free_slots(counsellor, individuel)[0]
    value = f'value="{slot_key(slot)}"'
    assert value in text(kept(client, url, django_assert_max_num_queries))
    book(slot, email="karim@example.org")
    assert value not in text(client.get(url))


def test_a_kept_step_is_shown_again_after_a_minute(
    client, slot_step, monkeypatch, django_assert_max_num_queries
):
    """Free times pass their notice with time alone: the step is built again."""
    _, url = slot_step
    kept(client, url, django_assert_max_num_queries)
    later = timezone.now() + timedelta(seconds=KEPT_SECONDS + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(time, "time", later.timestamp)  # the kept fragments' clock
    pagecache.LOCAL.clear()
    with django_assert_max_num_queries(50) as queries:
        client.get(url)
    assert len(queries) > 0


@pytest.mark.parametrize(
    "params",
    [
        {"conseiller": "personne"},  # an error on the page
        {"conseiller": ANY_COUNSELLOR, "utm_source": "sms"},  # something the flow never sends
        {"conseiller": ANY_COUNSELLOR, "etape": "nulle-part"},
        {"conseiller": "samira", "invitation": "jeton"},  # a personal link
    ],
    ids=["error", "unknown parameter", "unknown step", "invitation"],
)
def test_what_the_flow_itself_does_not_make_is_never_kept(client, slot_step, params):
    url = flow_url(**params)
    for _ in range(2):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"] and not response.has_header("ETag")


def test_the_details_step_always_carries_the_visitors_own_form(slot_step, individuel, structure):
    counsellor, _ = slot_step
    slot = free_slots(counsellor, individuel)[0]
    url = flow_url(
        conseiller="samira",
        format=individuel.slug,
        lieu=structure.pk,
        premiere="oui",
        creneau=slot_key(slot),
    )
    tokens = set()
    for _ in range(2):
        visitor = Client()
        response = visitor.get(url)
        assert "no-store" in response["Cache-Control"]
        assert 'name="first_name"' in text(response)
        tokens.add(response.cookies["csrftoken"].value)
    assert len(tokens) == 2


def test_a_visitor_with_a_cookie_gets_a_fresh_step(slot_step, individuel):
    counsellor, url = slot_step
    visitor = Client()
    visitor.get(url)
    visitor.cookies["visite"] = "1"
    slot = free_slots(counsellor, individuel)[0]
    book(slot, email="karim@example.org")
    response = visitor.get(url)
    assert "no-store" in response["Cache-Control"]
    assert f'value="{slot_key(slot)}"' not in text(response)


def test_the_details_fields_are_kept_but_never_what_someone_typed(slot_step, individuel, structure):
    """The new form's fields are the same for everyone and kept; a form sent back with
    an error is the sender's own, and what they typed never reaches the next visitor."""
    counsellor, _ = slot_step
    slot = free_slots(counsellor, individuel)[0]
    choices = {
        "conseiller": "samira",
        "format": individuel.slug,
        "lieu": structure.pk,
        "creneau": slot_key(slot),
    }
    url = flow_url(**choices)
    fresh = text(Client().get(url))
    assert text(Client().get(url)).count('name="first_name"') == 1

    sender = Client()
    sender.get(url)
    refused = sender.post(
        flow_url(),
        {**choices, "etape": "coordonnees", "first_name": "Zoé-Typée", "email": "pas-une-adresse"},
    )
    assert refused.status_code == 400 and "Zoé-Typée" in text(refused)

    after = text(Client().get(url))
    assert "Zoé-Typée" not in after and "pas-une-adresse" not in after
    assert after.split('name="first_name"')[1][:200] == fresh.split('name="first_name"')[1][:200]
