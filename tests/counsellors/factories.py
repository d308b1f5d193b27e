"""Factories for counsellor pages and their captioned videos."""

import factory
import wagtail_factories
from factory.django import DjangoModelFactory
from wagtail.models import Collection

from counsellors.models import AccessibleMedia, CounsellorIndexPage, CounsellorPage

WEBVTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nBonjour, moi c'est Samia.\n"


def root_collection():
    return Collection.get_first_root_node()


class PortraitFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Portrait {n}")
    collection = factory.LazyFunction(root_collection)


class AccessibleMediaFactory(DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Présentation {n}")
    type = "video"
    collection = factory.LazyFunction(root_collection)
    file = factory.django.FileField(filename="presentation.mp4", data=b"not really a video")
    thumbnail = factory.django.FileField(filename="poster.jpg", data=b"not really a poster")
    subtitles_file = factory.django.FileField(filename="presentation.vtt", data=WEBVTT)
    transcript = "Bonjour, moi c'est Samia. Je t'écoute sans te juger."
    width = 480
    height = 270

    class Meta:
        model = AccessibleMedia


class CounsellorIndexPageFactory(wagtail_factories.PageFactory):
    title = "Nos conseillères et conseillers"
    intro = "<p>Choisis la personne qui t'accompagne.</p>"

    class Meta:
        model = CounsellorIndexPage


class CounsellorPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Prénom {n}")
    role = "Conseillère emploi et formation"
    intro = "Je t'écoute sans te juger et on avance à ton rythme."
    languages = "français, arabe"
    help_topics = "Trouver une formation\nPréparer un entretien"
    photo = factory.SubFactory(PortraitFactory)
    video = factory.SubFactory(AccessibleMediaFactory)

    class Meta:
        model = CounsellorPage

    class Params:
        embedded = factory.Trait(
            video=None,
            embed_url="https://www.youtube-nocookie.com/embed/abc123",
            embed_title="Présentation de Samia",
            embed_transcript="Bonjour, moi c'est Samia.",
        )
