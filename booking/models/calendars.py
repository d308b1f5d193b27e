"""A counsellor's own agenda (Outlook, Google, Nextcloud), read for busy times only."""

from django.db import models
from django.db.models import F, Q
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from .offer import Counsellor


class ExternalCalendar(models.Model):
    """The secret iCal address of a counsellor's own agenda (Outlook, Google, Nextcloud),
    read periodically for busy times only. A failing fetch keeps the last good copy and
    never blocks booking."""

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
    skipped_events = models.PositiveIntegerField(
        _("events left out"),
        default=0,
        editable=False,
        help_text=_("Events of the last good read that could not be read, or repeat too often."),
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
