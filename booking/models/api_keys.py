"""Partner sites' keys to the API: who books through it, counted apart from addresses."""

import hashlib
import secrets
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What every key starts with, so a key pasted in the wrong place is recognised (and
# core.logging redacts it from any log line).
KEY_PREFIX = "psl_"
SHOWN_PREFIX_LENGTH = len(KEY_PREFIX) + 6


def digest(key):
    """SHA-256 of the key: enough for 256 random bits, which no dictionary can guess, and
    one indexed lookup per request."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def usable(self, key, structure):
        """The key's row, if `key` is one of `structure`'s and is not revoked."""
        return self.filter(digest=digest(key), structure=structure, revoked=False).first()


class ApiKey(models.Model):
    """A partner site's key. Only its digest is stored, with its first characters for
    people to recognise it; the key itself is shown once, by `create_api_key`."""

    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("structure"),
        editable=False,
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Who uses it, e.g. “Site of the Lycée Condorcet”.")
    )
    prefix = models.CharField(_("starts with"), max_length=SHOWN_PREFIX_LENGTH, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, editable=False)
    revoked = models.BooleanField(
        _("revoked"),
        default=False,
        help_text=_("A revoked key stops working at once, and for good."),
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def create(cls, *, name, structure):
        """(the row, the key): the key is returned this once and never stored."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        row = cls.objects.create(
            name=name, structure=structure, prefix=key[:SHOWN_PREFIX_LENGTH], digest=digest(key)
        )
        return row, key

    def mark_used(self):
        """Record the use, at most once a minute: not one write per request."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at > timedelta(minutes=1):
            ApiKey.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
