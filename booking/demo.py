"""Demo booking data so free slots exist on a fresh site: places in and around Lens, four
counsellors with weekly opening hours, a weekly group workshop and café meetings.

Idempotent: everything is found by slug, username or name before being created, and a
counsellor who already has opening hours keeps them. The counsellors are a parameter so
the profile pages' demo can pass its own names.
"""

from datetime import datetime, time, timedelta

import recurrence
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from structures.models import Structure

from .models import AvailabilityRule, Counsellor, EventDate, Format, GroupSession, Place
from .services import registrations
from .services.signals import Actor

PLACES = {
    "structure": {
        "kind": Place.Kind.STRUCTURE,
        "name": "Espace Passerelle, Lens",
        "address": "10 rue de l'Avenir, 62300 Lens",
        "directions": "À 5 minutes à pied de la gare de Lens. Bus : arrêt « Avenir ».",
        "accessibility": "Accès de plain-pied, ascenseur, toilettes adaptées.",
    },
    "cafe": {
        "kind": Place.Kind.PUBLIC_PLACE,
        "name": "Café Le Relais, centre-ville",
        "address": "3 place du Marché, 62300 Lens",
        "directions": "En face du marché couvert. Ton conseiller t'attend à l'intérieur.",
        "accessibility": "Entrée de plain-pied. Terrasse calme le matin.",
    },
    "phone": {"kind": Place.Kind.PHONE, "name": "Par téléphone"},
    "video": {"kind": Place.Kind.VIDEO, "name": "En visio"},
    "home": {"kind": Place.Kind.HOME, "name": "Chez toi"},
}

WEEKDAYS = {
    "mo": recurrence.MO,
    "tu": recurrence.TU,
    "we": recurrence.WE,
    "th": recurrence.TH,
    "fr": recurrence.FR,
}

# Each rule: (days, start, end, place key, format slugs; None = every format offered).
COUNSELLORS = [
    {
        "slug": "samia",
        "first_name": "Samia",
        "formats": ["individuel", "cafe", "collectif"],
        "places": ["structure", "cafe", "phone", "video"],
        "rules": [
            (["mo", "tu", "th"], "09:00", "12:00", "structure", ["individuel"]),
            (["we"], "14:00", "17:00", "cafe", ["cafe"]),
            (["fr"], "09:00", "11:00", "phone", ["individuel"]),
        ],
    },
    {
        "slug": "kevin",
        "first_name": "Kévin",
        "formats": ["individuel", "jeu", "collectif"],
        "places": ["structure", "phone", "home"],
        "rules": [
            (["mo", "we"], "14:00", "17:00", "structure", None),
            (["tu"], "14:00", "17:00", "home", ["individuel"]),
        ],
    },
    {
        "slug": "marta",
        "first_name": "Marta",
        "formats": ["individuel", "cafe", "jeu"],
        "places": ["structure", "cafe", "video"],
        "rules": [
            (["tu", "th"], "14:00", "17:30", "structure", ["individuel", "jeu"]),
            (["fr"], "10:00", "12:00", "cafe", ["cafe"]),
            (["we"], "09:00", "12:00", "video", ["individuel"]),
        ],
    },
    {
        "slug": "yanis",
        "first_name": "Yanis",
        "formats": ["individuel", "cafe"],
        "places": ["structure", "cafe", "phone"],
        "rules": [
            (["mo", "tu", "we", "th", "fr"], "09:00", "12:00", "structure", ["individuel"]),
            (["th"], "16:00", "18:00", "cafe", ["cafe"]),
            (["mo"], "14:00", "16:00", "phone", ["individuel"]),
        ],
    },
]

# A weekly workshop, run by the first counsellor who offers the group format.
WORKSHOP_DAY, WORKSHOP_START = 3, time(14, 0)  # Thursday
WORKSHOP_TOPICS = [
    "Écrire un CV qui te ressemble",
    "Se préparer à un entretien",
    "Permis, transports, aides : comment bouger",
    "Découvrir des métiers qui recrutent près de chez toi",
]


def load(counsellors=COUNSELLORS, *, structure=None, places=PLACES, weeks=8, today=None):
    """Create what is missing for `structure` (the default site's unless given: its
    formats are the ones the migrations seed; another structure gets copies) and return
    a one-line summary."""
    structure = structure or Structure.default()
    places = {key: _place(structure, **values) for key, values in places.items()}
    formats = {f.slug: f for f in formats_of(structure)}
    created = [_counsellor(spec, structure, places, formats) for spec in counsellors]
    with timezone.override(structure.zone):  # opening hours are its wall clock
        sessions = _weekly_workshops(
            created, places["structure"], formats["collectif"], weeks, today
        )
    return (
        f"Booking demo ready: {len(created)} counsellors, {len(places)} places, "
        f"{sessions} group sessions in the next {weeks} weeks."
    )


def formats_of(structure):
    """The structure's formats; for a new one, copies of the default structure's."""
    formats = list(Format.objects.filter(structure=structure))
    if formats:
        return formats
    copies = list(Format.objects.filter(structure=Structure.default()))
    for copy in copies:
        copy.pk, copy.structure = None, structure
    return Format.objects.bulk_create(copies)


def _place(structure, kind, name, **details):
    place, _created = Place.objects.get_or_create(
        structure=structure, kind=kind, name=name, defaults=details
    )
    return place


