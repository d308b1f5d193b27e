"""The demo's "Adopte un pro" (home.demo composes it after booking's registrations):
the idea the young people of the Sprint Créa Jeunes brought, a half-day of 10-minute
talks with employers and counsellors to find the person one feels best with.

- A past meeting, a month ago, played to the end: its pros, its registered young people
  and their wishes, one no-show and three who came without registering, seated by the
  re-plan at the check-in, then the plan published and played.
- The next date of the event page, open to registration: set up with its pros, who took
  their tables by the link, the wishes of those registered, and a draft to review.

Written through the services only (booking's for the registrations, ours for the rest),
and only when missing: running it again changes nothing.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.text import slugify

from booking.models import Counsellor, EventDate
from booking.services import registrations
from events.models import EventPage
from events.occurrences import Occurrence
from structures.models import Structure

from ..models import Pro, Sector
from . import follow_ups_demo, services

SLUG = "adopte-un-pro"

# (company, job, sector, name shown, seats): pros from around Lens, in our own words.
EMPLOYERS = [
    ("Garage Martin", "Mécanique auto", Sector.REPAIR, "Sophie", 2),
    ("Boulangerie du Marché", "Boulangerie", Sector.HOSPITALITY, "Karim", 1),
    ("Résidence Les Tilleuls", "Aide-soignant·e", Sector.HEALTH, "Nadia", 2),
    ("Ville de Lens", "Espaces verts", Sector.NATURE, "Thierry", 2),
    ("Bus Artois", "Conduite de bus", Sector.TRANSPORT, "Cédric", 1),
    ("Bâti Nord", "Maçonnerie", Sector.BUILDING, "Julie", 2),
]
# The demo's counsellors (booking.demo) who sit at a table too.
COUNSELLORS = ("samia", "kevin")

# Eight: the page seats as many on site.
PAST_REGISTERED = ["Lina", "Mehdi", "Sarah", "Théo", "Anaïs", "Rayan", "Zoé", "Maëva"]
PAST_NO_SHOW = "Maëva"
PAST_WALK_INS = ["Ilyes", "Manon", "Lucas"]
# Who wished what: sectors, and named companies (or counsellors' slugs).
WISHES = {
    "Lina": ([Sector.HEALTH], ["Résidence Les Tilleuls"]),
    "Mehdi": ([Sector.REPAIR], ["Garage Martin", "samia"]),
    "Sarah": ([], ["Boulangerie du Marché"]),
    "Théo": ([Sector.TRANSPORT, Sector.BUILDING], []),
    "Rayan": ([], ["Garage Martin", "Bâti Nord"]),
    "Zoé": ([Sector.NATURE], ["kevin"]),
    "Amina": ([Sector.HEALTH], []),
    "Bilal": ([], ["Garage Martin"]),
    "Chloé": ([Sector.HOSPITALITY], ["samia"]),
    "Dylan": ([Sector.TRANSPORT], []),
}


def load(structure=None):
    """Both meetings, when the event page is there and they are not."""
    structure = structure or Structure.default()
    page = EventPage.objects.filter(slug=SLUG).first()
    if page is None or not page.registrations_open:
        return
    now = timezone.now()
    if not EventDate.objects.filter(event=page, speed_meeting__isnull=False, end__lt=now).exists():
        _past(page, structure, now)
    upcoming = sorted(page.upcoming_registration_occurrences(now).values(), key=lambda o: o.start)
    if upcoming:
        _upcoming(page, structure, upcoming[0], now)


def _past(page, structure, now):
    day = timezone.localdate(now) - timedelta(days=28)
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time(14), tzinfo=zone)
    occurrence = Occurrence(start=start, end=start + timedelta(hours=3))
    before = start - timedelta(days=6)
    people = {
        name: _register(page, structure, occurrence, name, before) for name in PAST_REGISTERED
    }
    date = people[PAST_REGISTERED[0]].date
    meeting = services.set_up(date, rounds=6, first_round_at=start + timedelta(minutes=15))
    pros = _pros(meeting, Pro.Source.STAFF, before)
    _wish(people, pros)
    on_the_day = start
    services.draft(meeting, now=on_the_day)
    services.publish(meeting, now=on_the_day)
    for name, registration in people.items():
        if name == PAST_NO_SHOW:
            registrations.mark_no_show(registration)
        else:
            registrations.mark_attended(registration)
    for name in PAST_WALK_INS:
        registrations.register_walk_in(
            date, mode="on_site", first_name=name, email=f"{slugify(name)}@example.org"
        )
    services.replan(meeting, now=on_the_day)
    services.publish(meeting, now=on_the_day)
    follow_ups_demo.load(meeting)


def _upcoming(page, structure, occurrence, now):
    date = registrations.event_date(structure, page, occurrence)
    if hasattr(date, "speed_meeting"):
        return
    meeting = services.set_up(date, rounds=8)
    pros = _pros(meeting, Pro.Source.LINK, now)
    people = {
        registration.young_person.first_name: registration
        for registration in date.registrations.filter(
            status__in=services.PLANNED, pool__mode="on_site"
        ).select_related("young_person", "date")
    }
    _wish(people, pros)
    services.draft(meeting, now=now)


def _register(page, structure, occurrence, name, now):
    return registrations.register(
        event=page,
        occurrence=occurrence,
        mode="on_site",
        structure=structure,
        first_name=name,
        email=f"{slugify(name)}@example.org",
        consent=True,
        now=now,
    )


def _pros(meeting, source, now):
    """The employers and the counsellors, by company or counsellor's slug."""
    pros = {}
    for company, job, sector, name, seats in EMPLOYERS:
        pros[company] = services.add_pro(
            meeting,
            services.ProDetails(
                kind=Pro.Kind.EMPLOYER,
                name=name,
                company=company,
                job=job,
                sector=sector,
                seats=seats,
                email=f"{slugify(name)}@{slugify(company)}.example.org",
            ),
            source=source,
            consent=True,
            now=now,
        )
    for counsellor in Counsellor.objects.filter(slug__in=COUNSELLORS, structures=meeting.structure):
        pros[counsellor.slug] = services.add_pro(
            meeting,
            services.ProDetails(kind=Pro.Kind.COUNSELLOR, name="", counsellor=counsellor, seats=2),
            source=Pro.Source.STAFF,
            now=now,
        )
    return pros


def _wish(people, pros):
    for name, (sectors, named) in WISHES.items():
        if name in people:
            services.set_wishes(
                people[name], sectors=sectors, pros=[pros[key] for key in named if key in pros]
            )
