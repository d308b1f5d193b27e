"""Registrations to event dates: seats on site and online, and the waiting list.

An `EventDate` is one occurrence of an event page (`"events.EventPage"`, a string
foreign key: booking never imports events), named as the event's own calendars name it
(`key`: "date-<row>" for an explicit date, "day-YYYYMMDD" for a repeated one), or a group
session of the booking side (`group_session`, key "session-<id>"), whose one on-site
pool is the session's seat counter: its bookings and its waiting list count there. Each of
its modes has a `SeatPool`: one counter row whose CHECK keeps confirmed plus offered
seats within the capacity (none: online without a cap), changed only by conditional
UPDATEs in `booking.services.registrations`. A `Registration` is one person's entry,
"moi + 1 ami" included (`party_size`), confirmed or in the queue.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class EventDate(models.Model):
    """One occurrence of an event taking registrations, as last published. `sequence`
    rises when it moves or is cancelled, so every calendar that has it updates."""

    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="event_dates",
        verbose_name=_("structure"),
    )
    # Emptied if the page is deleted: the registrations keep their facts for statistics.
    event = models.ForeignKey(
        "events.EventPage",
        on_delete=models.SET_NULL,
        null=True,
        related_name="registration_dates",
        verbose_name=_("event"),
    )
    # A group session's seats and waiting list; emptied if the session is deleted.
    group_session = models.OneToOneField(
        "booking.GroupSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registration_date",
        verbose_name=_("group session"),
    )
    key = models.CharField(_("date key"), max_length=32)
    title = models.CharField(_("title"), max_length=255)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    sequence = models.PositiveIntegerField(_("revision"), default=0)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("event date")
        verbose_name_plural = _("event dates")
        constraints = [
            models.UniqueConstraint(fields=["event", "key"], name="booking_event_date_once"),
        ]

    def __str__(self):
        return f"{self.title} ({self.key})"


class SeatPool(models.Model):
    """The seats of one event date in one mode: the row every registration counts on."""

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        ONLINE = "online", _("Online")

    date = models.ForeignKey(
        EventDate, on_delete=models.CASCADE, related_name="pools", verbose_name=_("date")
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Empty: no limit (online only).")
    )
    seats_confirmed = models.PositiveIntegerField(_("seats confirmed"), default=0)
    seats_offered = models.PositiveIntegerField(_("seats offered"), default=0)

    class Meta:
        verbose_name = _("seat pool")
        verbose_name_plural = _("seat pools")
        constraints = [
            models.UniqueConstraint(fields=["date", "mode"], name="booking_seat_pool_once"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True)
                | Q(capacity__gte=F("seats_confirmed") + F("seats_offered")),
                name="booking_seat_pool_within_capacity",
            ),
        ]

    def __str__(self):
        return f"{self.date} — {self.mode}"

    @property
    def seats_left(self):
        """None when uncapped."""
        if self.capacity is None:
            return None
        return self.capacity - self.seats_confirmed - self.seats_offered


class Registration(models.Model):
    """One person's entry for an event date, in one mode, for `party_size` seats.

    Waiting entries are served strictly first come, first served (`created_at`, then
    pk): a party at the head waits for all its seats, nobody behind jumps it. `sequence`
    rises on every change, so a link or form made for an earlier state (an offer
    already taken, declined, expired or cancelled) is refused."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        OFFERED = "offered", _("Seat offered")
        CANCELLED_BY_PERSON = "cancelled_by_person", _("Cancelled by the young person")
        CANCELLED_BY_STAFF = "cancelled_by_staff", _("Cancelled by the structure")
        EVENT_CANCELLED = "event_cancelled", _("Event cancelled")
        DECLINED = "declined", _("Offer declined")
        # A group session's offer taken: its seat is now the booking's (`booking`).
        BOOKED = "booked", _("Became an appointment")
        EXPIRED = "expired", _("Offer expired")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    class Source(models.TextChoices):
        WEB = "web", _("Website")
        API = "api", _("API")
        STAFF = "staff", _("Staff")

    LIVE_STATUSES = (Status.CONFIRMED, Status.WAITING, Status.OFFERED)
    # Those holding seats on their pool: confirmed or offered.
    SEATED = {Status.CONFIRMED: "seats_confirmed", Status.OFFERED: "seats_offered"}

    uuid = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    date = models.ForeignKey(
        EventDate, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("date")
    )
    pool = models.ForeignKey(
        SeatPool, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("mode")
    )
    # Empty once the person's data is purged or erased; the entry keeps its facts.
    young_person = models.ForeignKey(
        "booking.YoungPerson",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("young person"),
    )
    party_size = models.PositiveSmallIntegerField(_("seats"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    auto_confirm = models.BooleanField(_("confirm directly when a seat frees up"), default=False)
    # Came without registering, recorded present at the check-in: counted apart, holding
    # no seat (booking.services.registrations.register_walk_in).
    walk_in = models.BooleanField(_("walk-in"), default=False)
    source = models.CharField(_("registered via"), max_length=10, choices=Source.choices)
    # The appointment a group session's offer became (status "booked").
    booking = models.OneToOneField(
        "booking.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registration",
        verbose_name=_("appointment"),
    )
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer valid until"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["pool", "status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "young_person"],
                condition=Q(status__in=["confirmed", "waiting", "offered"]),
                name="booking_registration_once_per_date",
            ),
            models.CheckConstraint(
                condition=Q(party_size__gte=1), name="booking_registration_party_size"
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="booking_registration_offer_has_deadline",
            ),
        ]

    def __str__(self):
        return f"{self.date} — {self.party_size} ({self.status})"

    @property
    def structure(self):
        return self.date.structure

    @property
    def is_live(self):
        return self.status in self.LIVE_STATUSES


class DateMessage(models.Model):
    """What staff told everyone registered for a date (a change of time or place, a
    cancellation), by e-mail or SMS: short, so its SMS stays one segment
    (booking.services.sms.date_message_text says how it fits)."""

    TEXT_MAX_LENGTH = 120

    date = models.ForeignKey(
        EventDate, on_delete=models.CASCADE, related_name="messages", verbose_name=_("date")
    )
    text = models.CharField(_("message"), max_length=TEXT_MAX_LENGTH)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to the registrants")
        verbose_name_plural = _("messages to the registrants")

    def __str__(self):
        return f"{self.date} — {self.created_at:%Y-%m-%d %H:%M}"
