"""Invitations: a counsellor sends a young person a link to book with them.

The link (booking.services.invitations) opens the public journey on the counsellor's
times, in the chosen format. It works once, until `expires_at`: the booking it leads
to marks it used, in the booking's transaction. The contact is kept only to send the
link and is covered by export, erasure and purge like a young person's.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .offer import Counsellor, Format

DEFAULT_VALIDITY = timedelta(days=10)


class Invitation(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    counsellor = models.ForeignKey(
        Counsellor,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("counsellor"),
    )
    format = models.ForeignKey(
        Format,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("meeting format"),
    )
    channel = models.CharField(_("sent by"), max_length=10, choices=Channel.choices)
    # Normalised as a young person's: a lower-case e-mail address or an E.164 number.
    contact = models.CharField(_("contact"), max_length=254)
    expires_at = models.DateTimeField(_("expires"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.counsellor} — {self.format}"

    @property
    def structure(self):
        return self.format.structure

    def usable(self, now):
        return self.used_at is None and now < self.expires_at
