"""What is offered: places, ways to meet (formats) and the counsellors who offer them."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from core.validators import validate_https


class Place(models.Model):
    """Where a meeting happens. Shared between a structure's counsellors, so "the café"
    is one row."""

    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="places",
        verbose_name=_("structure"),
        editable=False,
    )

    class Kind(models.TextChoices):
        STRUCTURE = "structure", _("At the structure")
        PUBLIC_PLACE = "public_place", _("Neutral public place (café, library…)")
        HOME = "home", _("At the young person's home")
        PHONE = "phone", _("By phone")
        VIDEO = "video", _("By video call")
        ELSEWHERE = "elsewhere", _("Outdoors or elsewhere")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(
        _("name"),
        max_length=120,
        help_text=_("As young people will read it, e.g. “Café de la gare” or “By phone”."),
    )
    address = models.TextField(
        _("address"), blank=True, help_text=_("Leave empty for phone, video or home meetings.")
    )
    directions = models.TextField(
        _("how to get there"),
        blank=True,
        help_text=_("Bus lines, entrance, landmarks: anything that helps on the day."),
    )
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, lift, quiet room, toilets… or what is missing."),
    )
    one_off = models.BooleanField(
        _("one-off place"),
        default=False,
        help_text=_("Used for a single meeting or session; not offered as a usual place."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to stop offering this place.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self):
        return self.name

    @property
    def suits_first_meeting(self):
        """Young people asked for a first meeting on neutral ground: never at home."""
        return self.kind != self.Kind.HOME


def validate_place_kinds(value):
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one kind of place."))
    unknown = [kind for kind in value if kind not in Place.Kind.values]
    if unknown:
        raise ValidationError(
            _("Unknown kind of place: %(kinds)s."), params={"kinds": ", ".join(map(str, unknown))}
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Each kind of place may appear only once."))


class Format(models.Model):
    """A way to meet (individual, group, over a coffee, around a game) and its booking
    rules, as one structure offers it."""

    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="formats",
        verbose_name=_("structure"),
        editable=False,
    )

    class MeetingStage(models.TextChoices):
        FIRST = "first", _("First meeting only")
        FOLLOW_UP = "follow_up", _("Follow-up meetings only")
        ANY = "any", _("First meeting or follow-up")

    slug = models.SlugField(_("slug"), max_length=50)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("In plain words: what happens, for whom, what to bring."),
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(8 * 60)]
    )
    capacity = models.PositiveSmallIntegerField(
        _("places per meeting"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_(
            "1 for a one-to-one meeting. More than 1 makes it a group format: it is then "
            "booked only on the group sessions you schedule."
        ),
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(
        _("break after (minutes)"),
        default=0,
        help_text=_("Time kept free after each meeting, to write notes or travel."),
    )
    slot_interval_minutes = models.PositiveSmallIntegerField(
        _("time between start times (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5)],
        help_text=_("Leave empty to offer back-to-back meetings (duration plus break)."),
    )
    minimum_notice_hours = models.PositiveSmallIntegerField(
        _("minimum notice (hours)"),
        default=24,
        help_text=_("How long before the meeting it can still be booked online."),
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to answer an offered seat"),
        default=24,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Group formats: when a seat of a full session frees up, the next person on its "
            "waiting list has this long to take it, counted from when the message can be "
            "read."
        ),
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("booking horizon (days)"),
        default=60,
        validators=[MinValueValidator(1)],
        help_text=_("How many days ahead meetings can be booked."),
    )
    place_kinds = models.JSONField(
        _("kinds of place allowed"),
        default=list,
        validators=[validate_place_kinds],
        help_text=_("Where this kind of meeting may happen."),
    )
    meeting_stage = models.CharField(
        _("meeting stage"),
        max_length=20,
        choices=MeetingStage.choices,
        default=MeetingStage.ANY,
    )
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Smaller numbers are listed first.")
    )

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("meeting format")
        verbose_name_plural = _("meeting formats")
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "slug"], name="booking_format_unique_slug_per_structure"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="booking_format_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5), name="booking_format_duration_positive"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_group(self):
        return self.capacity > 1

    @property
    def step_minutes(self):
        return self.slot_interval_minutes or self.duration_minutes + self.buffer_after_minutes

    def allows_place(self, place):
        return place.kind in self.place_kinds

    def allows_stage(self, first_meeting):
        if self.meeting_stage == self.MeetingStage.FIRST:
            return first_meeting
        if self.meeting_stage == self.MeetingStage.FOLLOW_UP:
            return not first_meeting
        return True


class CounsellorQuerySet(models.QuerySet):
    def bookable(self, structure):
        """The structure's active counsellors who offer at least one of its active formats."""
        return self.filter(
            active=True,
            structures=structure,
            formats__active=True,
            formats__structure=structure,
        ).distinct()

    def with_profile_pages(self, *lookups):
        """Prefetch each counsellor's live, public profile page (see `profile_page`),
        with `lookups` prefetched on the pages (e.g. their portrait).

        The pages belong to the counsellors app, which this app never imports: its
        `CounsellorPage.counsellor` link adds the `profile_pages` relation. Without that
        app, counsellors simply have no profile page.
        """
        try:
            pages = self.model._meta.get_field("profile_pages").related_model
        except FieldDoesNotExist:
            return self
        queryset = pages.objects.live().public().prefetch_related(*lookups)
        return self.prefetch_related(
            Prefetch("profile_pages", queryset=queryset, to_attr="live_profile_pages")
        )