def _counsellor(spec, structure, places, formats):
    user, created = get_user_model().objects.get_or_create(
        username=f"conseil-{spec['slug']}", defaults={"first_name": spec["first_name"]}
    )
    if created:
        user.set_unusable_password()
        user.is_staff = True
        user.save(update_fields=["password", "is_staff"])
        # So they see their own bookings in the admin, and only theirs.
        user.groups.add(*Group.objects.filter(name="Conseillers"))
    counsellor, _created = Counsellor.objects.get_or_create(
        slug=spec["slug"], defaults={"user": user, "first_name": spec["first_name"]}
    )
    counsellor.structures.add(structure)
    counsellor.formats.add(*(formats[slug] for slug in spec["formats"]))
    counsellor.places.add(*(places[key] for key in spec["places"]))
    if not counsellor.availability_rules.exists():
        for days, start, end, place_key, format_slugs in spec["rules"]:
            rule = AvailabilityRule.objects.create(
                counsellor=counsellor,
                recurrence=recurrence.Recurrence(
                    rrules=[recurrence.Rule(recurrence.WEEKLY, byday=[WEEKDAYS[d] for d in days])]
                ),
                start_time=time.fromisoformat(start),
                end_time=time.fromisoformat(end),
                place=places[place_key],
            )
            if format_slugs:
                rule.formats.set([formats[slug] for slug in format_slugs])
    return counsellor


def _weekly_workshops(counsellors, place, workshop_format, weeks, today):
    host = next((c for c in counsellors if workshop_format in c.formats.all()), None)
    if host is None:
        return 0
    today = today or timezone.localdate()
    first = today + timedelta(days=(WORKSHOP_DAY - today.weekday()) % 7)
    duration = timedelta(minutes=workshop_format.duration_minutes)
    for week in range(weeks):
        start = datetime.combine(
            first + timedelta(weeks=week), WORKSHOP_START, tzinfo=timezone.get_current_timezone()
        )
        GroupSession.objects.get_or_create(
            counsellor=host,
            format=workshop_format,
            start=start,
            defaults={
                "title": WORKSHOP_TOPICS[week % len(WORKSHOP_TOPICS)],
                "place": place,
                "end": start + duration,
                "capacity": workshop_format.capacity,
            },
        )
    return weeks


# The second structure of the demo network, overseas: its own places and counsellors,
# in La Réunion's time zone (UTC+4 all year), so `make run` shows two structures.
REUNION_PLACES = {
    "structure": {
        "kind": Place.Kind.STRUCTURE,
        "name": "Antenne de Saint-Denis",
        "address": "12 rue de Paris, 97400 Saint-Denis",
        "directions": "À 2 minutes à pied du Barachois. Bus : arrêt « Jardin de l'État ».",
        "accessibility": "Accès de plain-pied, toilettes adaptées.",
    },
    "cafe": {
        "kind": Place.Kind.PUBLIC_PLACE,
        "name": "Snack du Barachois",
        "address": "Place Sarda Garriga, 97400 Saint-Denis",
        "directions": "Face à la mer, sous les arbres. Ton conseiller t'attend à une table.",
        "accessibility": "En extérieur, de plain-pied.",
    },
    "phone": {"kind": Place.Kind.PHONE, "name": "Par téléphone"},
    "video": {"kind": Place.Kind.VIDEO, "name": "En visio"},
}

REUNION_COUNSELLORS = [
    {
        "slug": "nathalie-reunion",
        "first_name": "Nathalie",
        "formats": ["individuel", "cafe", "collectif"],
        "places": ["structure", "cafe", "phone"],
        "rules": [
            (["mo", "tu", "th"], "08:00", "12:00", "structure", ["individuel"]),
            (["we"], "09:00", "11:30", "cafe", ["cafe"]),
        ],
    },
    {
        "slug": "teddy-reunion",
        "first_name": "Teddy",
        "formats": ["individuel", "jeu"],
        "places": ["structure", "video", "phone"],
        "rules": [
            (["mo", "we", "fr"], "13:30", "16:30", "structure", None),
            (["tu"], "08:00", "10:00", "video", ["individuel"]),
        ],
    },
]


# Who registers for the demo events' first dates, by page slug: (first name, mode, party
# size). "Adopte un pro" takes 8 on site: the 8 seats go, two wait, then one cancels,
# so the first in line holds an offer and the second still waits; the open days have
# one registration, the sport day none yet (all its seats free).
REGISTRANTS = {
    "adopte-un-pro": [
        *[(name, "on_site", 1) for name in ("Amina", "Bilal", "Chloé", "Dylan", "Emma", "Farid")],
        ("Gaëlle", "on_site", 2),
        ("Hugo", "online", 1),
        ("Inès", "online", 1),
        ("Jordan", "on_site", 1),
        ("Kenza", "on_site", 1),
    ],
    "portes-ouvertes": [("Océane", "on_site", 1)],
}
CANCELLING = {"adopte-un-pro": "Farid"}


def load_registrations(events, *, structure=None):
    """Registrations for the first date to come of each of `events` (the demo's event
    pages, given by home.demo: booking never imports events) that takes them, through
    the one service; a date that has some already is left as it is. Returns how many
    were made."""
    structure = structure or Structure.default()
    now = timezone.now()
    made = 0
    for event in events:
        people = REGISTRANTS.get(event.slug)
        occurrences = sorted(
            event.upcoming_registration_occurrences(now).values(), key=lambda o: o.start
        )
        if not people or not occurrences or not event.registrations_open:
            continue
        occurrence = occurrences[0]
        if EventDate.objects.filter(
            event=event, key=occurrence.key, registrations__isnull=False
        ).exists():
            continue
        by_name = {}
        for first_name, mode, party_size in people:
            by_name[first_name] = registrations.register(
                event=event,
                occurrence=occurrence,
                mode=mode,
                structure=structure,
                first_name=first_name,
                email=f"{slugify(first_name)}@example.org",
                party_size=party_size,
                consent=True,
                now=now,
            )
            made += 1
        if leaving := CANCELLING.get(event.slug):
            registrations.cancel_registration(by_name[leaving], by=Actor.PERSON, now=now)
    return made
