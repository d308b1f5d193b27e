"""The outbox of messages to young people about their bookings."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .bookings import Booking


class Notification(models.Model):
    """One e-mail about one revision of a booking: recorded in the booking's transaction,
    before it is sent, so a failing mail server or a dying process loses nothing and
    `send_pending_notifications` can retry it. "Sending" is a worker's claim, which
    lapses at `next_attempt_at` if the worker died (booking.notifications.delivery).

    The unique (booking, kind, sequence) makes each kind go out at most once per
    revision, whoever tries to send it and however many times.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
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
