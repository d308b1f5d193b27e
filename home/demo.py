"""Demo content drawn from the Sprint Créa Jeunes (Lens, 2022), written in our own words.

Everything is created only when missing (pages are found by slug, settings fields only
filled while blank), so running it again never overwrites what an editor changed.
"""

import datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page, Site

from home.models import (
    AccessibilityPage,
    ComplianceStatus,
    HomePage,
    Idea,
    IdeaFormField,
    IdeasPage,
    IdeaStatus,
    OpeningHours,
    SiteIdentity,
    StandardPage,
    WelcomeChapter,
    WelcomePage,
)

DEMO_MEDIA = Path(__file__).resolve().parent / "demo_media"
# The booking flow is a Django view, not a page of the tree (config/urls.py).
BOOKING_PATH = "/rendez-vous/"


def ensure_home_page():
    """Replace Wagtail's placeholder root child with our HomePage, once."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="Passerelle",
            slug="accueil",
            heading="Ici, c'est toi qui choisis",
            intro=(
                "Choisis la personne qui t'accompagne en regardant sa vidéo, choisis comment "
                "vous vous rencontrez, et réserve ton rendez-vous sans créer de compte."
            ),
            search_description=(
                "Choisis ton conseiller en vidéo et réserve ton rendez-vous : seul, en groupe, "
                "autour d'un café ou d'un jeu. Pour les 16-29 ans."
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    default_port = 443 if address.scheme == "https" else 80
    served_at = {"hostname": address.hostname, "port": address.port or default_port}
    if site is None:
        Site.objects.create(
            **served_at,
            root_page=home,
            is_default_site=True,
            site_name="Passerelle",
        )
        return home
    if (site.hostname, site.port) == ("localhost", 80):
        # Wagtail's initial site: pages' full URLs (canonical links, calendar files,
        # feed addresses) would point to http://localhost/, where nothing is served.
        site.hostname, site.port = served_at["hostname"], served_at["port"]
        site.save()
    if site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Passerelle"
        site.save()
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()
    return home


def add_page(parent, page, children=()):
    """Publish `page` under `parent` unless a page with its slug is already there.

    `children` are (relation name, list of unsaved orderables) pairs, attached before the
    first save so the published revision contains them.
    """
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific
    for relation, items in children:
        setattr(page, relation, items)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def find_page(model_label, home):
    """The first live page of another app's type on `home`'s site, or None if the app
    has not loaded its demo yet: links to it are then simply left out."""
    try:
        model = apps.get_model(model_label)
    except LookupError:
        return None
    return model.objects.live().descendant_of(home).first()


def get_or_create_welcome_video():
    from counsellors.demo import get_or_create_captioned_video

    return get_or_create_captioned_video(
        "Bienvenue chez nous",
        DEMO_MEDIA,
        "welcome",
        "Bienvenue ! Ici, on t'écoute sans te juger. Tu choisis ton conseiller et la "
        "façon de vous rencontrer. Viens à nos portes ouvertes, ou réserve ton "
        "rendez-vous en ligne.",
    )


def load_standard_pages(home):
    legal = add_page(
        home,
        StandardPage(
            title="Mentions légales",
            slug="mentions-legales",
            intro="Qui publie ce site et qui l'héberge.",
            body=[
                {"type": "heading", "value": {"text": "Éditeur", "level": "h2"}},
                {
                    "type": "paragraph",
                    "value": (
                        "<p>Ce site de démonstration est publié par la Mission Locale de "
                        "démonstration. Remplacez ce texte par le nom de votre structure, son "
                        "adresse et le nom de la personne responsable de la publication.</p>"
                    ),
                },
                {"type": "heading", "value": {"text": "Hébergement", "level": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>Indiquez ici le nom et l'adresse de votre hébergeur.</p>",
                },
            ],
        ),
    )
    privacy = add_page(
        home,
        StandardPage(
            title="Données personnelles",
            slug="donnees-personnelles",
            intro="Ce que nous savons de toi, pourquoi, et comment le faire effacer.",
            body=[
                {
                    "type": "paragraph",
                    "value": (
                        "<p>Pour prendre rendez-vous, nous te demandons seulement ton prénom, un "
                        "moyen de te joindre et ce dont tu veux parler. Ces informations "
                        "servent à organiser le rendez-vous et ne sont jamais vendues ni "
                        "partagées avec d'autres organismes.</p>"
                        "<p>Tu peux à tout moment nous demander de voir, corriger ou effacer ce "
                        "que nous savons de toi, en nous écrivant.</p>"
                    ),
                },
            ],
        ),
    )
    return legal, privacy


def load_welcome_page(home):
    video = get_or_create_welcome_video()
    chapters = [
        WelcomeChapter(
            heading="Qui sommes-nous ?",
            video=video,
            text=(
                "<p>Une équipe de conseillères et de conseillers qui accompagne les jeunes "
                "de 16 à 29 ans : emploi, formation, logement, santé, déplacements, ou "
                "simplement l'envie d'y voir plus clair. C'est gratuit et confidentiel.</p>"
            ),
        ),
        WelcomeChapter(
            heading="Comment prendre rendez-vous ?",
            text=(
                "<p>Sur ce site, regarde les vidéos de présentation et choisis la personne "
                "avec qui tu as envie de parler. Choisis ensuite la façon de vous "
                "rencontrer : en tête-à-tête, en petit groupe, autour d'un café ou d'un "
                "jeu. Le premier rendez-vous peut avoir lieu dans un lieu public, hors de "
                "nos locaux.</p><p>Tu préfères le téléphone ? Appelle-nous, tout "
                "simplement.</p>"
            ),
        ),
        WelcomeChapter(
            heading="Que fait un conseiller ?",
            text=(
                "<p>Il ou elle t'écoute sans te juger et prend le temps de te connaître. "
                "Ensemble, vous construisez ton projet et cherchez des solutions "
                "concrètes : une formation, un stage, un emploi, une aide. Tu gardes la même "
                "personne tout au long de ton parcours, et si le courant ne passe pas, tu "
                "peux en changer.</p>"
            ),
        ),
        WelcomeChapter(
            heading="Les portes ouvertes",
            text=(
                "<p>Plusieurs fois par an, viens découvrir les lieux sans rendez-vous : "
                "visite, petit déjeuner, rencontre avec l'équipe. Les dates sont dans "
                "l'agenda des événements.</p>"
            ),
        ),
    ]
    morning = (datetime.time(9), datetime.time(12, 30))
    afternoon = (datetime.time(13, 30), datetime.time(17))
    # Monday to Thursday all day, Friday morning only.
    week = {day: [morning, afternoon] for day in range(4)} | {4: [morning]}
    hours = [
        OpeningHours(weekday=day, opens=opens, closes=closes)
        for day, slots in week.items()
        for opens, closes in slots
    ]
    return add_page(
        home,
        WelcomePage(
            title="Livret d'accueil",
            slug="livret-d-accueil",
            intro="Tout ce qu'il faut savoir avant de venir nous voir, en quelques minutes.",
            search_description="Qui nous sommes, comment prendre rendez-vous et comment venir.",
            show_in_menus=True,
            access_directions=(
                "<p>Arrêt de bus « Exemple », à deux minutes à pied.</p>"
                "<p>Entrée de plain-pied, ascenseur pour l'étage, parking vélos devant la "
                "porte.</p>"
            ),
            map_url="https://www.openstreetmap.org/#map=16/50.4290/2.8310",
        ),
        children=[("chapters", chapters), ("opening_hours", hours)],
    )


def load_ideas_page(home, welcome):
    events = find_page("events.EventIndexPage", home)
    counsellors = find_page("counsellors.CounsellorIndexPage", home)
    ideas = [
        Idea(
            title="Et si on se faisait confiance ?",
            proposal=(
                "Choisir son conseiller grâce à une vidéo de deux minutes, puis la forme du "
                "rendez-vous : seul, en groupe, autour d'un café ou d'un jeu. Un premier "
                "rendez-vous pour faire connaissance, sans questionnaire."
            ),
            follow_up=(
                "C'est le cœur de ce site : les vidéos des conseillers et la réservation en "
                "ligne, sans compte."
            ),
            status=IdeaStatus.DONE,
            link_page=counsellors,
        ),
        Idea(
            title="Repenser l'accueil",
            proposal=(
                "Un livret d'accueil en vidéo, des portes ouvertes plusieurs fois par an et un "
                "accueil chaleureux, comme des invités plutôt que comme des clients."
            ),
            follow_up="Le livret d'accueil est en ligne ; les portes ouvertes sont dans l'agenda.",
            status=IdeaStatus.DONE,
            link_page=welcome,
        ),
        Idea(
            title="Adopte un pro",
            proposal=(
                "Rencontrer des employeurs et des conseillers en courtes conversations, façon "
                "speed meeting, pour trouver la personne avec qui on se sent bien."
            ),
            follow_up="Des rencontres « Adopte un pro » sont au programme des événements.",
            status=IdeaStatus.IN_PROGRESS,
            link_page=events,
        ),
        Idea(
            title="Pôle sport",
            proposal=(
                "Des événements courts, en équipe et sous forme de défis, où les recruteurs "
                "regardent l'attitude plutôt que le CV, et où les trajets ne coûtent rien."
            ),
            follow_up=(
                "Nos journées sport mêlent matchs et rencontres avec des recruteurs ; "
                "certains événements se suivent aussi à distance."
            ),
            status=IdeaStatus.IN_PROGRESS,
            link_page=events,
        ),
        Idea(
            title="Mini olympiades",
            proposal=(
                "Des équipes qui s'affrontent en sport, culture générale, danse et chant, "
                "pour apprendre à se connaître et à travailler ensemble."
            ),
            follow_up="Une première édition est en préparation avec les jeunes volontaires.",
            status=IdeaStatus.PLANNED,
        ),
        Idea(
            title="Un sourire pour un enfant",
            proposal=(
                "Organiser soi-même une journée solidaire pour des enfants avec une "
                "association, et découvrir au passage les métiers de la petite enfance."
            ),
            follow_up=(
                "Nous cherchons une association partenaire. Tu veux en être ? Dis-le nous "
                "avec le formulaire ci-dessous."
            ),
            status=IdeaStatus.PLANNED,
        ),
    ]
    fields = [
        IdeaFormField(
            label="Ton idée",
            field_type="multiline",
            required=True,
            help_text="Ce que tu aimerais voir, changer ou organiser avec nous.",
        ),
        IdeaFormField(label="Ton prénom", field_type="singleline", required=False),
        IdeaFormField(
            label="Comment te répondre ?",
            field_type="singleline",
            required=False,
            help_text="Un e-mail ou un numéro, seulement si tu veux une réponse.",
        ),
    ]
    return add_page(
        home,
        IdeasPage(
            title="Vos idées",
            slug="vos-idees",
            intro=(
                "Le 3 mars 2022, à Lens, 51 jeunes ont passé une journée à imaginer "
                "l'accompagnement qui leur donnerait envie de venir. Passerelle est né de "
                "leurs idées. Voici ce qu'elles sont devenues, et la place pour les tiennes."
            ),
            search_description="Les idées des jeunes, ce qu'elles sont devenues, et les tiennes.",
            show_in_menus=True,
            form_intro="Une idée d'événement, d'atelier, de changement ? Raconte-nous.",
            thank_you_text=(
                "<p>Ton idée est bien arrivée. L'équipe la lit et en parle en réunion ; si "
                "elle avance, tu la verras sur cette page.</p>"
            ),
        ),
        children=[("ideas", ideas), ("form_fields", fields)],
    )


def load_accessibility_page(home):
    return add_page(
        home,
        AccessibilityPage(
            title="Déclaration d'accessibilité",
            slug="accessibilite",
            compliance_status=ComplianceStatus.NONE,
            declaration_date=datetime.date.today(),
            audit_details=(
                "<p>Chaque modification du code est testée automatiquement avec axe-core "
                "(règles WCAG 2.1 niveaux A et AA) dans un vrai navigateur. Un audit "
                "complet selon le RGAA reste à faire.</p>"
            ),
        ),
    )


def menu_link(label, target):
    """A main-menu link to a page, or to a path such as the booking flow's."""
    if isinstance(target, str):
        return {"type": "link", "value": {"page": None, "url": target, "label": label}}
    return {"type": "link", "value": {"page": target.pk, "url": "", "label": label}}


