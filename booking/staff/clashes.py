"""Appointments staff must move or cancel, and nothing stays silent about them:
- those that fall during their counsellor's absence: saving an absence over confirmed
  bookings leads here;
- home visits left first, with no meeting before them (a home visit never comes first,
  `services.contacts.home_visits_coming_first`): when an earlier meeting is cancelled,
  by the person or by staff, the visit is kept and shown here rather than cancelled
  behind anyone's back.
The bookings and absences listings say so until each is moved or cancelled (with a
message) from this page."""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from booking.models import Booking
from booking.scheduling.queries import clashing_bookings
from booking.services.contacts import home_visits_coming_first

from .base import RestrictedViewSet
from .permissions import counsellor_of, is_manager


def clashes_of(request):
    """The clashing bookings the user may change, of the request's structure."""
    return clashing_bookings(Booking.snippet_viewset.get_queryset(request), timezone.now())


def home_visits_first_of(request):
    """The home visits left first the user may change, of the request's structure."""
    return home_visits_coming_first(Booking.snippet_viewset.get_queryset(request), timezone.now())


def clashes_url():
    return reverse(CLASHES.get_url_name("index"))


def tell_clashes(request, count):
    """A warning, on the page being shown, with a link to resolve them."""
    messages.warning(
        request,
        ngettext(
            "%(count)s appointment falls during an absence: move or cancel it.",
            "%(count)s appointments fall during an absence: move or cancel them.",
            count,
        )
        % {"count": count},
        buttons=[messages.button(clashes_url(), _("See them"))],
    )


def tell_home_visits_first(request, count):
    messages.warning(
        request,
        ngettext(
            "%(count)s home visit now comes before any first meeting: move or cancel it.",
            "%(count)s home visits now come before any first meeting: move or cancel them.",
            count,
        )
        % {"count": count},
        buttons=[messages.button(clashes_url(), _("See them"))],
    )


def tell_what_to_move(request):
    """Both warnings, while any remain. Two queries."""
    if count := clashes_of(request).count():
        tell_clashes(request, count)
    if count := home_visits_first_of(request).count():
        tell_home_visits_first(request, count)


class ClashNoticeMixin:
    """For a listing (bookings, absences): the warnings while any remain. Not on the
    listing's own AJAX results, which show no messages."""

    def get(self, request, *args, **kwargs):
        if not self.results_only:
            tell_what_to_move(request)
        return super().get(request, *args, **kwargs)


class AbsenceSavedMixin:
    """After an absence is saved over confirmed bookings, the page that lists them."""

    def form_valid(self, form):
        response = super().form_valid(form)
        absence = self.object
        during = Booking.objects.filter(
            counsellor=absence.counsellor, start__lt=absence.end, end__gt=absence.start
        )
        if count := clashing_bookings(during, timezone.now()).count():
            tell_clashes(self.request, count)
            return redirect(clashes_url())
        return response


class ClashesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "booking/admin/clashes.html"
    page_title = _("Appointments to move or cancel")
    header_icon = "warning"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["clashes"] = rows(clashes_of(self.request))
        context["home_visits_first"] = rows(home_visits_first_of(self.request))
        return context


def rows(bookings):
    viewset = Booking.snippet_viewset
    return [
        {
            "booking": booking,
            "move_url": reverse(viewset.get_url_name("move"), args=[booking.pk]),
            "cancel_url": reverse(viewset.get_url_name("cancel"), args=[booking.pk]),
            "inspect_url": reverse(viewset.get_url_name("inspect"), args=[booking.pk]),
        }
        for booking in bookings
    ]


class ClashesViewSet(RestrictedViewSet):
    name = "booking_clashes"
    url_prefix = "booking/clashes"
    icon = "warning"
    menu_label = _("To move or cancel")

    def may_use(self, user):
        return is_manager(user) or counsellor_of(user) is not None

    def get_urlpatterns(self):
        return [path("", ClashesView.as_view(), name="index")]


CLASHES = ClashesViewSet()
