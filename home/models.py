"""Editorial pages of the site. Every page type derives from BasePage."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils.dates import WEEKDAYS
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractFormField, EmailFormMixin, FormMixin
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageViewRestriction, Site
from wagtail.search import index
from wagtailmedia.edit_handlers import MediaChooserPanel

from core import pagecache, routes
from home.blocks import (
    SECTION_FEATURES,
    BodyStreamBlock,
    LinkBlock,
    SocialLinkBlock,
    validate_link_address,
)


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

    # Foreign keys the page's template shows, read with the page when it is routed to.
    route_select_related = ()
    # Whether the content block is the same for every visitor of the site (no form,
    # nothing about the visitor): base.html then keeps it under the site's version
    # ({% pagecontentcache %}), for the visits the page cache does not answer.
    content_is_shared = True

    class Meta:
        abstract = True

    def full_clean(self, *args, **kwargs):
        self.ascii_slug()
        super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        self.ascii_slug()
        super().minimal_clean()

    def ascii_slug(self):
        """ "cafe-rencontre" for a slug typed "café-rencontre", as Wagtail's script
        writes it from the title: an address with an accent reads /caf%C3%A9-…/ once
        copied, pasted or printed (WAGTAIL_ALLOW_UNICODE_SLUGS = False)."""
        if self.slug and not settings.WAGTAIL_ALLOW_UNICODE_SLUGS:
            self.slug = slugify(self.slug)

    def route(self, request, path_components):
        """Wagtail's routing, in fewer queries: a page the address only goes through is
        read without its own fields (read only if it is the one shown), and the page
        shown with the rows of `route_select_related`."""
        if not path_components:
            return super().route(request, path_components)
        try:
            child = self.get_children().get(slug=path_components[0])
        except Page.DoesNotExist as error:
            raise Http404 from error
        if path_components[1:]:
            child = child.specific_deferred
        elif related := getattr(child.specific_class, "route_select_related", ()):
            child = child.specific_class.objects.select_related(*related).get(pk=child.pk)
        else:
            child = child.specific
        child._cached_parent_obj = self  # treebeard's get_parent reads it
        return child.route(request, path_components[1:])

    def get_view_restrictions(self):
        """Wagtail's, in one query instead of two: the restrictions of this page and its
        ancestors, an alias having those of the page it copies (never an alias itself)."""
        if getattr(self, routes.UNRESTRICTED, False):
            return PageViewRestriction.objects.none()  # known from its kept route
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        sources = Page.objects.filter(path__in=paths).values(source=Coalesce("alias_of", "pk"))
        return PageViewRestriction.objects.filter(page__in=sources)


INTRO_HELP = _("One or two short sentences under the title. Plain words, no jargon.")


class HomePage(BasePage):
    """The landing page: says in one screen what Passerelle offers and where to click.

    Next events and counsellors come from their own pages, so the home page never goes
    stale; editors only write the hero, the welcome video and the button. Those sections
    are template tags of their apps (event_tags.upcoming_events,
    counsellor_tags.counsellor_teaser): this app imports neither."""

    heading = models.CharField(
        _("main heading"),
        max_length=120,
        blank=True,
        help_text=_("The big title of the home page. Leave blank to use the page title."),
    )
    intro = models.TextField(_("introduction"), blank=True, help_text=INTRO_HELP)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hero image"),
        help_text=_("A wide photo next to the main heading. Optional."),
    )
    hero_image_alt = models.CharField(
        _("image description"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the photo shows, for people who cannot see it. Leave blank if it is "
            "only decoration."
        ),
    )
    cta_label = models.CharField(
        _("button text"),
        max_length=60,
        blank=True,
        help_text=_("Leave blank for 'Book an appointment'."),
    )
    cta_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("button goes to this page"),
    )
    cta_url = models.CharField(
        _("or to this address"),
        max_length=300,
        blank=True,
        validators=[validate_link_address],
        help_text=_("Leave both blank to open the booking form (/rendez-vous/)."),
    )
    welcome_video = models.ForeignKey(
        "counsellors.AccessibleMedia",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("welcome video"),
        help_text=_("A short video saying hello, with its subtitles and transcript."),
    )
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("content"))

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("heading"),
                FieldPanel("intro"),
                FieldPanel("hero_image"),
                FieldPanel("hero_image_alt"),
            ],
            _("Top of the page"),
        ),
        MultiFieldPanel(
            [FieldPanel("cta_label"), FieldPanel("cta_page"), FieldPanel("cta_url")],
            _("Booking button"),
        ),
        MediaChooserPanel("welcome_video", media_type="video"),
        HelpPanel(
            _(
                "The next three events, four counsellors, and the social networks and "
                "hashtags of the site settings are added to the page automatically."
            )
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def clean(self):
        super().clean()
        if self.cta_page_id and self.cta_url:
            raise ValidationError({"cta_url": _("Choose a page or type an address, not both.")})

    @property
    def cta_href(self):
        if self.cta_page_id:
            return self.cta_page.url
        return self.cta_url or reverse("booking:flow")


class StandardPage(BasePage):
    """Any page that needs no special structure: about us, legal notice, privacy."""

    intro = models.TextField(_("introduction"), blank=True, help_text=INTRO_HELP)
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("content"))

    content_panels = [*BasePage.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class WelcomePage(BasePage):
    """The video welcome booklet young people asked for: who we are, how to book, how to
    get here and what a counsellor does, before they ever walk in."""

    intro = models.TextField(_("introduction"), blank=True, help_text=INTRO_HELP)
    access_directions = RichTextField(
        _("how to get here"),
        features=SECTION_FEATURES,
        blank=True,
        help_text=_(
            "Bus or tram stops, parking, step-free entrance, which door and floor. "
            "The address itself comes from the site settings."
        ),
    )
    map_url = models.URLField(
        _("map link"),
        blank=True,
        help_text=_("A link to the place on a map, e.g. on openstreetmap.org."),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro"),
        InlinePanel("chapters", heading=_("Chapters"), label=_("chapter"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("access_directions"),
                FieldPanel("map_url"),
                InlinePanel(
                    "opening_hours",
                    heading=_("Opening hours"),
                    label=_("opening slot"),
                    help_text=_(
                        "One line per opening slot; a day with a lunch break has two "
                        "lines. Days not listed are shown as closed."
                    ),
                ),
            ],
            _("Getting here"),
        ),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("access_directions"),
        index.RelatedFields("chapters", [index.SearchField("heading"), index.SearchField("text")]),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    show_in_menus_default = True

    class Meta:
        verbose_name = _("welcome booklet")

    def opening_days(self):
        """Every weekday with its slots, closed days included so nobody has to guess;
        nothing at all when no hours were entered."""
        slots = {}
        for slot in sorted(self.opening_hours.all(), key=lambda slot: (slot.weekday, slot.opens)):
            slots.setdefault(slot.weekday, []).append(slot)
        if not slots:
            return []
        return [(name, slots.get(day, [])) for day, name in WEEKDAYS.items()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["chapters"] = self.chapters.select_related("video")
        # Read when the content is rendered, not when it is kept ({% pagecontentcache %}).
        context["opening_days"] = SimpleLazyObject(self.opening_days)
        return context


class WelcomeChapter(Orderable):
    page = ParentalKey(WelcomePage, on_delete=models.CASCADE, related_name="chapters")
    heading = models.CharField(
        _("heading"),
        max_length=120,
        help_text=_("e.g. 'Qui sommes-nous ?', 'Comment prendre rendez-vous ?'"),
    )
    video = models.ForeignKey(
        "counsellors.AccessibleMedia",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("video"),
        help_text=_("A short video (two minutes is plenty) with its subtitles and transcript."),
    )
    text = RichTextField(
        _("text"),
        features=SECTION_FEATURES,
        blank=True,
        help_text=_("What the video says, or more: people who do not watch it read this."),
    )

    panels = [
        FieldPanel("heading"),
        MediaChooserPanel("video", media_type="video"),
        FieldPanel("text"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")


class OpeningHours(Orderable):
    page = ParentalKey(WelcomePage, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=list(WEEKDAYS.items()))
    opens = models.TimeField(_("opens at"))
    closes = models.TimeField(_("closes at"))

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]

    class Meta(Orderable.Meta):
        verbose_name = _("opening slot")
        verbose_name_plural = _("opening hours")

    def clean(self):
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("Closing time must come after opening time.")})


class ComplianceStatus(models.TextChoices):
    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NONE = "none", _("not compliant")


class AccessibilityPage(BasePage):
    """The accessibility declaration French law (art. 47, loi 2005-102) requires, linked
    from the footer of every page with its compliance status."""

    compliance_status = models.CharField(
        _("compliance status"),
        max_length=10,
        choices=ComplianceStatus.choices,
        default=ComplianceStatus.NONE,
        help_text=_(
            "'Fully' means 100% of the RGAA criteria are met, 'partially' at least 50%. "
            "Without an audit, the law says 'not compliant'."
        ),
    )
    compliance_rate = models.PositiveSmallIntegerField(
        _("compliance rate (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("The percentage of RGAA criteria met, as given by the audit."),
    )
    audit_date = models.DateField(_("audit date"), null=True, blank=True)
    auditor = models.CharField(
        _("audited by"),
        max_length=200,
        blank=True,
        help_text=_("The company or team that ran the audit."),
    )
    rgaa_version = models.CharField(_("RGAA version"), max_length=20, default="4.1.2")
    declaration_date = models.DateField(
        _("declaration date"),
        null=True,
        blank=True,
        help_text=_("When this declaration was written or last updated."),
    )
    non_compliant_content = RichTextField(
        _("non-compliant content"),
        features=SECTION_FEATURES,
        blank=True,
        help_text=_("What does not work yet for everyone, in plain words, with the fix planned."),
    )
    disproportionate_burden = RichTextField(
        _("exemptions for disproportionate burden"),
        features=SECTION_FEATURES,
        blank=True,
    )
    exempt_content = RichTextField(
        _("content outside the law's scope"),
        features=SECTION_FEATURES,
        blank=True,
        help_text=_("e.g. third-party content the structure does not control."),
    )
    audit_details = RichTextField(
        _("how the audit was done"),
        features=SECTION_FEATURES,
        blank=True,
        help_text=_("Technologies, browsers and assistive technologies, tools, pages checked."),
    )
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("Where people report an access problem. Leave blank to use the site's e-mail."),
    )
    multiyear_plan = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("multi-year plan"),
        help_text=_("The accessibility plan for the next three years, as a document."),
    )

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("compliance_status"),
                FieldRowPanel([FieldPanel("compliance_rate"), FieldPanel("rgaa_version")]),
                FieldRowPanel([FieldPanel("audit_date"), FieldPanel("auditor")]),
                FieldPanel("declaration_date"),
            ],
            _("Compliance"),
        ),
        FieldPanel("non_compliant_content"),
        FieldPanel("disproportionate_burden"),
        FieldPanel("exempt_content"),
        FieldPanel("audit_details"),
        FieldPanel("contact_email"),
        FieldPanel("multiyear_plan"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("accessibility declaration")

    def clean(self):
        super().clean()
        if self.compliance_status != ComplianceStatus.NONE and not self.audit_date:
            raise ValidationError(
                {"audit_date": _("A compliance claim needs the date of the audit behind it.")}
            )


class IdeaStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


HONEYPOT_FIELD = "website"


class IdeasPage(EmailFormMixin, FormMixin, BasePage):
    """Keeps the promise of the Sprint Créa Jeunes: shows what young people proposed and
    what became of it, and lets anyone suggest the next idea."""

    content_is_shared = False  # its form carries the visitor's CSRF token

    intro = models.TextField(_("introduction"), blank=True, help_text=INTRO_HELP)
    form_intro = models.TextField(
        _("form introduction"),
        blank=True,
        help_text=_("A sentence above the form inviting people to share an idea."),
    )
    privacy_notice = models.TextField(
        _("privacy notice"),
        blank=True,
        help_text=_(
            "Shown under the form: who reads the message and how long it is kept. "
            "Leave blank for the standard notice."
        ),
    )
    thank_you_text = RichTextField(
        _("thank-you message"),
        features=SECTION_FEATURES,
        blank=True,
        help_text=_("Shown after someone sends an idea."),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro"),
        InlinePanel("ideas", heading=_("Ideas and what became of them"), label=_("idea")),
        FormSubmissionsPanel(),
        MultiFieldPanel(
            [
                FieldPanel("form_intro"),
                InlinePanel("form_fields", label=_("form field")),
                FieldPanel("privacy_notice"),
                FieldPanel("thank_you_text"),
            ],
            _("Form for new ideas"),
        ),
        MultiFieldPanel(
            [
                HelpPanel(
                    _(
                        "Leave the recipient blank to read ideas only here, under "
                        "'Submissions'. Several addresses: separate them with commas."
                    )
                ),
                FieldPanel("to_address"),
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("subject")]),
            ],
            _("E-mail the ideas"),
        ),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.RelatedFields("ideas", [index.SearchField("title"), index.SearchField("proposal")]),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
    show_in_menus_default = True

    class Meta:
        verbose_name = _("ideas page")

    def get_form(self, *args, **kwargs):
        """Adds a field that people never see: only robots fill it in."""
        form = super().get_form(*args, **kwargs)
        form.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        return form

    def process_form_submission(self, form):
        """Robots get the same thank-you page as people, so they learn nothing, but
        nothing they send is kept or mailed."""
        if form.cleaned_data.pop(HONEYPOT_FIELD, ""):
            return None
        return super().process_form_submission(form)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["honeypot_field"] = HONEYPOT_FIELD
        context["ideas"] = self.ideas.select_related("link_page")
        return context


class IdeaFormField(AbstractFormField):
    page = ParentalKey(IdeasPage, on_delete=models.CASCADE, related_name="form_fields")


class Idea(Orderable):
    page = ParentalKey(IdeasPage, on_delete=models.CASCADE, related_name="ideas")
    title = models.CharField(_("name of the idea"), max_length=120)
    proposal = models.TextField(
        _("what young people proposed"), help_text=_("In their words, summed up in two lines.")
    )
    follow_up = models.TextField(
        _("what we do with it"),
        blank=True,
        help_text=_("Concrete and honest: what exists now, what is planned, and when."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=IdeaStatus.choices, default=IdeaStatus.PLANNED
    )
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("see it on the site"),
        help_text=_("The page where the idea came to life, if there is one."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("proposal"),
        FieldPanel("follow_up"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("link_page")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    """Who runs the site and how to reach them: shown in the footer of every page and
    on the welcome booklet, so it is typed once."""

    name = models.CharField(
        _("site name"),
        max_length=60,
        default="Passerelle",
        help_text=_("Shown at the top of every page and in the browser tab."),
    )
    tagline = models.CharField(
        _("tagline"),
        max_length=120,
        blank=True,
        help_text=_("A few words under the site name, e.g. 'Ton accompagnement, à ta façon'."),
    )
    address = models.TextField(
        _("address"),
        blank=True,
        help_text=_("Street, postcode and town, one per line."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.CharField(
        _("opening hours"),
        max_length=200,
        blank=True,
        help_text=_(
            "In one line, for the footer, e.g. 'Du lundi au vendredi, 9 h – 12 h 30 et "
            "13 h 30 – 17 h'. The detailed hours go in the welcome booklet."
        ),
    )
    main_menu = StreamField(
        [("link", LinkBlock())],
        blank=True,
        verbose_name=_("main menu"),
        help_text=_("The links at the top of every page, in this order."),
    )
    social_links = StreamField(
        [("social", SocialLinkBlock())],
        blank=True,
        verbose_name=_("social networks"),
    )
    hashtags = models.CharField(
        _("hashtags"),
        max_length=200,
        blank=True,
        help_text=_("Separated by spaces or commas, e.g. '#SprintCréaMDE #minedinfos'."),
    )
    not_found_text = RichTextField(
        _("'page not found' message"),
        features=SECTION_FEATURES,
        blank=True,
        help_text=_(
            "Shown when someone follows a broken link. Say it kindly and suggest where to "
            "go. Leave blank for the standard message."
        ),
    )
    footer_links = StreamField(
        [("link", LinkBlock())],
        blank=True,
        verbose_name=_("footer links"),
        help_text=_(
            "Legal notice, personal data, social networks… The accessibility "
            "declaration is linked automatically."
        ),
    )

    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("tagline")], _("Site")),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
            ],
            _("Contact"),
        ),
        MultiFieldPanel(
            [
                HelpPanel(
                    _(
                        "Leave the menu empty to list the pages ticked 'Show in menus' "
                        "(Promote tab), in the order of the page tree. As soon as it has "
                        "one link, only these links are shown. The search link is always "
                        "added at the end."
                    )
                ),
                FieldPanel("main_menu"),
            ],
            _("Main menu"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("opening_hours"),
                FieldPanel("social_links"),
                FieldPanel("hashtags"),
                FieldPanel("footer_links"),
            ],
            _("Footer"),
        ),
        FieldPanel("not_found_text"),
    ]

    class Meta:
        verbose_name = _("site identity")

    @classmethod
    def for_request(cls, request):
        """From the shared cache, under the site's version (core.pagecache): every page
        shows it, and it changes only when an editor saves it."""
        attr_name = cls.get_cache_attr_name()
        site = Site.find_for_request(request)
        if hasattr(request, attr_name) or site is None:
            return super().for_request(request)
        identity = pagecache.for_site(site, "site-identity", lambda: cls.for_site(site))
        identity._request = request
        setattr(request, attr_name, identity)
        return identity

    def hashtag_list(self):
        """Each hashtag with its '#', however the editor typed them."""
        words = self.hashtags.replace(",", " ").split()
        return [f"#{word.lstrip('#')}" for word in words if word.strip("#")]
