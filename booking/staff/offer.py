"""What managers set up for everyone: counsellors, formats, places and closures."""

from django import forms
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList

from booking.models import Closure, Counsellor, Format, Place

from .base import BookingSnippetViewSet
from .columns import YesNoColumn, date_column
from .forms import CounsellorForm, FormatForm


class CounsellorViewSet(BookingSnippetViewSet):
    model = Counsellor
    icon = "user"
    list_display = ["first_name", "slug", YesNoColumn(Counsellor, "active")]
    edit_handler = ObjectList(
        [
            FieldPanel("user", widget=forms.Select),
            FieldPanel("first_name"),
            FieldPanel("slug"),
            FieldPanel("active"),
            FieldPanel("formats", widget=forms.CheckboxSelectMultiple),
            FieldPanel("places", widget=forms.CheckboxSelectMultiple),
            FieldPanel("video_url"),
            FieldPanel("told", widget=forms.RadioSelect),
        ],
        base_form_class=CounsellorForm,
    )


class FormatViewSet(BookingSnippetViewSet):
    model = Format
    icon = "list-ul"
    list_display = [
        "name",
        "duration_minutes",
        "capacity",
        "meeting_stage",
        YesNoColumn(Format, "active"),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("buffer_after_minutes")]),
            FieldPanel("slot_interval_minutes"),
            FieldRowPanel([FieldPanel("capacity"), FieldPanel("offer_hours")]),
            FieldPanel("place_kinds"),
            FieldPanel("meeting_stage"),
            FieldRowPanel([FieldPanel("minimum_notice_hours"), FieldPanel("horizon_days")]),
            FieldRowPanel([FieldPanel("active"), FieldPanel("sort_order")]),
        ],
        base_form_class=FormatForm,
    )


class PlaceViewSet(BookingSnippetViewSet):
    model = Place
    icon = "site"
    list_display = ["name", "kind", YesNoColumn(Place, "active")]
    list_filter = ["kind", "active"]


class ClosureViewSet(BookingSnippetViewSet):
    model = Closure
    icon = "warning"
    list_display = [
        "label",
        date_column(Closure, "start_date"),
        date_column(Closure, "end_date"),
    ]