def set_up_the_structure(site, settings_of_structure):
    """The structure's name (as its pages, e-mails, SMS and calendar entries sign), its
    SMS sender, video service and the number it calls from, unless an editor already
    named it."""
    from structures.models import Structure

    structure = Structure.for_site(site)
    if structure.name == settings.WAGTAIL_SITE_NAME:
        for field, value in settings_of_structure.items():
            setattr(structure, field, value)
        structure.save()
    return structure


# A public video service of the French State, as RDV Service Public moved to in 2026:
# each meeting gets a room of its own there (Booking.video_url).
DEMO_VIDEO_SERVICE = "https://visio.numerique.gouv.fr/"

LENS_STRUCTURE = {
    "name": "Mission Locale de démonstration, Lens",
    "sms_sender": "MLLens",
    "video_service_url": DEMO_VIDEO_SERVICE,
    "caller_phone": "03 21 00 00 00",
}


def fill_site_identity(site, footer_pages, menu):
    """Fill blank settings only: an editor's values always win.

    ``menu`` holds (link text, page or path) pairs; a page whose app has not loaded its
    demo is None and left out."""
    identity = SiteIdentity.for_site(site)
    defaults = {
        "tagline": "Ton accompagnement, à ta façon",
        "address": "1 rue de l'Exemple\n62300 Lens",
        "phone": "01 02 03 04 05",
        "email": "contact@passerelle.example",
        "opening_hours": "Du lundi au vendredi, 9 h – 12 h 30 et 13 h 30 – 17 h",
        "hashtags": "#SprintCréaMDE #minedinfos",
        "not_found_text": (
            "<p>Oups, cette page n'existe pas, ou plus. Le lien est peut-être ancien, ou "
            "l'adresse contient une faute de frappe : ça arrive à tout le monde !</p>"
            "<p>Tu cherchais à prendre rendez-vous ? C'est par ici : "
            '<a href="/rendez-vous/">prendre rendez-vous</a>.</p>'
        ),
    }
    for field, value in defaults.items():
        if not getattr(identity, field):
            setattr(identity, field, value)
    if not identity.footer_links:
        identity.footer_links = [
            {"type": "link", "value": {"page": page.pk, "url": "", "label": ""}}
            for page in footer_pages
        ]
    if not identity.main_menu:
        identity.main_menu = [menu_link(label, target) for label, target in menu if target]
    if not identity.social_links:
        # Example addresses, not real accounts: each structure types its own.
        identity.social_links = [
            {"type": "social", "value": {"network": network, "url": url, "label": ""}}
            for network, url in (
                ("instagram", "https://www.instagram.com/"),
                ("tiktok", "https://www.tiktok.com/"),
                ("facebook", "https://www.facebook.com/"),
            )
        ]
    identity.save()


