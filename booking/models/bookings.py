"""The bookings themselves and the least we keep about the people who make them.

Double booking is prevented twice: the services re-check the slot inside the booking
transaction, and on PostgreSQL an exclusion constraint (migration 0003) rejects two
overlapping live bookings of one counsellor whatever the code does. Group sessions are
guarded by their seat counter and its CheckConstraint.
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from .availability import GroupSession
from .offer import Counsellor, Format, Place


class YoungPerson(models.Model):
    """The least we need to reach someone and to know whether we have met them before.

    One contact channel, normalised (lower-case e-mail or E.164 mobile number), so the
    same person booking again is recognised. No account, no date of birth. Known to one
    structure only: each keeps its own people, and a first meeting is first with it.
    """

    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="young_people",
        verbose_name=_("structure"),
        editable=False,
    )
    first_name = models.CharField(_("first name"), max_length=100)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(
        _("mobile phone"), max_length=16, blank=True, help_text=_("E.164, e.g. +33612345678.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When they asked for no more text messages (the manage page, or STOP answered to one).
    sms_stopped_at = models.DateTimeField(_("stopped text messages"), null=True, blank=True)

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
                fields=["structure", "email"],
                condition=~Q(email=""),
                name="booking_person_unique_email_per_structure",
            ),
            models.UniqueConstraint(
                fields=["structure", "phone"],
                condition=~Q(phone=""),
                name="booking_person_unique_phone_per_structure",
            ),
        ]

    def __str__(self):
        return self.first_name

    @property
    def contact(self):
        return self.email or self.phone


class Booking(models.Model):
    """One appointment. Its UUID never changes (calendar UID); `sequence` rises on every
    change. It is the structure's whose format it is."""

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
        INVITATION = "invitation", _("Invitation")

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
    # Empty once the person's data is purged or erased; the booking keeps its facts.
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
    # The partner site's key it was booked with, the only one that may change it by API.
    api_key = models.ForeignKey(
        "booking.ApiKey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="bookings",
        verbose_name=_("API key"),
    )
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
    # "I'm coming", answered from a reminder; shown to staff.
    attendance_confirmed_at = models.DateTimeField(
        _("coming, confirmed"), null=True, blank=True, editable=False
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
    def structure(self):
        """Whose booking this is: its format's structure (read with
        `select_related("format__structure__site")` where many are shown)."""
        return self.format.structure

    @property
    def is_cancelled(self):
        return self.status in self.CANCELLED_STATUSES

    def person_may_change(self, now):
        """The young person may move or cancel it until it starts; staff may cancel any
        confirmed booking."""
        return self.status == self.Status.CONFIRMED and self.start > now

    def outcome_may_be_recorded(self, now):
        """Attended or did not come: once it has started, unless it was cancelled."""
        return self.start <= now and not self.is_cancelled
