"""Factories for the editorial page types, usable from any test folder."""

import datetime

import factory
import wagtail_factories

from home.models import (
    AccessibilityPage,
    HomePage,
    IdeaFormField,
    IdeasPage,
    OpeningHours,
    StandardPage,
    WelcomeChapter,
    WelcomePage,
)


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Passerelle"
    heading = "Ici, c'est toi qui choisis"
    intro = "Choisis ton conseiller et réserve ton rendez-vous."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page {n}")
    intro = "Une page toute simple."

    class Meta:
        model = StandardPage


class WelcomePageFactory(wagtail_factories.PageFactory):
    title = "Livret d'accueil"
    intro = "Tout savoir avant de venir."
    access_directions = "<p>Bus ligne 1, arrêt Exemple.</p>"

    class Meta:
        model = WelcomePage


class WelcomeChapterFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(WelcomePageFactory)
    heading = factory.Sequence(lambda n: f"Chapitre {n}")
    text = "<p>Ce que dit la vidéo.</p>"

    class Meta:
        model = WelcomeChapter


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(WelcomePageFactory)
    weekday = 0
    opens = datetime.time(9)
    closes = datetime.time(12, 30)

    class Meta:
        model = OpeningHours


class AccessibilityPageFactory(wagtail_factories.PageFactory):
    title = "Déclaration d'accessibilité"

    class Meta:
        model = AccessibilityPage


class IdeasPageFactory(wagtail_factories.PageFactory):
    title = "Vos idées"
    intro = "Ce que vous avez proposé, et ce qu'on en fait."

    class Meta:
        model = IdeasPage


class IdeaFormFieldFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(IdeasPageFactory)
    label = "Ton idée"
    field_type = "multiline"
    required = True

    class Meta:
        model = IdeaFormField