def fill_home_page(home, welcome, ideas):
    """Give the home page what it lacks, field by field, and publish only if something
    changed. Run it last: the cards link to the counsellor and event pages only if their
    apps have loaded them already."""
    changed = False
    if not home.welcome_video_id:
        home.welcome_video = get_or_create_welcome_video()
        changed = True
    if not home.cta_label:
        home.cta_label = "Prendre rendez-vous"
        changed = True
    if not home.body:
        home.body = home_body(home, welcome, ideas)
        changed = True
    if changed:
        home.save_revision().publish()


def home_body(home, welcome, ideas):
    choices = [
        (
            find_page("counsellors.CounsellorIndexPage", home),
            "Choisir mon conseiller",
            "Regarde leurs vidéos de deux minutes et choisis avec qui tu veux parler.",
        ),
        (
            find_page("events.EventIndexPage", home),
            "Venir à un événement",
            "Portes ouvertes, journées sport, rencontres « Adopte un pro »…",
        ),
        (welcome, "Découvrir le lieu", "Qui nous sommes et comment venir, en vidéo."),
        (ideas, "Proposer une idée", "Tes idées ont créé ce site. Continue !"),
    ]
    actions = [
        {"page": page.pk, "url": "", "label": label, "description": description}
        for page, label, description in choices
        if page is not None
    ]
    steps = [
        (
            "Tu regardes les vidéos",
            "Chaque conseiller se présente en deux minutes. Repère une ou deux personnes avec "
            "qui tu sens que ça peut coller.",
        ),
        (
            "Tu choisis comment vous vous voyez",
            "En tête-à-tête, en petit groupe, autour d'un café ou d'un jeu, dans nos locaux ou "
            "dans un lieu public.",
        ),
        (
            "Tu réserves",
            "Un créneau, ton prénom, un moyen de te joindre : c'est tout. Le premier "
            "rendez-vous sert à faire connaissance.",
        ),
    ]
    questions = [
        ("C'est payant ?", "<p>Non, tout est gratuit.</p>"),
        (
            "Qui peut venir ?",
            "<p>Tous les jeunes de 16 à 29 ans, avec ou sans diplôme, avec ou sans projet.</p>",
        ),
        ("Je peux venir accompagné ?", "<p>Bien sûr : avec un ami, une sœur, un parent.</p>"),
        (
            "Et si je ne sais pas ce que je veux faire ?",
            "<p>C'est justement pour ça qu'on est là. On commence par faire connaissance, "
            "sans questionnaire.</p>",
        ),
    ]
    return [
        {"type": "actions", "value": {"heading": "Que veux-tu faire ?", "actions": actions}},
        {
            "type": "steps",
            "value": {
                "heading": "Comment ça marche ?",
                "steps": [{"title": title, "text": text} for title, text in steps],
            },
        },
        {
            "type": "questions",
            "value": {
                "heading": "Tes questions",
                "questions": [{"question": q, "answer": a} for q, a in questions],
            },
        },
    ]


