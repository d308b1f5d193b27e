"""What the slot step costs in queries: the same for 3 or 30 counsellors, and the
availability read once even when the page has to look past a week with nothing free."""

from datetime import timedelta

import pytest
from django.utils import timezone

from booking.models import Closure
from booking.scheduling.listing import monday_of, slot_key
from booking.web import journey, views
from booking.web.journey import ANY_COUNSELLOR
from structures.models import Structure
from tests.core.support import queries_of_a_render

from ..flow_support import book, flow_url, free_slots, text

# 7 for the availability up to the format's horizon (booking.scheduling.loading); the
# choices (the counsellor, the format, the places), the site, its structure and the
# settings come from the cache (the menu's pages cost 1 more on a site that has some). A
# week closed used to cost 7 more, to read the next week. Kept for those browsing
# (listing.KEPT_SECONDS), the week costs nothing.
SLOT_STEP_QUERIES = {"computed": 7, "kept": 0}


@pytest.mark.parametrize("closed_this_week", [False, True], ids=["free-now", "closed-now"])
def test_the_slot_step_reads_the_availability_once_for_3_or_30_counsellors(
    fragments_cached, make_counsellor, individuel, structure, closed_this_week, monkeypatch
):
    today = timezone.localdate()
    if closed_this_week:
        Closure.objects.create(
            structure=Structure.default(),
            label="Fermeture",
            start_date=today,
            end_date=today + timedelta(7),
        )
    url = flow_url(
        conseiller=ANY_COUNSELLOR, format=individuel.slug, lieu=structure.pk, premiere="oui"
    )
    made, counts = [], []
    for number in (3, 30):
        while len(made) < number:
            made.append(make_counsellor(f"c{len(made)}"))
        with monkeypatch.context() as patch:
            patch.setattr(views, "KEPT_SECONDS", 0)
            counts.append(("computed", queries_of_a_render(fragments_cached, url)))
        counts.append(("kept", queries_of_a_render(fragments_cached, url)))
    assert counts == list(SLOT_STEP_QUERIES.items()) * 2
    html = text(fragments_cached.get(url))
    assert 'name="creneau"' in html
    if closed_this_week:  # the week after the closure is shown, with a link back
        assert f"semaine={monday_of(today).isoformat()}" in html


def test_the_counsellor_step_keeps_its_list_and_follows_every_change(
    fragments_cached, make_counsellor, structure, other_structure, settings
):
    """The list of people to choose from is kept under the site's version: read once,
    each structure its own, and gone at once for someone no longer bookable."""
    settings.ALLOWED_HOSTS = ["testserver", "sud.localhost"]
    samira = make_counsellor("samira")
    make_counsellor("karim")
    first = queries_of_a_render(fragments_cached, flow_url())
    for number in range(30):
        make_counsellor(f"c{number}")
    assert queries_of_a_render(fragments_cached, flow_url()) == first
    elsewhere = text(fragments_cached.get(flow_url(), headers={"host": "sud.localhost"}))
    assert 'value="karim"' not in elsewhere
    samira.active = False
    samira.save()
    html = text(fragments_cached.get(flow_url()))
    assert 'value="samira"' not in html and 'value="karim"' in html


def test_a_booked_time_leaves_the_kept_week_at_once(
    fragments_cached, make_counsellor, individuel, structure
):
    """The week kept for those browsing is renewed by the booking itself: the next
    visitor never sees the time just taken."""
    samira = make_counsellor("samira")
    url = flow_url(conseiller="samira", format=individuel.slug, lieu=structure.pk, premiere="oui")
    slot = free_slots(samira, individuel)[0]
    value = f'value="{slot_key(slot)}"'
    assert value in text(fragments_cached.get(url))
    assert value in text(fragments_cached.get(url))  # kept
    book(slot, email="karim@example.org")
    assert value not in text(fragments_cached.get(url))


def test_the_details_step_keeps_its_answer_until_the_time_is_booked(
    fragments_cached, make_counsellor, individuel, structure
):
    """Whether the chosen time is free is kept like the week it came from: the same
    answer costs no availability read, and a booking of that time sends the next
    visitor back to choose another at once."""
    samira = make_counsellor("samira")
    slot = free_slots(samira, individuel)[0]
    url = flow_url(
        conseiller="samira",
        format=individuel.slug,
        lieu=structure.pk,
        premiere="oui",
        creneau=slot_key(slot),
    )
    first = queries_of_a_render(fragments_cached, url)
    assert 'name="first_name"' in text(fragments_cached.get(url))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(journey, "KEPT_SECONDS", 0)
        computed = queries_of_a_render(fragments_cached, url)
    assert first < computed
    book(slot, email="karim@example.org")
    html = text(fragments_cached.get(url))
    assert 'name="first_name"' not in html and 'name="creneau"' in html


def test_the_choices_are_kept_and_follow_every_change_at_once(
    fragments_cached, make_counsellor, individuel, collectif, structure
):
    """What each step offers (the counsellor, their formats, the places with opening
    hours) is kept under the site's version: staff's changes to a format, a place, a
    counsellor's formats or opening hours show on the next visit, not a minute later."""
    samira = make_counsellor("samira", formats=[individuel, collectif])
    formats_url = flow_url(conseiller="samira")
    places_url = flow_url(conseiller="samira", format=individuel.slug)
    assert queries_of_a_render(fragments_cached, places_url) == 0
    assert "Espace Passerelle" in text(fragments_cached.get(places_url))
    assert f'value="{collectif.slug}"' in text(fragments_cached.get(formats_url))

    collectif.active = False
    collectif.save()
    assert f'value="{collectif.slug}"' not in text(fragments_cached.get(formats_url))

    samira.formats.remove(individuel)
    assert f'value="{individuel.slug}"' not in text(fragments_cached.get(formats_url))
    samira.formats.add(individuel)

    structure.name = "Espace Jeunes"
    structure.save()
    assert "Espace Jeunes" in text(fragments_cached.get(places_url))

    samira.availability_rules.all().delete()
    assert "Espace Jeunes" not in text(fragments_cached.get(places_url))
