"""Editorial pages of the site. Every page type derives from BasePage."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page


class BasePage(Page):
    """SEO and social fields shared by every page type, so no page ships without them."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("social image"),
        help_text=_("Shown when the page is shared on social networks. 1200 x 630 pixels is best."),
    )

    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title"),
                FieldPanel("search_description"),
                FieldPanel("social_image"),
            ],
            _("For search engines and social networks"),
        ),
        MultiFieldPanel([FieldPanel("show_in_menus")], _("Menus")),
    ]

    class Meta:
        abstract = True


class HomePage(BasePage):
    """The landing page; filled in by the site issue."""

    max_count = 1

    class Meta:
        verbose_name = _("home page")
