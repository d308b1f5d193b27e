"""The demo's sport day: four named teams of six, four activities, six matches on two
courts, published; loading it again changes nothing."""

import pytest

from eventdays.sport import demo
from eventdays.sport.models import Match, SportDay, Visit
from events import demo as events_demo

pytestmark = pytest.mark.django_db


def test_the_demo_plans_and_publishes_a_sport_day_once(home):
    index = events_demo.load(home)
    day = demo.load(index)
    assert day.is_published
    assert [(team.name, team.members.count()) for team in day.teams.all()] == [
        ("Les Terrils", 6), ("Les Gaillettes", 6), ("Les Corons", 6), ("Les Galibots", 6),
    ]  # fmt: skip
    assert Visit.objects.count() == 16 and Match.objects.count() == 6
    assert day.date.event.slug == "mini-olympiades-la-revanche"
    assert demo.load(index) == day and SportDay.objects.count() == 1