class Counsellor(models.Model):
    """A bookable person. Linked to a user so they can sign in to see their bookings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="counsellor",
        verbose_name=_("user account"),
        help_text=_("The account this counsellor signs in with."),
    )
    first_name = models.CharField(
        _("first name"), max_length=80, help_text=_("As shown to young people.")
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to stop all online booking with them.")
    )
    structures = models.ManyToManyField(
        "structures.Structure",
        related_name="counsellors",
        verbose_name=_("structures"),
        help_text=_(
            "Where they can be booked. Their absences and agenda count in every one; "
            "their opening hours, bookings and feed are each structure's own."
        ),
    )
    formats = models.ManyToManyField(
        Format, blank=True, related_name="counsellors", verbose_name=_("meeting formats offered")
    )
    places = models.ManyToManyField(
        Place, blank=True, related_name="counsellors", verbose_name=_("places offered")
    )
    video_url = models.URLField(
        _("video meeting link"),
        blank=True,
        validators=[validate_https],
        help_text=_(
            "Your standing link for video meetings (Teams, Visio…), starting with https://. "
            "Leave empty to give each meeting its own room on the structure's video service."
        ),
    )

    class Told(models.TextChoices):
        """How the counsellor learns of the bookings, moves and cancellations concerning
        them (booking.notifications.counsellors), besides their calendar feed."""

        EACH_CHANGE = "each_change", _("An e-mail for each change")
        DAILY_DIGEST = "daily_digest", _("A daily digest at 7:30")
        NONE = "none", _("No e-mail (the calendar feed only)")

    told = models.CharField(
        _("e-mails about appointments"),
        max_length=12,
        choices=Told.choices,
        default=Told.EACH_CHANGE,
        help_text=_(
            "Sent to the account's e-mail address: each booking, move and cancellation, "
            "or every morning the day before's changes and the day's appointments."
        ),
    )
    # Calendar feed: only the SHA-256 of the secret token is kept, so a
    # leaked database does not leak the counsellors' agendas. Empty: no feed.
    calendar_feed_token_hash = models.CharField(
        _("calendar feed key (hashed)"), max_length=64, blank=True, editable=False, db_index=True
    )
    calendar_feed_created_at = models.DateTimeField(
        _("calendar feed address created"), null=True, blank=True, editable=False
    )

    objects = CounsellorQuerySet.as_manager()

    class Meta:
        ordering = ["first_name", "slug"]
        verbose_name = _("counsellor")
        verbose_name_plural = _("counsellors")

    def __str__(self):
        return self.first_name

    @property
    def profile_page(self):
        """Their live profile page with a video, or None; read from
        `Counsellor.objects.with_profile_pages()`."""
        pages = getattr(self, "live_profile_pages", None)
        return pages[0] if pages else None
