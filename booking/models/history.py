"""The admin history of counsellors' rows (bookings, absences, opening hours, group
sessions, external agendas), kept apart from Wagtail's shared log so that each entry
knows whose row it was about.

Wagtail shows a log entry to whoever has any permission on its model: every counsellor
read in the site history who booked with their colleagues and when they were away.
Wagtail lets a model keep its log in its own table (register_model in the
register_log_actions hook, booking.wagtail_hooks); this table's manager narrows what
`viewable_by_user` gives, which the site history and its filters use. The counsellor is
copied onto the entry when it is written, so the entry stays theirs after the row is
deleted.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models.audit_log import BaseLogEntry, ModelLogEntryManager
from wagtail.permission_policies import ModelPermissionPolicy

from .offer import Counsellor


class CounsellorLogEntryManager(ModelLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        kwargs.update(counsellor_id=instance.counsellor_id)
        return super().log_action(instance, action, **kwargs)

    def viewable_by_user(self, user):
        """Managers see every entry; others those about their own rows, and what they
        did themselves. Wagtail's rule is not called: it caches on the user the models
        of whichever log table it reads first, so the site history would show this
        table through ModelLogEntry's (empty) list, or the reverse."""
        if user.is_superuser or ModelPermissionPolicy(Counsellor).user_has_permission(
            user, "change"
        ):
            return self.all()
        return self.filter(Q(counsellor__user=user) | Q(user=user))


class CounsellorLogEntry(BaseLogEntry):
    object_id = models.CharField(max_length=255, db_index=True)
    counsellor = models.ForeignKey(
        Counsellor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CounsellorLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("counsellor's log entry")
        verbose_name_plural = _("counsellors' log entries")

    def __str__(self):
        return f"{self.action} on {self.object_verbose_name} {self.object_id}"
