"""Demo events drawn from the Sprint Créa Jeunes ideas (Lens, 2022), written in our own words.

Young people asked for open days several times a year, sport days with recruiters, speed
meetings with professionals and hybrid events that spare them a trip. Dates are set
relative to the day of loading, and the open days repeat, so the demo always has events
to come. load() only adds what is missing, found by slug: it never edits an existing page.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone
from recurrence import WE, YEARLY, Recurrence, Rule

from .models import AttendanceMode, EventIndexPage, EventOccurrence, EventPage, EventType

CONTACT = {
    "contact_name": "Accueil de la Mission locale",
    "contact_email": "evenements@passerelle.example.org",
    # A number from the range reserved for fiction (ARCEP), so nobody real gets called.
    "contact_phone": "03 53 48 12 34",
}
# Yearly rather than monthly: the widget's yearly form is the one that shows the months.
OPEN_DAYS_RULE = Rule(YEARLY, bymonth=[3, 6, 9, 12], byday=[WE(1)])


def load(home_page, builds=None):
    """Create the event list under ``home_page`` and the demo events it lacks (made by
    `builds`, the Lens events by default), in its structure's time zone."""
    builds = builds or (open_days, sport_day, adopte_un_pro, interview_workshop, mini_olympiades)
    index = EventIndexPage.objects.child_of(home_page).first()
    if index is None:
        if home_page.get_children().filter(slug="evenements").exists():
            return None
        index = EventIndexPage(
            title="Événements",
            slug="evenements",
            intro=(
                "<p>Portes ouvertes, journées sport, rencontres avec des pros : venez "
                "comme tu es, seul ou avec des amis. C'est gratuit.</p>"
            ),
        )
        home_page.add_child(instance=index)
        index.save_revision().publish()

    existing = set(index.get_children().values_list("slug", flat=True))
    today = timezone.localdate()
    for build in builds:
        event = build(today)
        if event.slug not in existing:
            index.add_child(instance=event)
            event.save_revision().publish()
    return index


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def next_weekday(day, weekday):
    """The first ``weekday`` (0 = Monday) on or after ``day``."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def open_days(today):
    """First Wednesday of March, June, September and December; the second one ahead is
    off and the third moves to the Thursday (EXDATE and RECURRENCE-ID in the .ics)."""
    coming = OPEN_DAYS_RULE.to_dateutil_rrule(dtstart=datetime.combine(today, time()))
    skipped = coming[1].date()
    moved = coming[2].date()
    thursday = moved + timedelta(days=1)
    return EventPage(
        title="Portes ouvertes",
        slug="portes-ouvertes",
        event_type=EventType.OPEN_DAY,
        intro=(
            "Quatre fois par an, on t'ouvre nos portes : visite les lieux, rencontre les "
            "conseillers et pose toutes tes questions, sans rendez-vous."
        ),
        body=(
            "<p>Pas de file d'attente ni de questionnaire : un café, un tour des locaux, "
            "et des conseillers disponibles pour parler de ce qui t'intéresse "
            "(emploi, formation, logement, permis de conduire, santé).</p>"
            "<h3>Au programme</h3>"
            "<ul><li>Visite des lieux toutes les demi-heures</li>"
            "<li>Présentation de l'équipe en petits groupes</li>"
            "<li>Prise de rendez-vous sur place si tu le souhaites</li></ul>"
            "<p>Si une date est annulée, elle disparaît de la liste : les dates affichées "
            "ici sont toujours à jour.</p>"
        ),
        attendance_mode=AttendanceMode.IN_PERSON,
        venue_name="Espace Passerelle, Mission locale",
        address="14 rue des Terrils\n62300 Lens",
        audience="Les jeunes de 16 à 29 ans, leurs parents ou amis s'ils veulent venir aussi.",
        what_to_bring="Rien du tout. Ton CV si tu en as un et veux un avis dessus.",
        travel_help=(
            "Arrêt de bus « Terrils » à deux minutes à pied. Si le trajet te pose "
            "problème, appelle-nous : on trouve une solution ensemble."
        ),
        recurrence=Recurrence(
            rrules=[OPEN_DAYS_RULE],
            exdates=[datetime.combine(skipped, time(), tzinfo=timezone.get_current_timezone())],
        ),
        recurrence_from=today.replace(month=1, day=1),
        recurrence_start_time=time(14),
        recurrence_end_time=time(17),
        registrations_open=True,
        onsite_capacity=30,
        occurrences=[
            EventOccurrence(
                start=at(thursday, 14),
                end=at(thursday, 17),
                note="exceptionnellement un jeudi",
                replaces_date=moved,
            )
        ],
        **CONTACT,
    )


def sport_day(today):
    day = next_weekday(today + timedelta(weeks=6), 3)
    return EventPage(
        title="Journée sport et emploi",
        slug="journee-sport-et-emploi",
        event_type=EventType.SPORT,
        intro=(
            "Foot, basket, ping-pong en équipes le matin, repas ensemble, puis des "
            "recruteurs à rencontrer dans un coin salon l'après-midi. Sans CV."
        ),
        body=(
            "<p>Une journée imaginée par des jeunes : on se rencontre par le jeu avant de "
            "parler travail, et les recruteurs te découvrent sur le terrain plutôt que "
            "sur un CV.</p>"
            "<h3>Le matin : les défis</h3>"
            "<p>Équipes de six, matchs courts, défis et classement. Des lots pour les "
            "équipes gagnantes, et pour la meilleure ambiance.</p>"
            "<h3>Le midi : le repas</h3>"
            "<p>Le déjeuner est offert et pris tous ensemble, recruteurs compris.</p>"
            "<h3>L'après-midi : les rencontres</h3>"
            "<p>Des stands détendus, canapés et boissons, pour discuter avec des "
            "entreprises qui recrutent près de chez toi.</p>"
        ),
        attendance_mode=AttendanceMode.IN_PERSON,
        venue_name="Salle omnisports du Bois-Vert",
        address="2 allée des Sports\n62300 Lens",
        audience="Les jeunes de 16 à 29 ans, quel que soit ton niveau en sport.",
        what_to_bring="Une tenue de sport, des baskets propres pour la salle et une gourde.",
        travel_help=(
            "Tes trajets sont remboursés (bus, train ou essence) sur présentation du "
            "justificatif. Un minibus part de Liévin et d'Hénin-Beaumont : "
            "inscris-toi auprès de ton conseiller."
        ),
        occurrences=[EventOccurrence(start=at(day, 9, 30), end=at(day, 16, 30))],
        registrations_open=True,
        onsite_capacity=40,
        **CONTACT,
    )


def adopte_un_pro(today):
    first = next_weekday(today + timedelta(weeks=3), 1)
    second = next_weekday(today + timedelta(weeks=10), 1)
    return EventPage(
        title="Adopte un pro",
        slug="adopte-un-pro",
        event_type=EventType.JOB_DATING,
        intro=(
            "Des rencontres de 10 minutes avec des employeurs et des conseillers, pour "
            "trouver la personne avec qui tu as envie d'avancer. Sur place ou en ligne."
        ),
        body=(
            "<p>Le principe est celui du speed meeting : plusieurs courtes discussions, "
            "une dizaine de minutes chacune, avec des employeurs d'un côté et des "
            "conseillers de l'autre.</p>"
            "<p>À la fin, c'est toi qui choisis : l'employeur que tu veux revoir, "
            "le conseiller qui t'accompagnera. Le premier rendez-vous a lieu dans un "
            "lieu public et neutre, la médiathèque.</p>"
            "<p>Les places sur place sont limitées, pour que chacun ait assez de temps de "
            "parole : inscris-toi, et si c'est complet, la liste d'attente te prévient "
            "dès qu'une place se libère.</p>"
        ),
        attendance_mode=AttendanceMode.HYBRID,
        venue_name="Médiathèque des Quatre-Vents, salle d'animation",
        address="5 place du Marché\n62300 Lens",
        online_url="https://visio.passerelle.example.org/adopte-un-pro",
        audience="Les jeunes de 16 à 29 ans qui cherchent un emploi ou un accompagnement.",
        what_to_bring=(
            "Juste toi-même. En ligne : un téléphone ou un ordinateur avec un micro, "
            "dans un endroit calme."
        ),
        travel_help=(
            "Pas de frais de trajet si tu participes en ligne. Sur place, ton ticket "
            "de bus est remboursé."
        ),
        occurrences=[
            EventOccurrence(start=at(first, 14), end=at(first, 17), note="1re session"),
            EventOccurrence(start=at(second, 14), end=at(second, 17), note="2e session"),
        ],
        # Few seats on site, so its first session shows a full date with its waiting list.
        registrations_open=True,
        onsite_capacity=8,
        online_capacity=20,
        **CONTACT,
    )


def interview_workshop(today):
    day = next_weekday(today + timedelta(weeks=2), 3)
    return EventPage(
        title="Atelier en ligne : réussir son entretien",
        slug="atelier-reussir-son-entretien",
        event_type=EventType.WORKSHOP,
        intro=(
            "Une heure et demie en petit groupe pour s'entraîner à l'entretien d'embauche, "
            "depuis chez toi."
        ),
        body=(
            "<p>On joue des entretiens courts, chacun son tour, et on se donne des conseils "
            "avec bienveillance. Caméra allumée ou éteinte : comme tu veux.</p>"
        ),
        attendance_mode=AttendanceMode.ONLINE,
        online_url="https://visio.passerelle.example.org/atelier-entretien",
        audience="Toute personne de 16 à 29 ans qui a bientôt un entretien, ou en aura un.",
        what_to_bring="Une offre d'emploi qui te plaît, si tu en as une.",
        occurrences=[EventOccurrence(start=at(day, 10), end=at(day, 11, 30))],
        **CONTACT,
    )


def mini_olympiades(today):
    day = next_weekday(today - timedelta(days=35), 2)
    return EventPage(
        title="Mini Olympiades",
        slug="mini-olympiades",
        event_type=EventType.SPORT,
        intro=(
            "Quatre équipes, quatre épreuves : sport, culture générale, battle de danse et "
            "battle de chant. Pour se défier, se connaître et apprendre à jouer collectif."
        ),
        body=(
            "<p>Merci aux participants : l'équipe des « Terrils » l'emporte d'un point "
            "après une battle de chant mémorable. Prochaine édition bientôt annoncée.</p>"
        ),
        attendance_mode=AttendanceMode.IN_PERSON,
        venue_name="Gymnase du Parc",
        address="8 rue du Stade\n62800 Liévin",
        audience="Les jeunes de 16 à 29 ans.",
        what_to_bring="Une tenue de sport.",
        travel_help="Trajets remboursés sur présentation du justificatif.",
        occurrences=[EventOccurrence(start=at(day, 9), end=at(day, 17))],
        **CONTACT,
    )


def reunion_open_morning(today):
    """The overseas structure's open morning, at 9:00 in Saint-Denis (5:00 or 6:00 in
    Lens, depending on the season): its pages and files say 9 h."""
    day = next_weekday(today + timedelta(weeks=2), 2)
    return EventPage(
        title="Matinée portes ouvertes à Saint-Denis",
        slug="matinee-portes-ouvertes",
        event_type=EventType.OPEN_DAY,
        intro=(
            "Viens découvrir l'antenne, rencontrer les conseillers autour d'un café et "
            "poser toutes tes questions, sans rendez-vous."
        ),
        body=(
            "<p>Une matinée pour voir les lieux et faire connaissance, seul ou avec un "
            "ami. Personne ne te demandera de CV.</p>"
        ),
        attendance_mode=AttendanceMode.IN_PERSON,
        venue_name="Antenne de Saint-Denis",
        address="12 rue de Paris\n97400 Saint-Denis",
        audience="Les jeunes de 16 à 29 ans.",
        occurrences=[EventOccurrence(start=at(day, 9), end=at(day, 12))],
        contact_name="Accueil de l'antenne",
        contact_email="evenements@reunion.passerelle.example.org",
        contact_phone="0262 00 00 00",
    )
