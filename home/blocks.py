"""StreamField blocks for editorial pages.

Headings stop at h2/h3 because the page title is the only h1, and every block carries a
description and a preview so editors can pick one without guessing.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageBlock
from wagtailmedia.blocks import VideoChooserBlock

# Paragraphs get no headings: the heading block keeps the page outline under control.
PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]
# Long texts that sit under their own h2 (welcome chapters, declarations) may need h3.
SECTION_FEATURES = ["h3", *PARAGRAPH_FEATURES]

TEXT_GROUP = _("Text")
MEDIA_GROUP = _("Images and videos")
GUIDANCE_GROUP = _("Guiding young people")


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))],
        default="h2",
        label=_("level"),
        help_text=_("Use a sub-heading only under a section heading."),
    )

    class Meta:
        icon = "title"
        template = "home/blocks/heading.html"
        group = TEXT_GROUP
        description = _("A heading that starts a new part of the page.")
        preview_value = {"text": "Comment ça se passe ?", "level": "h2"}


def validate_link_address(value):
    """A full address on another site, or a path on this one (e.g. /rendez-vous/) for the
    pages that are not in the page tree, such as the booking flow."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(
        schemes=["http", "https"],
        message=_("Type a full address (https://…) or a path starting with /."),
    )(value)


class LinkValue(blocks.StructValue):
    """Gives templates one address and one text, whichever of page or URL was filled in."""

    @property
    def href(self):
        page = self.get("page")
        return page.url if page else self.get("url")

    @property
    def text(self):
        page = self.get("page")
        return self.get("label") or (page.title if page else self.get("url"))


class LinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(
        required=False,
        label=_("page on this site"),
        help_text=_("Pick a page here, or type an address below: not both."),
    )
    url = blocks.CharBlock(
        required=False,
        max_length=300,
        validators=[validate_link_address],
        label=_("address"),
        help_text=_(
            "An address on another site (https://…), or a path on this one that is not a "
            "page, such as /rendez-vous/ for booking."
        ),
    )
    label = blocks.CharBlock(
        required=False,
        max_length=80,
        label=_("link text"),
        help_text=_(
            "Say where the link goes, e.g. 'Choisir mon conseiller'. "
            "Leave blank to use the page title."
        ),
    )

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if bool(value.get("page")) == bool(value.get("url")):
            errors["url"] = ValidationError(_("Choose a page or type an address, not both."))
        if value.get("url") and not value.get("label"):
            errors["label"] = ValidationError(_("A link to another site needs a link text."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    class Meta:
        icon = "link"
        value_class = LinkValue
        template = "home/blocks/link.html"
        group = TEXT_GROUP
        description = _("A link to a page of this site or to another site.")
        preview_value = {"url": "https://www.service-public.gouv.fr", "label": "Service Public"}


class SocialNetwork(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    SNAPCHAT = "snapchat", "Snapchat"
    YOUTUBE = "youtube", "YouTube"
    LINKEDIN = "linkedin", "LinkedIn"
    X = "x", "X"
    OTHER = "other", _("other")


class SocialLinkValue(blocks.StructValue):
    @property
    def text(self):
        """The network's name by default: a screen reader says where the link goes."""
        if self.get("label"):
            return self.get("label")
        network = self.get("network")
        return SocialNetwork(network).label if network != SocialNetwork.OTHER else self.get("url")


class SocialLinkBlock(blocks.StructBlock):
    network = blocks.ChoiceBlock(choices=SocialNetwork.choices, label=_("network"))
    url = blocks.URLBlock(label=_("address of the account"))
    label = blocks.CharBlock(
        required=False,
        max_length=80,
        label=_("link text"),
        help_text=_("Leave blank to show the network's name, e.g. 'Instagram'."),
    )

    def clean(self, value):
        value = super().clean(value)
        if value.get("network") == SocialNetwork.OTHER and not value.get("label"):
            raise StructBlockValidationError(
                block_errors={"label": ValidationError(_("Name the network in the link text."))}
            )
        return value

    class Meta:
        icon = "globe"
        value_class = SocialLinkValue
        label = _("social network")


class ActionBlock(LinkBlock):
    description = blocks.TextBlock(
        required=False,
        max_length=200,
        label=_("short description"),
        help_text=_("One sentence saying what the young person will find there."),
    )


class ActionsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        required=False, max_length=120, label=_("heading"), default="Que veux-tu faire ?"
    )
    actions = blocks.ListBlock(ActionBlock(), min_num=1, max_num=6, label=_("choices"))

    class Meta:
        icon = "list-ul"
        template = "home/blocks/actions.html"
        group = GUIDANCE_GROUP
        description = _("Big clickable cards: the main things a visitor can do from here.")
        preview_value = {
            "heading": "Que veux-tu faire ?",
            "actions": [
                {
                    "url": "https://example.org/conseillers/",
                    "label": "Choisir mon conseiller",
                    "description": "Regarde leurs vidéos de deux minutes et choisis.",
                },
                {
                    "url": "https://example.org/evenements/",
                    "label": "Venir à un événement",
                    "description": "Portes ouvertes, journées sport, rencontres avec des pros.",
                },
            ],
        }


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120, label=_("step"))
    text = blocks.TextBlock(required=False, label=_("explanation"))


class StepsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120, label=_("heading"))
    steps = blocks.ListBlock(StepBlock(), min_num=2, label=_("steps"))

    class Meta:
        icon = "list-ol"
        template = "home/blocks/steps.html"
        group = GUIDANCE_GROUP
        description = _("Numbered steps, to explain how something works in order.")
        preview_value = {
            "heading": "Ton rendez-vous en trois étapes",
            "steps": [
                {"title": "Tu choisis ton conseiller", "text": "Grâce à sa vidéo."},
                {"title": "Tu choisis comment vous vous voyez", "text": "Seul, en groupe…"},
                {"title": "Tu réserves", "text": "Sans créer de compte."},
            ],
        }


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200, label=_("question"))
    answer = blocks.RichTextBlock(features=PARAGRAPH_FEATURES, label=_("answer"))


class QuestionsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120, label=_("heading"))
    questions = blocks.ListBlock(QuestionBlock(), min_num=1, label=_("questions"))

    class Meta:
        icon = "help"
        template = "home/blocks/questions.html"
        group = GUIDANCE_GROUP
        description = _("Questions people ask, each answer opening when clicked (no JavaScript).")
        preview_value = {
            "heading": "Tes questions",
            "questions": [
                {
                    "question": "Est-ce que c'est payant ?",
                    "answer": "<p>Non, l'accompagnement est gratuit.</p>",
                }
            ],
        }


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(
        required=False,
        max_length=120,
        label=_("who said it"),
        help_text=_("A role rather than a full name, e.g. 'a young participant, 19'."),
    )

    class Meta:
        icon = "openquote"
        template = "home/blocks/quote.html"
        group = TEXT_GROUP
        description = _("Words someone said, shown as a quotation.")
        preview_value = {
            "quote": "L'esprit d'équipe avec des personnes qu'on ne connaît pas.",
            "attribution": "Une participante au Sprint Créa Jeunes",
        }


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(label=_("image"))
    caption = blocks.CharBlock(required=False, max_length=250, label=_("caption"))

    class Meta:
        icon = "image"
        template = "home/blocks/figure.html"
        group = MEDIA_GROUP
        description = _(
            "A photo or illustration. Describe it in the alternative text unless it is "
            "only decoration."
        )


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        max_length=120,
        label=_("title"),
        help_text=_("Shown under the video, e.g. 'Visite de nos locaux en deux minutes'."),
    )
    video = VideoChooserBlock(
        label=_("video"),
        help_text=_(
            "Upload it with its subtitles (.vtt) and transcript: without them, deaf and "
            "hard-of-hearing visitors miss everything said."
        ),
    )

    class Meta:
        icon = "media"
        template = "home/blocks/video.html"
        group = MEDIA_GROUP
        description = _("A video from the media library, with its subtitles and transcript.")


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES,
        icon="pilcrow",
        label=_("paragraph"),
        group=TEXT_GROUP,
        description=_("Text with bold, italics, lists and links."),
        preview_value=(
            "<p>Ici, <b>tu choisis</b> ton conseiller et la façon de vous rencontrer.</p>"
        ),
    )
    quote = QuoteBlock()
    link = LinkBlock()
    actions = ActionsBlock()
    steps = StepsBlock()
    questions = QuestionsBlock()
    figure = FigureBlock()
    video = VideoBlock()
