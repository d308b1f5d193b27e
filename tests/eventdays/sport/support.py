"""A sport day on an event date with registered players, for the sport day's tests."""

from booking.models import EventDate
from eventdays.sport import services
from events.models import EventType
from tests.booking.registrations_support import open_event, register

ACTIVITIES = ["Sport", "Quiz", "Battle de danse", "Battle de chant"]
COURTS = [
    ("Terrain A", ["Football", "Handball", "Basketball", "Tennis de table"]),
    ("Terrain B", ["Football", "Handball", "Basketball", "Tennis de table"]),
]


def sport_event(home, players=24, **fields):
    event = open_event(home, onsite=max(players * 2, 2), event_type=EventType.SPORT, **fields)
    for number in range(players):
        register(event, f"Joueur{number}")
    return event


def sport_day(home, players=24, *, teams=4, planned=True, title="Mini Olympiades"):
    """A draft day of `teams` teams with the demo's activities and two courts; planned
    with the rules the planner suggests relaxing (the strict ones have no plan)."""
    event = sport_event(home, players, title=title)
    date = EventDate.objects.get(event=event)
    day = services.create_sport_day(date, activities=ACTIVITIES, courts=COURTS)
    day.team_count = teams
    day.save()
    services.draw(day)
    if planned:
        outcome = services.plan(day)
        if outcome.infeasible:
            assert (
                services.plan(day, rules=services.relaxed_rules(outcome.infeasible)).infeasible
                is None
            )
    return day
