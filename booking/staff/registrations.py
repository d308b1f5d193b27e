"""Registrations to event dates, for staff: each date with its seats on site and
online, and one page per date with who is registered, who holds an offer until when
and who waits in which place. Managers and counsellors of the structure use it (as
they book for someone at the front desk); every row is of the request's structure,
another's date gives 404. Changes go through booking.services.registrations, which
notifies the people. Each page costs the same queries whatever the number of
registrations.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from booking.models import EventDate, Registration, SeatPool
from booking.services.contacts import display_contact

from .base import RestrictedViewSet
from .front_desk import may_book_for_someone
from .permissions import counsellor_of, is_manager

Status = Registration.Status
PAST = "past"


def with_figures(dates):
    """The dates with their pools (each with how many wait) and their attendance
    figures, in two queries whatever their number."""
    pools = SeatPool.objects.annotate(
        waiting=Count("registrations", filter=Q(registrations__status=Status.WAITING))
    ).order_by("mode")
    return dates.prefetch_related(Prefetch("pools", queryset=pools)).annotate(
        attended=Count("registrations", filter=Q(registrations__status=Status.ATTENDED)),
        no_show=Count("registrations", filter=Q(registrations__status=Status.NO_SHOW)),
        registered=Count(
            "registrations",
            filter=Q(
                registrations__status__in=(
                    Status.CONFIRMED,
                    Status.ATTENDED,
                    Status.NO_SHOW,
                )
            ),
        ),
    )


def dates_of(structure):
    return EventDate.objects.filter(structure=structure)


class RegistrationsMixin(WagtailAdminTemplateMixin):
    """Managers and counsellors of the request's structure."""

    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not may_book_for_someone(request.user, request.structure):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def index_crumb(self):
        return {"url": reverse(REGISTRATIONS.get_url_name("index")), "label": _("Event dates")}


class DateListView(RegistrationsMixin, TemplateView):
    """The dates to come (or past ones, latest first), with their seats and figures."""

    template_name = "booking/admin/event_dates.html"
    page_title = _("Event dates")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        past = self.request.GET.get("when") == PAST
        now = timezone.now()
        dates = dates_of(self.request.structure)
        dates = dates.filter(end__lt=now).order_by("-start") if past else dates.filter(end__gte=now)
        context["dates"] = with_figures(dates)
        context["past"] = past
        return context


class DateMixin(RegistrationsMixin):
    """One date of the request's structure, or 404."""

    @cached_property
    def date(self):
        return get_object_or_404(
            with_figures(dates_of(self.request.structure)), pk=self.kwargs["pk"]
        )

    def date_url(self, name="date"):
        return reverse(REGISTRATIONS.get_url_name(name), args=[self.date.pk])

    def get_page_subtitle(self):
        return str(self.date.title)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            self.index_crumb(),
            {"url": self.date_url(), "label": self.date.title},
            {"url": "", "label": self.page_title},
        ]


def registration_rows(date):
    """Every registration of `date` with its person, and the place of each one waiting,
    counted here rather than one query each."""
    rows = list(
        date.registrations.select_related("young_person", "pool").order_by("created_at", "pk")
    )
    places = {}
    for registration in rows:
        if registration.status == Status.WAITING:
            places[registration.pool_id] = places.get(registration.pool_id, 0) + 1
            registration.position = places[registration.pool_id]
        else:
            registration.position = None
        person = registration.young_person
        registration.first_name = person.first_name if person else _("(erased)")
        registration.contact = display_contact(person) if person else ""
    return rows


class DateView(DateMixin, TemplateView):
    """Who is registered for one date: the live entries first (confirmed, offered,
    waiting in order), then those who left."""

    template_name = "booking/admin/event_date.html"
    page_title = _("Registrations")

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            self.index_crumb(),
            {"url": "", "label": self.date.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = registration_rows(self.date)
        order = {Status.CONFIRMED: 0, Status.OFFERED: 1, Status.WAITING: 2}
        context["date"] = self.date
        context["live"] = sorted(
            (row for row in rows if row.is_live), key=lambda row: order[row.status]
        )
        context["others"] = [row for row in rows if not row.is_live]
        return context


class RegistrationsViewSet(RestrictedViewSet):
    name = "booking_registrations"
    url_prefix = "booking/registrations"
    icon = "group"
    menu_label = _("Event registrations")

    def may_use(self, user):
        return is_manager(user) or counsellor_of(user) is not None

    def get_urlpatterns(self):
        return [
            path("", DateListView.as_view(), name="index"),
            path("<int:pk>/", DateView.as_view(), name="date"),
        ]


REGISTRATIONS = RegistrationsViewSet()
