"""Bookings in the admin: a read-only list and page, and three actions (attended, did
not come, cancel) that go through booking.services, which notifies. Their times change
only through the services, never through a form here.
"""

from datetime import timedelta

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.log_actions import log
from wagtail.snippets.views import snippets as snippet_views

from booking import services
from booking.models import Booking, Counsellor, Notification, Place, of_structure
from booking.services.contacts import display_contact, display_phone
from core.dates import local_date, local_midnight, local_when

from .base import CounsellorOwnedViewSet, InspectView
from .clashes import ClashNoticeMixin, home_visits_first_of, tell_home_visits_first
from .front_desk import BookForSomeoneView, FrontDeskView, may_book_for_someone
from .permissions import is_manager


class BookingFilterSet(WagtailFilterSet):
    TODAY, UPCOMING, PAST = "today", "upcoming", "past"
    # What "today", "upcoming" and "past" are measured from; tests set a fixed time.
    clock = staticmethod(timezone.now)

    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[(TODAY, _("Today")), (UPCOMING, _("Upcoming")), (PAST, _("Past"))],
        method="filter_when",
        empty_label=_("All"),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Booking.Status.choices)
    counsellor = django_filters.ModelChoiceFilter(
        label=_("Counsellor"),
        queryset=lambda request: of_structure(Counsellor.objects.all(), request.structure),
    )

    class Meta:
        model = Booking
        fields = ["when", "status", "counsellor"]

    def __init__(self, data=None, *args, request=None, **kwargs):
        if data is not None and "when" not in data:
            data = data.copy()
            data["when"] = self.UPCOMING
        super().__init__(data, *args, request=request, **kwargs)
        if request is None or not is_manager(request.user):
            del self.filters["counsellor"]

    def filter_when(self, queryset, name, value):
        now = self.clock()
        if value == self.TODAY:
            day_start = local_midnight(local_date(now))
            return queryset.filter(start__gte=day_start, start__lt=day_start + timedelta(days=1))
        if value == self.UPCOMING:
            return queryset.filter(end__gte=now)
        if value == self.PAST:
            return queryset.filter(end__lt=now)
        return queryset


def first_name_of(booking):
    return booking.young_person.first_name if booking.young_person else _("(erased)")


def sms_delivery_of(booking):
    """ "SMS delivered" or "not delivered", as the provider last reported about it."""
    return Notification.Delivery(booking.sms_delivery).label if booking.sms_delivery else ""


class BookingIndexView(ClashNoticeMixin, snippet_views.IndexView):
    """Time (Paris), format, place, first name, status, what became of the last SMS;
    the counsellor for managers. Past bookings come most recent first. Staff book for
    someone from here."""

    def get_base_queryset(self):
        """With the last delivery report of its SMS, in the listing's one query."""
        reports = Notification.objects.filter(
            booking=OuterRef("pk"), counsellor__isnull=True, channel=Notification.Channel.SMS
        ).exclude(delivery=Notification.Delivery.UNKNOWN)
        return (
            super()
            .get_base_queryset()
            .annotate(
                sms_delivery=Subquery(
                    reports.order_by("-delivery_reported_at", "-pk").values("delivery")[:1]
                )
            )
        )

    @cached_property
    def header_buttons(self):
        if not may_book_for_someone(self.request.user, self.request.structure):
            return []
        return [
            HeaderButton(
                _("Book for someone"),
                url=reverse(Booking.snippet_viewset.get_url_name("book_for_someone")),
                icon_name="plus",
            )
        ]

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        columns = [
            title_column(
                "start",
                label=_("When"),
                accessor=lambda booking: local_when(booking.start),
                sort_key="start",
                get_url=self.get_inspect_url,
            ),
            Column("format", label=_("Meeting format"), accessor="format.name"),
            Column("place", label=_("Place"), accessor="place.name"),
            Column("first_name", label=_("First name"), accessor=first_name_of),
            Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
            Column("sms_delivery", label=_("SMS"), accessor=sms_delivery_of),
        ]
        if is_manager(self.request.user):
            columns.insert(
                1,
                Column(
                    "counsellor",
                    label=_("Counsellor"),
                    accessor="counsellor.first_name",
                    sort_key="counsellor__first_name",
                ),
            )
        return columns

    def get_edit_url(self, instance):
        return None

    def get_ordering(self):
        if "ordering" not in self.request.GET and (
            self.request.GET.get("when") == BookingFilterSet.PAST
        ):
            return "-start"
        return super().get_ordering()


