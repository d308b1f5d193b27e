"""The "Rendez-vous" menu of the admin (booking.staff) and its permission policies.

The policies are registered when this module is imported, before the viewsets are: Wagtail
creates a default policy for any model it meets without one, and would then refuse ours.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy

from .models import (
    Absence,
    ApiKey,
    AvailabilityRule,
    Booking,
    CounsellorLogEntry,
    ExternalCalendar,
    GroupSession,
)
from .staff.base import ScopedDeleteBulkAction, still_used
from .staff.dashboard import AppointmentsPanel
from .staff.menu import AppointmentsGroup
from .staff.permissions import BookingPolicy, CounsellorOwnedPolicy, ManagersOnlyPolicy

COUNSELLOR_OWNED = (AvailabilityRule, Absence, GroupSession, ExternalCalendar)

for model in COUNSELLOR_OWNED:
    register_permission_policy(model, CounsellorOwnedPolicy(model))
register_permission_policy(Booking, BookingPolicy(Booking))
register_permission_policy(ApiKey, ManagersOnlyPolicy(ApiKey))


@hooks.register("register_admin_viewset")
def register_appointments():
    return AppointmentsGroup()


# After Wagtail's own bulk deletion of snippets (order 0), so this one replaces it.
hooks.register("register_bulk_action", ScopedDeleteBulkAction, order=1)


@hooks.register("before_delete_snippet")
def refuse_deleting_what_is_still_used(request, instances):
    """One or several rows at once: a clear message instead of a database error."""
    if not instances or instances[0]._meta.app_label != "booking" or not still_used(instances):
        return None
    messages.error(
        request,
        _(
            "This cannot be deleted while bookings, opening hours or group sessions use it. "
            "Untick “active” instead, or cancel those bookings first."
        ),
    )
    return redirect(instances[0].snippet_viewset.get_url_name("list"))


@hooks.register("register_log_actions")
def register_booking_actions(actions):
    """The booking's history says who recorded the outcome or cancelled it. Counsellors'
    rows keep their history in CounsellorLogEntry, which shows each counsellor only
    their own. What staff do on an event date's registrations goes in the event page's
    history (booking.staff.registrations.log_date)."""
    for model in (Booking, *COUNSELLOR_OWNED):
        actions.register_model(model, CounsellorLogEntry)
    actions.register_action(
        "booking.attended", gettext_lazy("Mark as attended"), gettext_lazy("Marked as attended")
    )
    actions.register_action(
        "booking.no_show",
        gettext_lazy("Mark as did not come"),
        gettext_lazy("Marked as did not come"),
    )
    actions.register_action("booking.cancel", gettext_lazy("Cancel"), gettext_lazy("Cancelled"))
    actions.register_action(
        "booking.book_for_someone",
        gettext_lazy("Book for someone"),
        gettext_lazy("Booked by the structure"),
    )
    actions.register_action("booking.move", gettext_lazy("Move"), gettext_lazy("Moved"))
    for action, label, message in REGISTRATION_ACTIONS:
        actions.register_action(f"booking.registrations.{action}")(
            type("DateLogFormatter", (DateLogFormatter,), {"label": label, "message": message})
        )


class DateLogFormatter(LogFormatter):
    """What staff did on an event date's registrations (booking.staff.registrations
    logs it on the event's page): the date and figures of the entry's data, never who."""

    def format_message(self, log_entry):
        return self.message % {"when": "", "seats": 1, "count": 0, **log_entry.data}


REGISTRATION_ACTIONS = [
    (
        "add",
        gettext_lazy("Register someone for a date"),
        ngettext_lazy(
            "Registered someone for %(when)s at the front desk (%(seats)s seat)",
            "Registered someone for %(when)s at the front desk (%(seats)s seats)",
            "seats",
        ),
    ),
    (
        "cancel",
        gettext_lazy("Cancel a registration"),
        ngettext_lazy(
            "Cancelled a registration for %(when)s (%(seats)s seat)",
            "Cancelled a registration for %(when)s (%(seats)s seats)",
            "seats",
        ),
    ),
    (
        "present",
        gettext_lazy("Mark present"),
        ngettext_lazy(
            "Marked a registration for %(when)s present (%(seats)s seat)",
            "Marked a registration for %(when)s present (%(seats)s seats)",
            "seats",
        ),
    ),
    (
        "undo",
        gettext_lazy("Undo a check-in"),
        gettext_lazy("Undid a check-in for %(when)s"),
    ),
    (
        "walk_in",
        gettext_lazy("Record a walk-in"),
        ngettext_lazy(
            "Recorded a walk-in present on %(when)s (%(seats)s person)",
            "Recorded a walk-in present on %(when)s (%(seats)s people)",
            "seats",
        ),
    ),
    (
        "absent",
        gettext_lazy("Mark the others absent"),
        ngettext_lazy(
            "Marked %(count)s person absent on %(when)s",
            "Marked %(count)s people absent on %(when)s",
            "count",
        ),
    ),
    (
        "message",
        gettext_lazy("Message everyone registered"),
        ngettext_lazy(
            "Sent a message about %(when)s to %(count)s person",
            "Sent a message about %(when)s to %(count)s people",
            "count",
        ),
    ),
    (
        "export",
        gettext_lazy("Download the registrations"),
        gettext_lazy("Downloaded the registrations for %(when)s (CSV)"),
    ),
]


@hooks.register("construct_homepage_panels")
def show_the_appointments(request, panels):
    """Today's and the next appointments first on the admin's home page, for whoever
    the booking list shows rows to."""
    panel = AppointmentsPanel(request)
    if panel.is_shown():
        panels.append(panel)
