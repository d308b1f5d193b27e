"""Counsellor profile pages and the accessible video they carry.

Young people told us they want to choose who accompanies them: each counsellor gets a
short profile with a two-minute video, captioned and transcribed so everyone can watch it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import PagePermissionTester
from wagtail.search import index
from wagtailmedia import get_permission_policy as get_media_permission_policy
from wagtailmedia.edit_handlers import MediaChooserPanel
from wagtailmedia.models import AbstractMedia, MediaType

from home.models import BasePage

from .validators import validate_privacy_friendly_embed_url, validate_webvtt


class AccessibleMedia(AbstractMedia):
    """A wagtailmedia file that carries its captions and transcript (WCAG 1.2)."""

    subtitles_file = models.FileField(
        upload_to="media_subtitles",
        blank=True,
        validators=[FileExtensionValidator(["vtt"]), validate_webvtt],
        verbose_name=_("subtitles (WebVTT)"),
        help_text=_("A .vtt file with the captions of the video, in French."),
    )
    transcript = models.TextField(
        blank=True,
        verbose_name=_("transcript"),
        help_text=_("Everything said in the video, written out, for people who cannot hear it."),
    )

    admin_form_fields = (
        "title",
        "file",
        "collection",
        "duration",
        "width",
        "height",
        "thumbnail",
        "subtitles_file",
        "transcript",
        "tags",
    )

    class Meta:
        verbose_name = _("media")


class CounsellorIndexPage(BasePage):
    """The one page where young people browse counsellors before choosing one or two."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        verbose_name=_("introduction"),
        help_text=_("A few words above the list, e.g. how to choose and what happens next."),
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["counsellors.CounsellorPage"]
    max_count = 1

    class Meta:
        verbose_name = _("counsellor list")

    def get_counsellors(self):
        """Live profiles with their portrait and its rendition: three queries, however many."""
        portraits = get_image_model().objects.prefetch_renditions(
            settings.COUNSELLOR_PORTRAIT_FILTER
        )
        return (
            CounsellorPage.objects.child_of(self)
            .live()
            .public()
            .prefetch_related(Prefetch("photo", queryset=portraits))
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only when the content block is not kept (`.public()` queries at once).
        context["counsellors"] = SimpleLazyObject(lambda: list(self.get_counsellors()))
        return context


class OwnProfilePermissionTester(PagePermissionTester):
    """Wagtail's page permissions, and for the counsellor the page introduces (the
    user of its bookable counsellor): editing and publishing it, nothing more (no
    deleting, moving, copying, restricting, nor any other page). They publish without
    moderation: the words are theirs, the page refuses a video without captions and
    transcript, and the structure's editors see every revision in its history."""

    def is_own_profile(self):
        counsellor = self.page.counsellor
        return self.user.is_active and counsellor is not None and counsellor.user_id == self.user.pk

    def can_edit(self):
        return super().can_edit() or self.is_own_profile()

    def can_publish(self):
        return super().can_publish() or self.is_own_profile()

    def can_set_view_restrictions(self):
        return super().can_publish()

    def can_copy(self):
        return super().can_edit()

    def edits_as_owner_only(self):
        return not super().can_edit() and self.is_own_profile()


class CounsellorPageForm(WagtailAdminPageForm):
    """The counsellor editing their own profile cannot hand it to someone else (who
    books from it stays the editors' choice), and chooses only a video of their own
    (or keeps the one the page has), whatever id the form is sent."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.instance
        if page.pk and page.permissions_for_user(self.for_user).edits_as_owner_only():
            self.fields["counsellor"].disabled = True
            theirs = get_media_permission_policy().instances_user_has_any_permission_for(
                self.for_user, ["change"]
            )
            video = self.fields["video"]
            video.queryset = video.queryset.filter(Q(pk__in=theirs) | Q(pk=page.video_id))


class CounsellorPage(BasePage):
    """A counsellor introduced in their own words, so a young person can pick who to meet.

    The page title is the counsellor's first name: no surname is ever published.
    """

    route_select_related = ("counsellor", "photo", "video")

    counsellor = models.ForeignKey(
        "booking.Counsellor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="profile_pages",
        verbose_name=_("bookable counsellor"),
        help_text=_("The person young people book with from this profile."),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo"),
        help_text=_("A friendly portrait, with the person's consent. Square images work best."),
    )
    role = models.CharField(
        max_length=120,
        verbose_name=_("role"),
        help_text=_("In everyday words, e.g. “Conseillère emploi et formation”."),
    )
    intro = models.TextField(
        max_length=400,
        verbose_name=_("short introduction"),
        help_text=_(
            "Two or three simple sentences in the first person (400 characters at most). "
            "Shown on the list of counsellors and at the top of the profile."
        ),
    )
    languages = models.CharField(
        max_length=255,
        default="français",
        verbose_name=_("languages spoken"),
        help_text=_("Separate them with commas, e.g. “français, anglais, arabe”."),
    )
    help_topics = models.TextField(
        blank=True,
        verbose_name=_("what I like to help with"),
        help_text=_("Optional. One topic per line, e.g. “Trouver une formation”."),
    )
    video = models.ForeignKey(
        "counsellors.AccessibleMedia",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded video"),
        help_text=_("The video file, with its subtitles file and transcript filled in."),
    )
    embed_url = models.URLField(
        blank=True,
        validators=[validate_privacy_friendly_embed_url],
        verbose_name=_("video link"),
        help_text=_(
            "Instead of a file: a youtube-nocookie.com/embed link, a player.vimeo.com link "
            "ending with dnt=1, or a PeerTube …/videos/embed/… link. Turn captions on there."
        ),
    )
    embed_title = models.CharField(
        max_length=255,
        blank=True,
        verbose_name=_("video title"),
        help_text=_("Required with a video link: read aloud by screen readers."),
    )
    embed_transcript = models.TextField(
        blank=True,
        verbose_name=_("video transcript"),
        help_text=_("Required with a video link: everything said in the video, written out."),
    )

    content_panels = [
        TitleFieldPanel(
            "title",
            heading=_("First name"),
            help_text=_("First name only: we never publish surnames."),
            placeholder=_("First name*"),
        ),
        FieldPanel("counsellor"),
        FieldPanel("photo"),
        FieldPanel("role"),
        FieldPanel("intro"),
        FieldPanel("languages"),
        FieldPanel("help_topics"),
        MultiFieldPanel(
            [
                HelpPanel(
                    _(
                        "About two minutes, never more than one video: either upload a file "
                        "(with its .vtt subtitles and transcript) or paste a video link "
                        "(with its title and transcript)."
                    )
                ),
                MediaChooserPanel("video", media_type=MediaType.VIDEO),
                FieldPanel("embed_url"),
                FieldPanel("embed_title"),
                FieldPanel("embed_transcript"),
            ],
            _("My video introduction"),
        ),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("role"),
        index.SearchField("intro"),
        index.SearchField("languages"),
        index.SearchField("help_topics"),
    ]

    parent_page_types = ["counsellors.CounsellorIndexPage"]
    subpage_types = []
    base_form_class = CounsellorPageForm

    class Meta:
        verbose_name = _("counsellor profile")

    def permissions_for_user(self, user):
        return OwnProfilePermissionTester(user, self)

    @property
    def language_list(self):
        return [language.strip() for language in self.languages.split(",") if language.strip()]

    @property
    def help_topic_list(self):
        return [topic.strip() for topic in self.help_topics.splitlines() if topic.strip()]

    def clean(self):
        """One video per profile, and never one that some young people cannot follow."""
        super().clean()
        if self.video_id and self.embed_url:
            raise ValidationError(
                {
                    "video": _("Choose either an uploaded video or a video link, not both."),
                    "embed_url": _("Choose either an uploaded video or a video link, not both."),
                }
            )
        if not self.video_id and not self.embed_url:
            raise ValidationError(
                {"video": _("Add your video introduction: upload a file or paste a video link.")}
            )
        errors = {}
        if self.video_id:
            video = self.video
            if video.type != MediaType.VIDEO:
                errors["video"] = _("Choose a video, not an audio file.")
            elif not video.subtitles_file or not video.transcript.strip():
                errors["video"] = _(
                    "This video needs its subtitles file (.vtt) and its transcript: "
                    "add them by editing the media."
                )
        else:
            if not self.embed_title.strip():
                errors["embed_title"] = _("Give the video a title.")
            if not self.embed_transcript.strip():
                errors["embed_transcript"] = _("Write the transcript of the video.")
        if errors:
            raise ValidationError(errors)
