"""The appointment domain: who can be met, how, where, when, and the bookings themselves.

Times are stored in UTC and computed in the structure's time zone (settings.TIME_ZONE,
Europe/Paris): availability rules are wall-clock times so "9:00" stays 9:00 across the
daylight-saving changes.

Double booking is prevented twice: the services re-check the slot inside the booking
transaction, and on PostgreSQL an exclusion constraint (migration 0003) rejects two
overlapping live bookings of one counsellor whatever the code does. Group sessions are
guarded by their seat counter and its CheckConstraint.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from recurrence.fields import RecurrenceField


class Place(models.Model):
    """Where a meeting happens. Shared between counsellors, so "the café" is one row."""

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
    """A way to meet (individual, group, over a coffee, around a game) and its booking rules."""

    class MeetingStage(models.TextChoices):
        FIRST = "first", _("First meeting only")
        FOLLOW_UP = "follow_up", _("Follow-up meetings only")
        ANY = "any", _("First meeting or follow-up")

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
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
    formats = models.ManyToManyField(
        Format, blank=True, related_name="counsellors", verbose_name=_("meeting formats offered")
    )
    places = models.ManyToManyField(
        Place, blank=True, related_name="counsellors", verbose_name=_("places offered")
    )
    # Calendar feed (booking.feeds): only the SHA-256 of the secret token is kept, so a
    # leaked database does not leak the counsellors' agendas. Empty: no feed.
    calendar_feed_token_hash = models.CharField(
        _("calendar feed key (hashed)"), max_length=64, blank=True, editable=False, db_index=True
    )
    calendar_feed_created_at = models.DateTimeField(
        _("calendar feed address created"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["first_name", "slug"]
        verbose_name = _("counsellor")
        verbose_name_plural = _("counsellors")

    def __str__(self):
        return self.first_name


class ExternalCalendar(models.Model):
    """The secret iCal address of a counsellor's own agenda (Outlook, Google, Nextcloud),
    read periodically for busy times only. A failing fetch keeps the last good copy and
    never blocks booking (booking.calendar_import)."""

    counsellor = models.OneToOneField(
        Counsellor,
        on_delete=models.CASCADE,
        related_name="external_calendar",
        verbose_name=_("counsellor"),
    )
    url = models.URLField(
        _("secret address of your agenda"),
        max_length=2000,
        help_text=_(
            "The private iCal address (ending in .ics) that Outlook, Google Agenda or "
            "Nextcloud gives you. Your busy times are then not offered to young people."
        ),
    )
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(
        _("last successful read"), null=True, blank=True, editable=False
    )
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    consecutive_failures = models.PositiveSmallIntegerField(
        _("failures in a row"), default=0, editable=False
    )
    last_good_copy = models.TextField(_("last good copy"), blank=True, editable=False)
    etag = models.CharField(max_length=255, blank=True, editable=False)
    http_last_modified = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        verbose_name = _("external agenda")
        verbose_name_plural = _("external agendas")

    def __str__(self):
        return str(self.counsellor)


class ExternalBusyTime(models.Model):
    """One busy interval read from an external agenda, already expanded and in UTC."""

    calendar = models.ForeignKey(
        ExternalCalendar,
        on_delete=models.CASCADE,
        related_name="busy_times",
        verbose_name=_("external agenda"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["start"]
        verbose_name = _("busy time")
        verbose_name_plural = _("busy times")
        indexes = [models.Index(fields=["calendar", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="booking_busy_time_starts_before_end"
            )
        ]

    def __str__(self):
        start, end = localtime(self.start), localtime(self.end)
        return f"{start:%Y-%m-%d %H:%M} → {end:%Y-%m-%d %H:%M}"


class AvailabilityRule(models.Model):
    """A recurring window when a counsellor can be booked, in wall-clock local time."""

    counsellor = models.ForeignKey(
        Counsellor,
        on_delete=models.CASCADE,
        related_name="availability_rules",
        verbose_name=_("counsellor"),
    )
    recurrence = RecurrenceField(
        _("days"), help_text=_("Which days, e.g. every Monday and Thursday.")
    )
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="availability_rules", verbose_name=_("place")
    )
    formats = models.ManyToManyField(
        Format,
        blank=True,
        related_name="availability_rules",
        verbose_name=_("meeting formats"),
        help_text=_("Leave empty for every format this counsellor offers."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="booking_rule_starts_before_end"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=F("valid_until")),
                name="booking_rule_valid_range",
            ),
        ]

    def __str__(self):
        return f"{self.counsellor}: {self.start_time:%H:%M}–{self.end_time:%H:%M}, {self.place}"

    def clean(self):
        if self.start_time and self.end_time and self.start_time >= self.end_time:
            raise ValidationError({"end_time": _("The end must come after the start.")})
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            raise ValidationError({"valid_until": _("This date is before the start date.")})
        if (
            self.counsellor_id
            and self.place_id
            and not self.counsellor.places.filter(pk=self.place_id).exists()
        ):
            raise ValidationError({"place": _("This counsellor does not offer this place.")})


class Absence(models.Model):
    """A time when one counsellor cannot be booked (leave, training, illness)."""

    counsellor = models.ForeignKey(
        Counsellor, on_delete=models.CASCADE, related_name="absences", verbose_name=_("counsellor")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["start"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="booking_absence_starts_before_end"
            )
        ]

    def __str__(self):
        start, end = localtime(self.start), localtime(self.end)
        return f"{self.counsellor}: {start:%Y-%m-%d %H:%M} → {end:%Y-%m-%d %H:%M}"


class Closure(models.Model):
    """Whole days when the structure is closed to everyone. Public holidays are computed."""

    label = models.CharField(
        _("label"), max_length=120, help_text=_("Shown to young people, e.g. “Summer closure”.")
    )
    start_date = models.DateField(_("first day closed"))
    end_date = models.DateField(_("last day closed"))

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lte=F("end_date")), name="booking_closure_valid_range"
            )
        ]

    def __str__(self):
        return self.label


class GroupSession(models.Model):
    """One scheduled occurrence of a group format, with a seat counter that cannot overflow."""

    counsellor = models.ForeignKey(
        Counsellor,
        on_delete=models.PROTECT,
        related_name="group_sessions",
        verbose_name=_("counsellor"),
    )
    format = models.ForeignKey(
        Format,
        on_delete=models.PROTECT,
        related_name="group_sessions",
        verbose_name=_("meeting format"),
        limit_choices_to={"capacity__gt": 1},
    )
    title = models.CharField(
        _("topic"),
        max_length=120,
        blank=True,
        help_text=_("What this session is about, e.g. “Write your CV”."),
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="group_sessions", verbose_name=_("place")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    capacity = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    seats_booked = models.PositiveSmallIntegerField(_("places booked"), default=0, editable=False)

    class Meta:
        ordering = ["start"]
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        indexes = [models.Index(fields=["counsellor", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_booked__gte=0) & Q(seats_booked__lte=F("capacity")),
                name="booking_session_seats_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="booking_session_starts_before_end"
            ),
        ]

    def __str__(self):
        return f"{self.title or self.format} — {localtime(self.start):%Y-%m-%d %H:%M}"

    @property
    def seats_left(self):
        return self.capacity - self.seats_booked

    def clean(self):
        if self.start and self.end and self.start >= self.end:
            raise ValidationError({"end": _("The end must come after the start.")})
        if self.capacity is not None and self.capacity < self.seats_booked:
            raise ValidationError(
                {"capacity": _("More places are already booked than this capacity.")}
            )


class YoungPerson(models.Model):
    """The least we need to reach someone and to know whether we have met them before.

    One contact channel, normalised (lower-case e-mail or E.164 mobile number), so the
    same person booking again is recognised. No account, no date of birth.
    """

    first_name = models.CharField(_("first name"), max_length=100)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(
        _("mobile phone"), max_length=16, blank=True, help_text=_("E.164, e.g. +33612345678.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("young person")
        verbose_name_plural = _("young people")
        constraints = [
            models.CheckConstraint(
                condition=(Q(email="") & ~Q(phone="")) | (~Q(email="") & Q(phone="")),
                name="booking_person_exactly_one_contact",
            ),
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="booking_person_unique_email"
            ),
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="booking_person_unique_phone"
            ),
        ]

    def __str__(self):
        return self.first_name

    @property
    def contact(self):
        return self.email or self.phone


class Booking(models.Model):
    """One appointment. Its UUID never changes (calendar UID); `sequence` rises on every change."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED_BY_PERSON = "cancelled_by_person", _("Cancelled by the young person")
        CANCELLED_BY_STAFF = "cancelled_by_staff", _("Cancelled by the structure")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    class Source(models.TextChoices):
        WEB = "web", _("Website")
        API = "api", _("API")
        STAFF = "staff", _("Staff")

    CANCELLED_STATUSES = (Status.CANCELLED_BY_PERSON, Status.CANCELLED_BY_STAFF)
    MESSAGE_MAX_LENGTH = 500

    uuid = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    counsellor = models.ForeignKey(
        Counsellor, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("counsellor")
    )
    format = models.ForeignKey(
        Format, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("meeting format")
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("place")
    )
    group_session = models.ForeignKey(
        GroupSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("group session"),
    )
    # Data lifecycle (booking admin & API helper, migration 0004): empty once the
    # person's data is purged or erased (booking.privacy); the booking keeps its facts.
    young_person = models.ForeignKey(
        YoungPerson,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("young person"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    busy_until = models.DateTimeField(
        _("counsellor busy until"),
        editable=False,
        help_text=_("End plus the format's break, fixed when booked: what the guard protects."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    source = models.CharField(_("booked via"), max_length=10, choices=Source.choices)
    message = models.CharField(
        _("message"),
        max_length=MESSAGE_MAX_LENGTH,
        blank=True,
        help_text=_("Optional. Do not write health, family or other private details here."),
    )
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    cancellation_message = models.CharField(
        _("cancellation message"), max_length=MESSAGE_MAX_LENGTH, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [models.Index(fields=["counsellor", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")) & Q(end__lte=F("busy_until")),
                name="booking_booking_times_ordered",
            ),
            # One seat per person and session: the seat counter alone would let a double
            # click take two seats.
            models.UniqueConstraint(
                fields=["group_session", "young_person"],
                condition=Q(group_session__isnull=False)
                & ~Q(status__in=["cancelled_by_person", "cancelled_by_staff"]),
                name="booking_one_seat_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.format} — {self.counsellor} — {localtime(self.start):%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self):
        return self.status in self.CANCELLED_STATUSES


# == Notifications (booking flow helper) ==========================================


class Notification(models.Model):
    """One e-mail about one revision of a booking: recorded before it is sent, so a
    failing mail server loses nothing and `send_pending_notifications` can retry it.

    The unique (booking, kind, sequence) makes each kind go out at most once per
    revision, whoever tries to send it and however many times.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, will be retried")
        SKIPPED = "skipped", _("Not sent (outdated)")

    booking = models.ForeignKey(
        Booking,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("booking"),
    )
    kind = models.CharField(_("kind"), max_length=30)
    sequence = models.PositiveIntegerField(_("booking revision"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "sequence"], name="booking_notification_once"
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.sequence} — {self.booking_id} ({self.status})"
