"""When counsellors can be met: recurring opening hours, absences, closures of the whole
structure, and group sessions with their seat counter.

Rules are wall-clock times in the structure's time zone (settings.TIME_ZONE), so "9:00"
stays 9:00 across the daylight-saving changes.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from recurrence.fields import RecurrenceField

from .offer import Counsellor, Format, Place
from .registrations import SeatPool


class AvailabilityRule(models.Model):
    """A recurring window when a counsellor can be booked, in wall-clock time of the
    structure its place belongs to (a place is one structure's, so the rule is too)."""

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

    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="closures",
        verbose_name=_("structure"),
        editable=False,
    )
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


class GroupSessionQuerySet(models.QuerySet):
    def with_seats(self):
        """Read with the sessions, in the same query: `booked` (their bookings' seats),
        `seats_held` (booked or offered to the waiting list) and their `seat_pool_id`."""
        pool = SeatPool.objects.filter(date__group_session=OuterRef("pk"))
        held = pool.values(held=F("seats_confirmed") + F("seats_offered"))[:1]
        return self.annotate(
            seat_pool_id=Subquery(pool.values("pk")[:1]),
            booked=Coalesce(Subquery(pool.values("seats_confirmed")[:1]), 0),
            seats_held=Coalesce(Subquery(held), 0),
        )


class GroupSession(models.Model):
    """One scheduled occurrence of a group format; the structure's whose format it is.
    Its seats are counted on its `registration_date`'s pool (booking.services.bookings
    takes them there, with its waiting list), whose CHECK keeps them within capacity."""

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
    # "places" also names the Place model: French says "lieux" for one, "places" for this.
    capacity = models.PositiveSmallIntegerField(
        pgettext_lazy("seats of a group session", "places"), validators=[MinValueValidator(1)]
    )

    objects = GroupSessionQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        indexes = [models.Index(fields=["counsellor", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="booking_session_starts_before_end"
            ),
        ]

    def __str__(self):
        return f"{self.title or self.format} — {localtime(self.start):%Y-%m-%d %H:%M}"

    @property
    def structure(self):
        return self.format.structure

    @property
    def seats_held(self):
        """Booked or offered: annotated by the queries that list sessions
        (`GroupSession.objects.with_seats()`), read from the pool otherwise."""
        if "seats_held" in self.__dict__:
            return self.__dict__["seats_held"]
        pool = SeatPool.objects.filter(date__group_session=self).first()
        return pool.seats_confirmed + pool.seats_offered if pool is not None else 0

    @seats_held.setter
    def seats_held(self, value):
        self.__dict__["seats_held"] = value

    @property
    def seats_left(self):
        return self.capacity - self.seats_held

    def clean(self):
        if self.start and self.end and self.start >= self.end:
            raise ValidationError({"end": _("The end must come after the start.")})
        if self.pk and self.capacity is not None and self.capacity < self.seats_held:
            raise ValidationError(
                {"capacity": _("More places are already booked than this capacity.")}
            )