def load_other_apps(home):
    """Counsellors, events and booking first, so the menu and the home page can link to
    them."""
    from counsellors import demo as counsellors_demo
    from events import demo as events_demo
    from events.models import EventIndexPage

    counsellors_demo.load(home)
    first_time = not EventIndexPage.objects.exists()
    events_index = events_demo.load(home)
    if first_time and events_index is not None and not events_index.show_in_menus:
        # In the page tree's menu too, for sites that empty the typed menu; only when
        # just created, so an editor who unticks it is not overruled.
        events_index.show_in_menus = True
        events_index.save_revision().publish()
    try:
        from booking import demo as booking_demo
    except ImportError:
        return
    booking_demo.load()
    if events_index is not None:
        booking_demo.load_registrations(
            page.specific for page in events_index.get_children().live()
        )
        from eventdays.speed import demo as speed_demo

        speed_demo.load()
        from eventdays.sport import demo as sport_demo

        sport_demo.load(events_index)
    link_profiles_to_counsellors()


def link_profiles_to_counsellors():
    """The demo profiles and bookable counsellors share their slug; link the ones an
    editor has not linked, so every profile offers "book with me"."""
    from booking.models import Counsellor
    from counsellors.models import CounsellorPage

    counsellors = {c.slug: c for c in Counsellor.objects.all()}
    for profile in CounsellorPage.objects.filter(counsellor__isnull=True):
        if profile.slug in counsellors:
            profile.counsellor = counsellors[profile.slug]
            profile.save_revision().publish()


