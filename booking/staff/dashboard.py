"""The admin's home page for staff of the appointments: today's appointments and the
next ones, each linking to its page. A counsellor sees their own, a manager the
structure's: the rows and columns of the booking list (booking.staff.bookings), no more.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from booking.models import Booking
from core.dates import local_date, local_midnight

from .bookings import first_name_of
from .permissions import is_manager

NEXT_SHOWN = 5


class AppointmentsPanel(Component):
    """Shown to whoever the booking list shows rows to; two queries whatever the number
    of appointments."""

    name = "appointments"
    order = 50  # before Wagtail's own panels: it is what staff come for
    template_name = "booking/admin/home_appointments.html"

    # What "today" is measured from; tests set a fixed time.
    clock = staticmethod(timezone.now)

    def __init__(self, request):
        self.request = request

    @property
    def viewset(self):
        return Booking.snippet_viewset

    def is_shown(self):
        return self.viewset.permission_policy.user_has_permission(self.request.user, "view")

    def get_context_data(self, parent_context):
        today_start = local_midnight(local_date(self.clock()))
        tomorrow = local_midnight(local_date(today_start) + timedelta(days=1))
        rows = (
            self.viewset.get_queryset(self.request)
            .exclude(status__in=Booking.CANCELLED_STATUSES)
            .select_related("counsellor", "format", "place", "young_person")
            .order_by("start")
        )
        today = rows.filter(start__gte=today_start, start__lt=tomorrow)
        coming = rows.filter(start__gte=tomorrow)[:NEXT_SHOWN]
        inspect = self.viewset.get_url_name("inspect")
        return {
            "with_counsellor": is_manager(self.request.user),
            # (title, rows, what to say without any, whether the day is said)
            "sections": [
                (
                    _("Today"),
                    [self.row(booking, inspect) for booking in today],
                    _("No appointment today."),
                    False,
                ),
                (
                    _("Next appointments"),
                    [self.row(booking, inspect) for booking in coming],
                    _("No appointment after today."),
                    True,
                ),
            ],
            "list_url": reverse(self.viewset.get_url_name("list")),
        }

    @staticmethod
    def row(booking, inspect):
        return {
            "booking": booking,
            "first_name": first_name_of(booking),
            "url": reverse(inspect, args=[booking.pk]),
        }
