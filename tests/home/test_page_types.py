"""Where each editorial page type may live, and that each renders, edits and previews."""

import datetime
import tempfile

from django.test import override_settings
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import (
    AccessibilityPage,
    HomePage,
    IdeasPage,
    StandardPage,
    WelcomePage,
)

from .factories import (
    AccessibilityPageFactory,
    HomePageFactory,
    IdeaFormFieldFactory,
    IdeasPageFactory,
    OpeningHoursFactory,
    StandardPageFactory,
    WelcomeChapterFactory,
    WelcomePageFactory,
)


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="passerelle-home-tests-"))
class EditorialPageTypesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePageFactory(parent=Page.get_first_root_node())
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": cls.home},
        )
        cls.standard = StandardPageFactory(
            parent=cls.home,
            body=[
                ("heading", {"text": "Qui sommes-nous ?", "level": "h2"}),
                ("paragraph", rich_text("<p>Une équipe.</p>")),
                ("quote", {"quote": "On m'a écouté.", "attribution": "Un jeune, 19 ans"}),
                (
                    "steps",
                    {"heading": "", "steps": [{"title": "Un", "text": ""}, {"title": "Deux"}]},
                ),
            ],
        )
        cls.welcome = WelcomePageFactory(parent=cls.home)
        WelcomeChapterFactory(page=cls.welcome, heading="Qui sommes-nous ?")
        OpeningHoursFactory(page=cls.welcome)
        cls.declaration = AccessibilityPageFactory(parent=cls.home)
        cls.ideas = IdeasPageFactory(parent=cls.home)
        IdeaFormFieldFactory(page=cls.ideas)

    def test_home_page_sits_at_the_top_of_the_tree_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))

    def test_standard_pages_nest_under_home_or_each_other(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})

    def test_welcome_booklet_ideas_and_declaration_hang_from_home_with_no_children(self):
        for model in (WelcomePage, IdeasPage, AccessibilityPage):
            with self.subTest(model=model.__name__):
                self.assertAllowedParentPageTypes(model, {HomePage})
                self.assertAllowedSubpageTypes(model, set())

    def test_a_second_declaration_or_ideas_page_cannot_be_added(self):
        self.assertFalse(AccessibilityPage.can_create_at(self.home))
        self.assertFalse(IdeasPage.can_create_at(self.home))
        self.assertTrue(WelcomePage.can_create_at(self.home))

    def test_every_page_type_renders(self):
        for page in (self.home, self.standard, self.welcome, self.declaration, self.ideas):
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRenderable(page)

    def form_data(self, page):
        """The editor's form as a browser would send it: the StreamField editor is built
        by JavaScript, so its fields cannot be scraped from the page and are given here."""
        if isinstance(page, HomePage | StandardPage):
            return nested_form_data(
                {
                    "title": page.title,
                    "slug": page.slug,
                    "heading": "",
                    "intro": page.intro,
                    "body": streamfield([("paragraph", rich_text("<p>Bonjour.</p>"))]),
                }
            )
        return None

    def test_every_page_type_opens_in_the_editor_and_saves(self):
        for page in (self.home, self.standard, self.welcome, self.declaration, self.ideas):
            with self.subTest(page=type(page).__name__):
                self.assertPageIsEditable(page, post_data=self.form_data(page))

    def test_every_page_type_previews(self):
        for page in (self.home, self.standard, self.welcome, self.declaration, self.ideas):
            with self.subTest(page=type(page).__name__):
                self.assertPageIsPreviewable(page, post_data=self.form_data(page))

    def test_an_editor_can_publish_a_standard_page_with_blocks(self):
        self.login()
        data = nested_form_data(
            {
                "title": "Mentions légales",
                "slug": "mentions-legales",
                "intro": "Qui publie ce site.",
                "body": streamfield(
                    [
                        ("heading", {"text": "Éditeur", "level": "h2"}),
                        ("paragraph", rich_text("<p>La Mission Locale.</p>")),
                        ("link", {"page": self.welcome.pk, "url": "", "label": ""}),
                    ]
                ),
            }
        )
        self.assertCanCreate(self.home, StandardPage, data)
        page = StandardPage.objects.get(slug="mentions-legales")
        self.assertEqual(page.body[2].value.href, self.welcome.url)

    def test_an_editor_can_publish_a_welcome_booklet_with_chapters_and_hours(self):
        self.login()
        data = nested_form_data(
            {
                "title": "Livret d'accueil de Liévin",
                "slug": "livret-lievin",
                "intro": "",
                "access_directions": rich_text("<p>Tram T1.</p>"),
                "map_url": "",
                "chapters": inline_formset(
                    [{"heading": "Qui sommes-nous ?", "video": "", "text": rich_text("")}]
                ),
                "opening_hours": inline_formset(
                    [{"weekday": "2", "opens": "09:00", "closes": "12:00"}]
                ),
            }
        )
        self.assertCanCreate(self.home, WelcomePage, data)
        page = WelcomePage.objects.get(slug="livret-lievin")
        self.assertEqual(page.chapters.get().heading, "Qui sommes-nous ?")
        self.assertEqual(page.opening_hours.get().opens, datetime.time(9))
