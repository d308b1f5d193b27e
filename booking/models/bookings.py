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

HOME_STREET_MAX_LENGTH = 200
HOME_TOWN_MAX_LENGTH = 100
HOME_ACCESS_MAX_LENGTH = 300


class YoungPerson(models.Model):
    """The least we need to reach someone and to know whether we have met them before.

    An e-mail address, a mobile number or both, normalised (lower-case e-mail, E.164
    number), each belonging to one person, so the same person booking again is
    recognised (`services.contacts.find_or_create_person` says how when both are given);
    and where they want to be told (`preferred_channel`). No account, no date of birth.
    Known to one structure only: each keeps its own people, and a first meeting is
    first with it.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("By e-mail")
        SMS = "sms", _("By text message")

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
    preferred_channel = models.CharField(
        _("tell them"),
        max_length=5,
        choices=Channel.choices,
        default=Channel.EMAIL,
        help_text=_("Where they asked to be told of their appointments."),
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
                condition=~Q(email="") | ~Q(phone=""), name="booking_person_has_a_contact"
            ),
            # Told only where they can be: an SMS needs the number, an e-mail the address.
            models.CheckConstraint(
                condition=(Q(preferred_channel="email") & ~Q(email=""))
                | (Q(preferred_channel="sms") & ~Q(phone="")),
                name="booking_person_channel_reachable",
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
        """The contact they asked to be told at."""
        return self.phone if self.preferred_channel == self.Channel.SMS else self.email


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
    HOME_FIELDS = ("home_street", "home_postcode", "home_town", "home_access")
    # Where the person is met or called: personal data, gone with the purge.
    PLACE_DETAILS = (*HOME_FIELDS, "call_phone")

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
    # Where a meeting at the person's home takes place: personal data, kept like the
    # message until the purge (services.privacy), shown to the booking's counsellor only.
    home_street = models.CharField(_("street"), max_length=HOME_STREET_MAX_LENGTH, blank=True)
    home_postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    home_town = models.CharField(_("town"), max_length=HOME_TOWN_MAX_LENGTH, blank=True)
    home_access = models.CharField(_("access notes"), max_length=HOME_ACCESS_MAX_LENGTH, blank=True)
    # The number to call for a meeting by phone, as given when booking: the person's
    # own may be missing (find_or_create_person keeps no number a request adds).
    call_phone = models.CharField(_("number to call"), max_length=16, blank=True)
    # The random part of the video room's address on the structure's video service
    # (`video_url`), made when a video meeting is booked: unguessable, never listed.
    video_room = models.CharField(_("video room"), max_length=64, blank=True, editable=False)
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

    @property
    def home_address(self):
        """The person's address for a meeting at home, on one line per part ("" if none)."""
        town = " ".join(part for part in (self.home_postcode, self.home_town) if part)
        return "\n".join(part for part in (self.home_street, town, self.home_access) if part)

    @property
    def video_url(self):
        """Where to join a video meeting: the counsellor's standing link, else the room
        made on the structure's video service; "" when the meeting is not by video or
        neither exists. Given only to the person and their counsellor."""
        if self.place.kind != Place.Kind.VIDEO:
            return ""
        if self.counsellor.video_url:
            return self.counsellor.video_url
        service = self.structure.video_service_url
        if service and self.video_room:
            return f"{service.rstrip('/')}/{self.video_room}"
        return ""

    def outcome_may_be_recorded(self, now):
        """Attended or did not come: once it has started, unless it was cancelled."""
        return self.start <= now and not self.is_cancelled
