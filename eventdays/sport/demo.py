"""A planned sport day on the demo's "Journée sport et emploi" (home.demo gives its
event pages: eventdays is composed, never imported, by the editorial base).

From the young people's "Mini Olympiades" and "Pôle sport" ideas (Sprint Créa Jeunes,
Lens), in our own words: four teams of six, each naming itself, go round four
activities (sport, a general-knowledge quiz, a dance battle, a singing battle) and play
short matches of football, basketball, handball and table tennis, for a ranking and
prizes; recruiters watch the games rather than read CVs. Registered through booking's
service; found by its date, so loading twice changes nothing."""

from django.utils import timezone
from django.utils.text import slugify

from booking.models import EventDate
from booking.services import registrations
from structures.models import Structure

from . import services
from .models import SportDay

EVENT_SLUG = "journee-sport-et-emploi"
PLAYERS = (
    "Alicia", "Baptiste", "Camille", "Dounia", "Enzo", "Fatou", "Gabin", "Héloïse",
    "Ilyes", "Jade", "Kylian", "Lina", "Maël", "Nour", "Owen", "Priscilla",
    "Quentin", "Rayan", "Sarah", "Théo", "Ulysse", "Victoire", "Wassim", "Yasmine",
)  # fmt: skip
TEAM_NAMES = ("Les Terrils", "Les Gaillettes", "Les Corons", "Les Galibots")
ACTIVITIES = ("Sport", "Quiz de culture générale", "Battle de danse", "Battle de chant")
ALL_SPORTS = ("Football", "Basketball", "Handball", "Tennis de table")
COURTS = (("Grande salle", ALL_SPORTS), ("Salle annexe", ALL_SPORTS))


def load(events, *, structure=None):
    """The sport day of the first date to come of the demo's sport event, planned with
    the rule the planner says to relax, and published. Returns it, or None."""
    structure = structure or Structure.default()
    event = next((event for event in events if event.slug == EVENT_SLUG), None)
    if event is None:
        return None
    now = timezone.now()
    occurrences = sorted(
        event.upcoming_registration_occurrences(now).values(), key=lambda o: o.start
    )
    if not occurrences:
        return None
    occurrence = occurrences[0]
    date = EventDate.objects.filter(event=event, key=occurrence.key).first()
    if date is not None and SportDay.objects.filter(date=date).exists():
        return date.sport_day
    for first_name in PLAYERS:
        registrations.register(
            event=event,
            occurrence=occurrence,
            mode="on_site",
            structure=structure,
            first_name=first_name,
            email=f"{slugify(first_name)}.sport@example.org",
            consent=True,
            now=now,
        )
    date = EventDate.objects.get(event=event, key=occurrence.key)
    day = services.create_sport_day(date, activities=ACTIVITIES, courts=COURTS)
    for team in services.draw(day):
        services.rename_team(team, TEAM_NAMES[team.number - 1])
    planned = services.plan(day)
    if planned.infeasible is not None:
        services.plan(day, rules=services.relaxed_rules(planned.infeasible))
    services.publish(day)
    return day