def load(stdout=None):
    home = ensure_home_page()
    load_other_apps(home)
    welcome = load_welcome_page(home)
    ideas = load_ideas_page(home, welcome)
    legal, privacy = load_standard_pages(home)
    load_accessibility_page(home)
    menu = [
        ("Bienvenue", welcome),
        ("Nos conseillers", find_page("counsellors.CounsellorIndexPage", home)),
        ("Événements", find_page("events.EventIndexPage", home)),
        ("Prendre rendez-vous", BOOKING_PATH),
        ("Vos idées", ideas),
    ]
    lens = Site.objects.get(is_default_site=True)
    fill_site_identity(lens, [legal, privacy], menu)
    set_up_the_structure(lens, LENS_STRUCTURE)
    fill_home_page(home, welcome, ideas)
    second = load_second_structure()
    return f"Demo content ready: {home.url_path}, and {second.name} at {second.public_url}/"


def role_accounts():
    """(username, group, structure or None) of the demo's logins per role: a manager
    for each structure, and the network's role, who sees both."""
    from structures.models import Structure

    managers, network = (Group.objects.get(name=name) for name in ("Responsables", "Réseau"))
    reunion = Structure.with_site(Site.objects.get(root_page__slug="la-reunion"))
    return [
        ("responsable-lens", managers, Structure.default()),
        ("responsable-reunion", managers, reunion),
        ("reseau", network, None),
    ]