def _message_line(notification):
    """(channel, kind, status, SMS billed) of one notification, as staff read it: an
    SMS's delivery report says more than "sent"."""
    kind = notification.kind
    if kind.startswith("reminder-"):
        label = _("Reminder %(hours)s h before") % {"hours": kind.removeprefix("reminder-")[:-1]}
    else:
        label = NOTIFICATION_KINDS.get(kind, kind)
    billed = (
        _(" (%(count)s SMS)") % {"count": notification.segments} if notification.segments else ""
    )
    return (notification.get_channel_display(), label, notification.state_display(), billed)


NOTIFICATION_KINDS = {
    "booked": _("Confirmation"),
    "moved": _("Change of time"),
    "cancelled": _("Cancellation"),
}


class BookingInspectView(InspectView):
    """Everything about one booking, with the actions the booking allows now."""

    template_name = "booking/admin/booking_inspect.html"
    page_title = _("Booking")

    def get_fields(self):
        return [
            "start",
            "format",
            "place",
            "held_at",
            "counsellor",
            "young_person",
            "contact",
            "message",
            "status",
            "attendance_confirmed_at",
            "cancellation_message",
            "source",
            "uuid",
            "created_at",
            "messages",
        ]

    def get_field_label(self, field_name, field):
        if field_name == "contact":
            return _("How to reach them")
        if field_name == "messages":
            return _("Messages sent to them")
        if field_name == "held_at":
            return _("Where exactly")
        return super().get_field_label(field_name, field)

    def get_attendance_confirmed_at_display_value(self):
        confirmed = self.object.attendance_confirmed_at
        return local_when(confirmed) if confirmed else "-"

    def get_messages_display_value(self):
        """Each e-mail and SMS about the booking, with its state: "SMS not delivered"
        is seen here."""
        rows = self.object.notifications.filter(counsellor__isnull=True).order_by("created_at")
        return (
            format_html_join("", "<p>{} · {} · {}{}</p>", (_message_line(row) for row in rows))
            or "-"
        )

    def get_held_at_display_value(self):
        """The home address, the number to call or the video link: only the booking's
        counsellor and managers reach this page (BookingPolicy)."""
        booking = self.object
        held_at = {
            Place.Kind.HOME: booking.home_address,
            Place.Kind.PHONE: display_phone(booking.call_phone),
            Place.Kind.VIDEO: booking.video_url,
        }.get(booking.place.kind)
        return linebreaksbr(held_at, autoescape=True) if held_at else "-"

    def get_start_display_value(self):
        return local_when(self.object.start)

    def get_young_person_display_value(self):
        return first_name_of(self.object)

    def get_contact_display_value(self):
        person = self.object.young_person
        return display_contact(person) if person else "-"

    def get_created_at_display_value(self):
        return local_when(self.object.created_at)

    def get_edit_url(self):
        return None

    @cached_property
    def header_more_buttons(self):
        history = reverse(Booking.snippet_viewset.get_url_name("history"), args=[self.object.pk])
        return [Button(_("History"), url=history, icon_name="history")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        booking, viewset = self.object, Booking.snippet_viewset
        can_change = self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", booking
        )
        context["can_record_outcome"] = can_change and booking.outcome_may_be_recorded(
            timezone.now()
        )
        context["can_cancel"] = can_change and booking.status == Booking.Status.CONFIRMED
        context["move_url"] = reverse(viewset.get_url_name("move"), args=[booking.pk])
        context["attended_url"] = reverse(viewset.get_url_name("attended"), args=[booking.pk])
        context["no_show_url"] = reverse(viewset.get_url_name("no_show"), args=[booking.pk])
        context["cancel_url"] = reverse(viewset.get_url_name("cancel"), args=[booking.pk])
        return context


class BookingActionMixin(PermissionCheckedMixin):
    """A booking the user may change, or 404."""

    model = Booking
    permission_required = "change"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.booking = get_object_or_404(
            of_structure(Booking.objects.all(), request.structure).select_related(
                "format", "place", "counsellor", "young_person"
            ),
            pk=kwargs["pk"],
        )
        if not self.permission_policy.user_has_permission_for_instance(
            request.user, "change", self.booking
        ):
            raise Http404

    def inspect_url(self):
        return reverse(Booking.snippet_viewset.get_url_name("inspect"), args=[self.booking.pk])


class RecordOutcomeView(BookingActionMixin, View):
    """POST only: the person came, or did not."""

    http_method_names = ["post"]
    outcome = None
    OUTCOMES = {
        "attended": (services.mark_attended, _("Marked as attended.")),
        "no_show": (services.mark_no_show, _("Marked as did not come.")),
    }

    def post(self, request, *args, **kwargs):
        record, success = self.OUTCOMES[self.outcome]
        try:
            record(self.booking)
        except services.BookingError as error:
            messages.error(request, error.message)
        else:
            log(instance=self.booking, action=f"booking.{self.outcome}", user=request.user)
            messages.success(request, success)
        return redirect(self.inspect_url())


class CancelForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the young person"),
        required=False,
        max_length=Booking.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent with the cancellation. Say why and how to book again."),
    )


class CancelBookingView(BookingActionMixin, WagtailAdminTemplateMixin, FormView):
    """GET shows the form, POST cancels through booking.services (which notifies)."""

    form_class = CancelForm
    template_name = "booking/admin/cancel_booking.html"
    page_title = _("Cancel the appointment")
    header_icon = "calendar-alt"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(Booking.snippet_viewset.get_url_name("list")),
                "label": capfirst(Booking._meta.verbose_name_plural),
            },
            {"url": self.inspect_url(), "label": str(self.booking)},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["booking"] = self.booking
        context["when"] = local_when(self.booking.start)
        context["first_name"] = first_name_of(self.booking)
        context["inspect_url"] = self.inspect_url()
        return context

    def form_valid(self, form):
        try:
            services.cancel(
                self.booking,
                by=services.Actor.STAFF,
                message=form.cleaned_data["message"],
                staff_user=self.request.user,
            )
        except services.BookingError as error:
            messages.error(self.request, error.message)
        else:
            log(instance=self.booking, action="booking.cancel", user=self.request.user)
            messages.success(self.request, _("The appointment is cancelled."))
            self.tell_home_visits_left_first()
        return redirect(self.inspect_url())

    def tell_home_visits_left_first(self):
        """The cancelled meeting may have been what came before a home visit of theirs."""
        person = self.booking.young_person
        if person is not None and (
            count := home_visits_first_of(self.request).filter(young_person=person).count()
        ):
            tell_home_visits_first(self.request, count)


class MoveBookingView(BookingActionMixin, FrontDeskView):
    """Another time, place, format or counsellor of the structure; a seat another
    session of its format. Through services.move, which notifies the person."""

    page_title = _("Move the appointment")

    def initial_choice(self):
        booking = self.booking
        return {
            "format": booking.format_id,
            "counsellor": booking.counsellor_id,
            "place": booking.place_id,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["booking"] = self.booking
        context["when"] = local_when(self.booking.start)
        context["first_name"] = first_name_of(self.booking)
        context["cancel_url"] = reverse(
            Booking.snippet_viewset.get_url_name("cancel"), args=[self.booking.pk]
        )
        return context

    def listing(self):
        if self.booking.status != Booking.Status.CONFIRMED:
            return None
        return super().listing()

    def post(self, request, *args, **kwargs):
        if not self.choice.is_valid():
            return self.refused(_("Please check the choices above."), about_the_time=False)
        target = self.slot_target()
        if target is None:
            return self.refused(_("Please choose a day and a time."))
        try:
            services.move(
                self.booking,
                by=services.Actor.STAFF,
                override_limits=self.choice.cleaned_data["override_limits"],
                staff_user=request.user,
                **target,
            )
        except services.BookingError as error:
            return self.refused(error.message)
        log(instance=self.booking, action="booking.move", user=request.user)
        messages.success(
            request,
            _("The appointment has moved: %(when)s.") % {"when": local_when(self.booking.start)},
        )
        return redirect(self.inspect_url())


class BookingViewSet(CounsellorOwnedViewSet):
    model = Booking
    icon = "date"
    index_view_class = BookingIndexView
    inspect_view_class = BookingInspectView
    inspect_view_enabled = True
    filterset_class = BookingFilterSet
    list_select_related = ("counsellor", "format", "place", "young_person")
    # Never rendered: "edit" shows the read-only page; defined so Wagtail builds no form
    # with every field.
    panels = [FieldPanel("cancellation_message")]

    def register_reference_index(self):
        """Not indexed: Wagtail would write index rows on every booking, in the booking
        transaction, and keep links to people after their data is erased."""

    def get_urlpatterns(self):
        patterns = [
            path("edit/<int:pk>/", self.inspect_view, name="edit")
            if pattern.name == "edit"
            else pattern
            for pattern in super().get_urlpatterns()
        ]
        return [
            *patterns,
            path(
                "attended/<int:pk>/",
                RecordOutcomeView.as_view(outcome="attended"),
                name="attended",
            ),
            path("no-show/<int:pk>/", RecordOutcomeView.as_view(outcome="no_show"), name="no_show"),
            path("cancel/<int:pk>/", CancelBookingView.as_view(), name="cancel"),
            path("move/<int:pk>/", MoveBookingView.as_view(), name="move"),
            path("book/", BookForSomeoneView.as_view(), name="book_for_someone"),
        ]
