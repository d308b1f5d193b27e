"""A counsellor's own opening hours, absences and group sessions."""

from django import forms
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.snippets.views import snippets as snippet_views

from booking.models import Absence, AvailabilityRule, GroupSession

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


class GroupSessionViewSet(CounsellorOwnedViewSet):
    model = GroupSession
    icon = "group"
    list_select_related = ("counsellor", "format", "place")
    list_display = ["__str__", "counsellor", "place", "capacity", "seats_booked"]
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
