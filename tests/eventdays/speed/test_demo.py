"""The demo's "Adopte un pro": a meeting past, played, with a no-show and walk-ins
seated by the re-plan, and the next date set up with its pros, wishes and a draft."""

import pytest
from django.utils import timezone

from eventdays.models import Seat, SpeedMeeting
from eventdays.planning import speed_meeting as planner
from eventdays.speed import services

pytestmark = pytest.mark.usefixtures("demo")


def test_the_past_meeting_was_played_with_its_walk_ins_seated():
    past = SpeedMeeting.objects.get(date__end__lt=timezone.now())
    assert past.published_at is not None and past.pros.count() == 8
    state = services.state(past, published=True)
    assert not [
        issue for issue in planner.check(state.plan) if isinstance(issue, services.BLOCKING)
    ]
    walk_ins = past.date.registrations.filter(walk_in=True)
    assert walk_ins.count() == 3
    assert Seat.objects.filter(published=True, registration__in=walk_ins).exists()
    no_show = past.date.registrations.get(status="no_show")
    assert not Seat.objects.filter(published=True, registration=no_show, round__gt=0).exists()


def test_the_next_date_has_pros_wishes_and_a_draft_to_review():
    upcoming = SpeedMeeting.objects.get(date__start__gt=timezone.now())
    assert upcoming.published_at is None
    assert upcoming.pros.filter(source="link", consent_at__isnull=False).count() == 6
    assert upcoming.seats.filter(published=False).exists()
    assert upcoming.date.registrations.filter(speed_wishes__isnull=False).exists()


def test_loading_it_again_changes_nothing():
    from eventdays.speed import demo

    before = (SpeedMeeting.objects.count(), Seat.objects.count())
    demo.load()
    assert (SpeedMeeting.objects.count(), Seat.objects.count()) == before
