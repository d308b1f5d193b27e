"""A planned sport day: the demo's "Mini Olympiades, la revanche", an event page of
its own under the demo's event list (home.demo gives it: eventdays is composed, never
imported, by the editorial base), so the other demo events keep their seats free.

From the young people's "Mini Olympiades" and "Pôle sport" ideas (Sprint Créa Jeunes,
Lens), in our own words: four teams of six, each naming itself, go round four
activities (sport, a general-knowledge quiz, a dance battle, a singing battle) and play
short matches of football, basketball, handball and table tennis, for a ranking and
prizes; recruiters watch the games rather than read CVs. Registered through booking's
service; found by its slug and its date, so loading twice changes nothing."""

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from booking.models import EventDate
from booking.services import registrations
from events.demo import CONTACT, at, next_weekday
from events.models import AttendanceMode, EventOccurrence, EventPage, EventType
from structures.models import Structure

from . import services
from .models import SportDay

EVENT_SLUG = "mini-olympiades-la-revanche"
PLAYERS = (
    "Alicia", "Baptiste", "Camille", "Dounia", "Enzo", "Fatou", "Gabin", "Héloïse",
    "Ilyes", "Jade", "Kylian", "Lina", "Maël", "Nour", "Owen", "Priscilla",
    "Quentin", "Rayan", "Sarah", "Théo", "Ulysse", "Victoire", "Wassim", "Yasmine",
)  # fmt: skip
TEAM_NAMES = ("Les Terrils", "Les Gaillettes", "Les Corons", "Les Galibots")
ACTIVITIES = ("Sport", "Quiz de culture générale", "Battle de danse", "Battle de chant")
ALL_SPORTS = ("Football", "Basketball", "Handball", "Tennis de table")
COURTS = (("Grande salle", ALL_SPORTS), ("Salle annexe", ALL_SPORTS))


def event_page(today):
    day = next_weekday(today + timedelta(weeks=4), 2)
    return EventPage(
        title="Mini Olympiades, la revanche",
        slug=EVENT_SLUG,
        event_type=EventType.SPORT,
        intro=(
            "Quatre équipes de six qui se choisissent un nom, quatre épreuves, des matchs "
            "courts et un classement en direct. Des recruteurs viennent te voir jouer."
        ),
        body=(
            "<p>Le matin, chaque équipe passe par le sport, le quiz de culture générale, la "
            "battle de danse et la battle de chant. L'après-midi, des matchs de foot, de "
            "basket, de hand et de ping-pong.</p>"
            "<p>Le classement s'affiche sur grand écran toute la journée, et des lots "
            "récompensent les premiers et le meilleur fair-play.</p>"
        ),
        attendance_mode=AttendanceMode.IN_PERSON,
        venue_name="Gymnase du Parc",
        address="8 rue du Stade\n62800 Liévin",
        audience="Les jeunes de 16 à 29 ans, quel que soit ton niveau.",
        what_to_bring="Une tenue de sport et ta bonne humeur.",
        travel_help="Trajets remboursés sur présentation du justificatif.",
        occurrences=[EventOccurrence(start=at(day, 9), end=at(day, 17))],
        registrations_open=True,
        onsite_capacity=len(PLAYERS),
        **CONTACT,
    )


def load(events_index, *, structure=None):
    """The demo's sport event under `events_index` (added if missing, never edited) and
    the sport day of its date: drawn, planned with the rule the planner says to relax,
    and published. Returns the day, or None when the event has no date to come."""
    structure = structure or Structure.default()
    event = EventPage.objects.child_of(events_index).filter(slug=EVENT_SLUG).first()
    if event is None:
        if events_index.get_children().filter(slug=EVENT_SLUG).exists():
            return None
        event = event_page(timezone.localdate())
        events_index.add_child(instance=event)
        event.save_revision().publish()
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
