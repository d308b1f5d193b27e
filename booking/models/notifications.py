"""The outbox of messages about bookings, to young people (e-mails and SMS alike) and to
their counsellors, and the short links the SMS carry."""

import secrets
import string

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import local_when

from .bookings import Booking


class Notification(models.Model):
    """One e-mail or SMS about one revision of a booking: recorded in the booking's transaction,
    before it is sent, so a failing mail server or a dying process loses nothing and
    `send_pending_notifications` can retry it. "Sending" is a worker's claim, which
    lapses at `next_attempt_at` if the worker died (booking.notifications.delivery).

    The unique (booking, kind, sequence, channel) makes each kind go out at most once
    per revision and channel, whoever tries to send it and however many times. An SMS
    records how many messages it was billed as and the provider's id for it.

    A row with a `counsellor` is an e-mail to that counsellor
    (booking.notifications.counsellors): one outbox, so their messages have the same
    claim, lease and retries as the young person's, with no second copy of them. A
    change tells a counsellor once per revision (a move to another counsellor tells
    both: "withdrawn" and "assigned" are two kinds, and "withdrawn" keeps the time the
    one it left had, `previous_start`, since a move may change both); one who chose
    the daily digest has their changes kept ("held") for it; the digest itself is the one row of its
    counsellor, structure and `day`, with no booking. Such rows hold nothing personal
    (what they say is built when sent), and go with the booking like the person's.

    A row with an `invitation` is that invitation's link, sent once by its channel
    (booking.notifications.invitations): the same claim, retries and quiet hours, and
    staff see on the invitations page whether it left. It goes with the invitation.

    "Sent" means the provider took the message; an SMS provider's delivery report then
    says whether it reached the phone (`delivery`, booking.services.sms): the first
    final answer is kept, and one that never reached is told by e-mail when it can.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, will be retried")
        REJECTED = "rejected", _("Refused by the provider, not retried")
        SKIPPED = "skipped", _("Not sent (outdated)")
        HELD = "held", _("Kept for the counsellor's daily digest")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class Delivery(models.TextChoices):
        UNKNOWN = "", _("No delivery report")
        DELIVERED = "delivered", _("SMS delivered")
        UNDELIVERED = "undelivered", _("SMS not delivered")

    booking = models.ForeignKey(
        Booking,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("booking"),
    )
    # Or about a registration to an event date (booking.notifications.registrations).
    registration = models.ForeignKey(
        "booking.Registration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("registration"),
    )
    counsellor = models.ForeignKey(
        "booking.Counsellor",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("counsellor told"),
        help_text=_("Empty: the message goes to the young person."),
    )
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure of the digest"),
    )
    invitation = models.ForeignKey(
        "booking.Invitation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("invitation"),
    )
    # Or staff's message to everyone registered for the date: one row per person.
    date_message = models.ForeignKey(
        "booking.DateMessage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("message to the registrants"),
    )
    day = models.DateField(_("day of the digest"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=30)
    channel = models.CharField(
        _("channel"), max_length=5, choices=Channel.choices, default=Channel.EMAIL
    )
    sequence = models.PositiveIntegerField(_("booking revision"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    segments = models.PositiveSmallIntegerField(_("SMS billed"), null=True, blank=True)
    provider_message_id = models.CharField(
        _("provider's message id"), max_length=100, blank=True, db_index=True
    )
    delivery = models.CharField(
        _("delivery"), max_length=11, choices=Delivery.choices, blank=True, default=""
    )
    delivery_reported_at = models.DateTimeField(_("delivery reported"), null=True, blank=True)
    previous_start = models.DateTimeField(
        _("time it had"),
        null=True,
        blank=True,
        help_text=_("For the counsellor a move took the appointment from: its time then."),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "sequence", "channel"],
                condition=Q(counsellor__isnull=True),
                name="booking_notification_once_per_channel",
            ),
            models.UniqueConstraint(
                fields=["booking", "kind", "sequence", "counsellor"],
                condition=Q(counsellor__isnull=False, booking__isnull=False),
                name="booking_notification_once_per_counsellor",
            ),
            models.UniqueConstraint(
                fields=["counsellor", "structure", "day"],
                condition=Q(day__isnull=False),
                name="booking_notification_one_digest_a_day",
            ),
            models.UniqueConstraint(
                fields=["invitation"],
                condition=Q(invitation__isnull=False),
                name="booking_notification_once_per_invitation",
            ),
            models.UniqueConstraint(
                fields=["registration", "kind", "sequence", "channel"],
                condition=Q(registration__isnull=False, date_message__isnull=True),
                name="booking_notification_once_per_registration",
            ),
            models.UniqueConstraint(
                fields=["date_message", "registration", "channel"],
                condition=Q(date_message__isnull=False),
                name="booking_notification_message_once_per_person",
            ),
            models.CheckConstraint(
                condition=Q(booking__isnull=False)
                | Q(registration__isnull=False)
                | Q(day__isnull=False, counsellor__isnull=False)
                | Q(invitation__isnull=False),
                name="booking_notification_about_one_thing_or_a_digest",
            ),
        ]

    def __str__(self):
        about = (
            self.booking_id
            or self.registration_id
            or self.day
            or f"invitation {self.invitation_id}"
        )
        return f"{self.kind} #{self.sequence} {self.channel} — {about} ({self.status})"

    def state_display(self):
        """What staff read of it: an SMS's delivery report says more than "sent"."""
        if self.delivery:
            return gettext("%(delivery)s on %(when)s") % {
                "delivery": self.get_delivery_display(),
                "when": local_when(self.delivery_reported_at),
            }
        return self.get_status_display()


SHORT_CODE_ALPHABET = string.ascii_letters + string.digits
SHORT_CODE_LENGTH = 9  # 62⁹ ≈ 10¹⁶ codes: unguessable, and 9 characters of an SMS


def new_short_code():
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


class ShortLink(models.Model):
    """/r/<code>: the manage link of a booking in the few characters an SMS can spare
    (a signed token takes about 70). It redirects to a freshly signed manage link, so it
    lives exactly as long as one would (booking.services.tokens), and it goes with the
    person's data (booking.services.privacy). `reminder` links open the page with the
    one-tap "I'm coming / I can't come"."""

    booking = models.ForeignKey(
        Booking,
        on_delete=models.CASCADE,
        null=True,
        related_name="short_links",
        verbose_name=_("booking"),
    )
    # Or a registration's manage page (its offer's answers included).
    registration = models.ForeignKey(
        "booking.Registration",
        on_delete=models.CASCADE,
        null=True,
        related_name="short_links",
        verbose_name=_("registration"),
    )
    code = models.CharField(
        _("code"), max_length=SHORT_CODE_LENGTH, unique=True, default=new_short_code
    )
    reminder = models.BooleanField(_("from a reminder"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("short link")
        verbose_name_plural = _("short links")
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "reminder"], name="booking_short_link_one_per_use"
            ),
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(registration__isnull=False),
                name="booking_short_link_one_per_registration",
            ),
            models.CheckConstraint(
                condition=Q(booking__isnull=True) ^ Q(registration__isnull=True),
                name="booking_short_link_to_one_thing",
            ),
        ]

    def __str__(self):
        return self.code