SECOND_STRUCTURE = {
    "name": "Mission Locale de démonstration, Saint-Denis (La Réunion)",
    "time_zone": "Indian/Reunion",
    "phone_region": "RE",
    "holidays_region": "FR-974",
    "sms_sender": "MLReunion",
    "video_service_url": DEMO_VIDEO_SERVICE,
    "caller_phone": "0262 00 00 00",
}


def load_second_structure():
    """A second structure of the network, overseas, on the same server under the other
    name this machine answers to (localhost, beside 127.0.0.1): its own home page,
    counsellors, places, formats and events, in La Réunion's time zone. Returns it."""
    from booking import demo as booking_demo
    from events import demo as events_demo
    from structures.models import Structure

    home = HomePage.objects.filter(slug="la-reunion").first()
    if home is None:
        home = HomePage(
            title="Passerelle La Réunion",
            slug="la-reunion",
            heading="Ici aussi, c'est toi qui choisis",
            intro=(
                "À Saint-Denis comme à Lens : choisis ton conseiller, choisis comment vous "
                "vous rencontrez, et réserve sans créer de compte."
            ),
        )
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
    lens = Site.objects.get(is_default_site=True)
    # The other name of this machine: the demo serves Lens on 127.0.0.1 unless told not to.
    hostname = "127.0.0.1" if lens.hostname == "localhost" else "localhost"
    site, _created = Site.objects.get_or_create(
        hostname=hostname,
        port=lens.port,
        defaults={"root_page": home, "site_name": "Passerelle La Réunion"},
    )
    structure = set_up_the_structure(site, SECOND_STRUCTURE)
    with timezone.override(structure.zone):
        events = events_demo.load(home, builds=[events_demo.reunion_open_morning])
    booking_demo.load(
        booking_demo.REUNION_COUNSELLORS,
        structure=structure,
        places=booking_demo.REUNION_PLACES,
    )
    identity = SiteIdentity.for_site(site)
    if not identity.address:
        identity.name = "Passerelle La Réunion"
        identity.address = "12 rue de Paris\n97400 Saint-Denis"
        identity.phone = "0262 00 00 00"
        identity.opening_hours = "Du lundi au vendredi, 8 h – 12 h et 13 h 30 – 16 h 30"
        identity.main_menu = [
            menu_link("Prendre rendez-vous", BOOKING_PATH),
            *([menu_link("Événements", events)] if events else []),
        ]
        identity.save()
    return Structure.with_site(site)
