"""A counsellor's own opening hours, absences and group sessions."""

from django import forms
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views import snippets as snippet_views

from booking.models import Absence, AvailabilityRule, GroupSession, Registration

from .base import CounsellorOwnedViewSet, CreateView, EditView, counsellor_panel
from .clashes import AbsenceSavedMixin, ClashNoticeMixin
from .columns import date_column
from .forms import AvailabilityRuleForm, GroupSessionForm, StartEndForm


class AvailabilityRuleViewSet(CounsellorOwnedViewSet):
    model = AvailabilityRule
    icon = "calendar-alt"
    list_select_related = ("counsellor", "place")
    list_display = [
        "__str__",
        date_column(AvailabilityRule, "valid_from"),
        date_column(AvailabilityRule, "valid_until"),
    ]
    edit_handler = ObjectList(
        [
            counsellor_panel(),
            FieldPanel("days"),
            FieldPanel("every"),
            FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
            FieldPanel("place", widget=forms.Select),
            FieldPanel("formats", widget=forms.CheckboxSelectMultiple),
            FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
        ],
        base_form_class=AvailabilityRuleForm,
    )


class AbsenceCreateView(AbsenceSavedMixin, CreateView):
    pass


class AbsenceEditView(AbsenceSavedMixin, EditView):
    pass


class AbsenceIndexView(ClashNoticeMixin, snippet_views.IndexView):
    pass


class AbsenceViewSet(CounsellorOwnedViewSet):
    """Saving an absence over confirmed bookings leads to them (booking.staff.clashes)."""

    model = Absence
    icon = "calendar-check"
    add_view_class = AbsenceCreateView
    edit_view_class = AbsenceEditView
    index_view_class = AbsenceIndexView
    list_display = ["__str__", date_column(Absence, "start"), date_column(Absence, "end")]
    edit_handler = ObjectList(
        [counsellor_panel(), FieldRowPanel([FieldPanel("start"), FieldPanel("end")])],
        base_form_class=StartEndForm,
    )


class WaitingColumn(Column):
    """How many wait, linked to the session's list of registrations and offers (the
    event dates' staff page, booking.staff.registrations)."""

    cell_template_name = "booking/admin/session_waiting_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        if instance.list_date_id is not None:
            context["url"] = reverse("booking_registrations:date", args=[instance.list_date_id])
        return context


class GroupSessionViewSet(CounsellorOwnedViewSet):
    """Each session with its seats booked, offered and the people waiting for one."""

    model = GroupSession
    icon = "group"
    list_select_related = ("counsellor", "format", "place")
    list_display = [
        "__str__",
        "counsellor",
        "place",
        "capacity",
        Column("booked", label=_("places booked")),
        Column("offered", label=_("places offered")),
        WaitingColumn("waiting", label=_("waiting list")),
    ]
    edit_handler = ObjectList(
        [
            counsellor_panel(),
            FieldPanel("format", widget=forms.Select),
            FieldPanel("title"),
            FieldPanel("place", widget=forms.Select),
            FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
            FieldPanel("capacity"),
        ],
        base_form_class=GroupSessionForm,
    )

    def get_queryset(self, request):
        return _with_queue(super().get_queryset(request))


def _with_queue(sessions):
    waiting = Q(registration_date__registrations__status=Registration.Status.WAITING)
    return sessions.with_seats().annotate(
        offered=F("seats_held") - F("booked"),
        waiting=Count("registration_date__registrations", filter=waiting),
        list_date_id=F("registration_date__id"),
    )
