"""Demo counsellors: invented people with short generated sample videos (see demo_media/).

`load()` only adds what is missing, so it can run on every `make run` without ever
overwriting what editors wrote.
"""

from contextlib import ExitStack
from pathlib import Path

from django.core.files import File
from django.core.files.images import ImageFile
from wagtail.images import get_image_model

from .models import AccessibleMedia, CounsellorIndexPage, CounsellorPage

DEMO_MEDIA = Path(__file__).resolve().parent / "demo_media"
# What demo_media/generate.sh produces.
VIDEO_SECONDS, VIDEO_WIDTH, VIDEO_HEIGHT = 15, 480, 270

INDEX = {
    "title": "Nos conseillères et conseillers",
    "slug": "conseilleres-et-conseillers",
    "show_in_menus": True,
    "intro": (
        "<p>Ici, c'est toi qui choisis la personne qui t'accompagne. Regarde leurs vidéos "
        "de deux minutes, puis choisis une ou deux personnes avec qui tu te sens bien.</p>"
    ),
}

COUNSELLORS = [
    {
        "slug": "samia",
        "title": "Samia",
        "role": "Conseillère emploi et formation",
        "intro": (
            "Je t'écoute sans te juger et on avance à ton rythme. Pas de questionnaire au "
            "premier rendez-vous : on fait connaissance, à l'accueil, autour d'un café ou "
            "en petit groupe. C'est toi qui choisis."
        ),
        "languages": "français, arabe",
        "help_topics": (
            "Trouver une formation qui te plaît\nPréparer un entretien d'embauche\nFaire ton CV"
        ),
    },
    {
        "slug": "kevin",
        "title": "Kévin",
        "role": "Conseiller sport, animation et jobs d'été",
        "intro": (
            "Le sport m'a beaucoup aidé et j'aime le partager. On peut se rencontrer pendant "
            "un tournoi, autour d'un jeu ou juste pour discuter. Ensemble, on cherche ce qui "
            "te donne envie de te lever le matin."
        ),
        "languages": "français, anglais",
        "help_topics": (
            "Découvrir les métiers du sport et de l'animation\nPasser le BAFA\nTrouver un job d'été"
        ),
    },
    {
        "slug": "marta",
        "title": "Marta",
        "role": "Conseillère logement et mobilité",
        "intro": (
            "Un toit et un moyen de se déplacer, c'est la base pour le reste. Je t'explique "
            "les aides auxquelles tu as droit, avec des mots simples, et on fait les "
            "démarches ensemble."
        ),
        "languages": "français, polonais, anglais",
        "help_topics": (
            "Trouver un logement\nPasser le permis de conduire\nPayer moins cher les transports"
        ),
    },
    {
        "slug": "yanis",
        "title": "Yanis",
        "role": "Conseiller accompagnement et projets",
        "intro": (
            "Tu ne sais pas encore ce que tu veux faire ? C'est normal, et c'est mon métier. "
            "Pour notre premier rendez-vous, on peut se voir dans un lieu que tu connais. On "
            "prend le temps, sans jugement."
        ),
        "languages": "français, langue des signes française (LSF)",
        "help_topics": (
            "Faire le point quand on ne sait pas par où commencer\n"
            "Le contrat d'engagement jeune\nReprendre confiance en soi"
        ),
    },
]


def transcript_from_vtt(text):
    """The words of the captions without their timings, so captions and transcript agree."""
    cues = text.strip().split("\n\n")[1:]
    lines = [
        line.strip()
        for cue in cues
        for line in cue.splitlines()
        if line.strip() and "-->" not in line
    ]
    return " ".join(lines)


def get_or_create_captioned_video(title, folder, stem, transcript):
    """The demo's sample videos: `<stem>.mp4` with its poster and French captions from
    `folder`, found again by title so loading twice adds nothing."""
    media = AccessibleMedia.objects.filter(title=title).first()
    if media is not None:
        return media
    with ExitStack() as files:

        def demo_file(name):
            return File(files.enter_context(open(folder / name, "rb")), name)

        media = AccessibleMedia(
            title=title,
            type="video",
            file=demo_file(f"{stem}.mp4"),
            thumbnail=demo_file(f"{stem}-poster.jpg"),
            subtitles_file=demo_file(f"{stem}.vtt"),
            transcript=transcript,
            duration=VIDEO_SECONDS,
            width=VIDEO_WIDTH,
            height=VIDEO_HEIGHT,
        )
        media.save()
    return media


def get_or_create_video(slug, first_name):
    captions = (DEMO_MEDIA / f"{slug}.vtt").read_text(encoding="utf-8")
    return get_or_create_captioned_video(
        f"Présentation de {first_name}", DEMO_MEDIA, slug, transcript_from_vtt(captions)
    )


def get_or_create_portrait(slug, first_name):
    Image = get_image_model()
    title = f"Portrait de {first_name}"
    image = Image.objects.filter(title=title).first()
    if image is None:
        with open(DEMO_MEDIA / f"{slug}.png", "rb") as f:
            image = Image(title=title, file=ImageFile(f, name=f"{slug}.png"))
            image.save()
    return image


def load(home_page):
    """Add the counsellor list and any missing demo profile under the home page; return the list."""
    index = CounsellorIndexPage.objects.first()  # at most one may exist
    if index is None:
        index = CounsellorIndexPage(**INDEX)
        home_page.add_child(instance=index)
        index.save_revision().publish()
    existing = set(index.get_children().values_list("slug", flat=True))
    for data in COUNSELLORS:
        if data["slug"] in existing:
            continue
        page = CounsellorPage(
            **data,
            photo=get_or_create_portrait(data["slug"], data["title"]),
            video=get_or_create_video(data["slug"], data["title"]),
        )
        index.add_child(instance=page)
        page.save_revision().publish()
    return index
