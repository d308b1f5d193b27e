"""The staff side in the Wagtail admin: opening hours, absences, group sessions, bookings
for counsellors; also counsellors, formats, places and closures for managers.

Rows are filtered by the permission policies of booking.permissions everywhere a row can
be reached: listings, every view taking a pk (another counsellor's pk gives 404), the
booking actions and the bulk actions. Bookings are read-only here: their times change
only through booking.services, and the actions (attended, did not come, cancel) call it.
"""

from datetime import datetime, time, timedelta

import django_filters
import recurrence
from django import forms
from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import router
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log
from wagtail.permissions import policy_registry
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import privacy, services
from .feed_admin import CALENDAR_FEED
from .models import (
    Absence,
    AvailabilityRule,
    Booking,
    Closure,
    Counsellor,
    Format,
    GroupSession,
    Place,
    YoungPerson,
)
from .permissions import (
    COUNSELLORS_GROUP,
    MANAGER_PERMISSION,
    counsellor_of,
    is_manager,
    may_handle_personal_data,
)
from .templatetags.booking_tags import local_when

ANY_ACTION = ["add", "change", "delete", "view"]


def local_datetime_display(moment):
    """'mardi 8 décembre à 14 h 30', in the structure's time zone whatever the user's."""
    with timezone.override(timezone.get_default_timezone()):
        return local_when(moment)


# Views: another counsellor's objects do not exist ------------------------------------


class OwnObjectMixin:
    """404 for an object the user may not touch, whatever pk the URL says."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_any_permission_for_instance(
            self.request.user, ANY_ACTION, instance
        ):
            raise Http404
        return instance


class EditView(OwnObjectMixin, snippet_views.EditView):
    pass


class DeleteView(OwnObjectMixin, snippet_views.DeleteView):
    pass


class InspectView(OwnObjectMixin, snippet_views.InspectView):
    pass


class HistoryView(OwnObjectMixin, snippet_views.HistoryView):
    pass


class UsageView(OwnObjectMixin, snippet_views.UsageView):
    pass


def still_used(instances):
    """Whether something protects these rows from deletion: bookings keep their
    counsellor, format, place and session; opening hours their place."""
    if not instances:
        return False
    try:
        Collector(using=router.db_for_write(type(instances[0]))).collect(list(instances))
    except (ProtectedError, RestrictedError):
        return True
    return False


class BookingSnippetViewSet(SnippetViewSet):
    """Listings narrowed by the policy, pk views guarded, no copying."""

    copy_view_enabled = False
    edit_view_class = EditView
    delete_view_class = DeleteView
    inspect_view_class = InspectView
    history_view_class = HistoryView
    usage_view_class = UsageView
    list_select_related = ()

    def get_queryset(self, request):
        policy = policy_registry.get_by_type(self.model)
        rows = policy.instances_user_has_any_permission_for(request.user, ANY_ACTION)
        return rows.select_related(*self.list_select_related)


class CounsellorOwnedViewSet(BookingSnippetViewSet):
    """For rows that belong to one counsellor: no chooser, since it would list everyone's
    and nothing needs to choose these rows."""

    list_select_related = ("counsellor",)

    def register_chooser_viewset(self):
        pass


# Forms -------------------------------------------------------------------------------


class CounsellorOwnedForm(WagtailAdminModelForm):
    """A counsellor's own rows: the counsellor field is for managers only (a panel
    permission removes it); for everyone else the row is theirs, and places and formats
    are limited to those they offer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "counsellor" in self.fields:
            return
        counsellor = counsellor_of(self.for_user)
        if self.instance.counsellor_id is None:
            self.instance.counsellor = counsellor
        if "place" in self.fields:
            self.fields["place"].queryset = counsellor.places.all()
        if "formats" in self.fields:
            self.fields["formats"].queryset = counsellor.formats.all()
        if "format" in self.fields:
            self.fields["format"].queryset = counsellor.formats.filter(capacity__gt=1)


def counsellor_panel():
    return FieldPanel("counsellor", permission=MANAGER_PERMISSION, widget=forms.Select)


WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
EVERY_CHOICES = [(1, _("Every week")), (2, _("Every other week"))]


class AvailabilityRuleForm(CounsellorOwnedForm):
    """Days of the week and "every week / every other week", as RDV-Solidarités asks for
    opening hours: stored as a weekly recurrence, read by booking.slots.

    Plain checkboxes rather than django-recurrence's widget, which needs JavaScript and
    offers yearly or hourly rules nobody needs here. Other recurrences (made in code) are
    replaced when the form is saved.
    """

    days = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    every = forms.TypedChoiceField(
        label=_("Repeats"),
        choices=EVERY_CHOICES,
        coerce=int,
        initial=1,
        widget=forms.RadioSelect,
        help_text=_("Every other week starts with the week of “valid from”, or this week."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = self.instance.recurrence.rrules if self.instance.recurrence else []
        weekly = [rule for rule in rules if rule.freq == recurrence.WEEKLY]
        if weekly:
            self.initial["days"] = sorted(
                {getattr(day, "number", day) for rule in weekly for day in rule.byday or []}
            )
            self.initial["every"] = weekly[0].interval

    def clean(self):
        cleaned_data = super().clean()
        days, every = cleaned_data.get("days"), cleaned_data.get("every")
        if days and every:
            self.instance.recurrence = recurrence.Recurrence(
                dtstart=self._phase_start(every),
                rrules=[
                    recurrence.Rule(
                        recurrence.WEEKLY,
                        interval=every,
                        byday=[recurrence.base.WEEKDAYS[day] for day in days],
                    )
                ],
            )
        start, end = cleaned_data.get("start_time"), cleaned_data.get("end_time")
        if start and end and start >= end:
            self.add_error("end_time", _("The end must come after the start."))
        return cleaned_data

    def _phase_start(self, every):
        """The Monday that anchors "every other week"; kept when the rule already has one."""
        if every == 1:
            return None
        current = self.instance.recurrence
        if current and current.dtstart:
            return current.dtstart
        first = self.cleaned_data.get("valid_from") or timezone.localdate()
        monday = first - timedelta(days=first.weekday())
        return datetime.combine(monday, time(), tzinfo=timezone.get_default_timezone())


class StartEndForm(CounsellorOwnedForm):
    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("start"), cleaned_data.get("end")
        if start and end and start >= end:
            self.add_error("end", _("The end must come after the start."))
        return cleaned_data


class GroupSessionForm(StartEndForm):
    """Once places are booked, the time, place and format are fixed: the bookings copied
    them, and only booking.services may move bookings."""

    FIXED_ONCE_BOOKED = ("format", "place", "start", "end")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.seats_booked:
            for name in self.FIXED_ONCE_BOOKED:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Places are booked: cancel or move those bookings to change this."
                    )


class FormatForm(WagtailAdminModelForm):
    place_kinds = forms.MultipleChoiceField(
        label=_("kinds of place allowed"),
        choices=Place.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class CounsellorForm(WagtailAdminModelForm):
    """A new counsellor joins the counsellors' group, so they can sign in and see their
    bookings without a second step."""

    def save(self, commit=True):
        counsellor = super().save(commit=commit)
        group = Group.objects.filter(name=COUNSELLORS_GROUP).first()
        if commit and group is not None:
            counsellor.user.groups.add(group)
        return counsellor


# Viewsets for counsellors' own rows -------------------------------------------------


class AvailabilityRuleViewSet(CounsellorOwnedViewSet):
    model = AvailabilityRule
    icon = "calendar-alt"
    list_select_related = ("counsellor", "place")
    list_display = ["__str__", "valid_from", "valid_until"]
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


class AbsenceViewSet(CounsellorOwnedViewSet):
    model = Absence
    icon = "calendar-check"
    list_display = ["__str__", "start", "end"]
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


# Bookings: a read-only page and three actions ---------------------------------------


class BookingFilterSet(WagtailFilterSet):
    TODAY, UPCOMING, PAST = "today", "upcoming", "past"

    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[(TODAY, _("Today")), (UPCOMING, _("Upcoming")), (PAST, _("Past"))],
        method="filter_when",
        empty_label=_("All"),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Booking.Status.choices)
    counsellor = django_filters.ModelChoiceFilter(
        label=_("Counsellor"), queryset=Counsellor.objects.all()
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
        now = timezone.now()
        if value == self.TODAY:
            day_start = datetime.combine(
                timezone.localdate(now, timezone.get_default_timezone()),
                time(),
                tzinfo=timezone.get_default_timezone(),
            )
            return queryset.filter(start__gte=day_start, start__lt=day_start + timedelta(days=1))
        if value == self.UPCOMING:
            return queryset.filter(end__gte=now)
        if value == self.PAST:
            return queryset.filter(end__lt=now)
        return queryset


def first_name_of(booking):
    return booking.young_person.first_name if booking.young_person else _("(erased)")


class BookingIndexView(snippet_views.IndexView):
    """Time (Paris), format, place, first name, status; the counsellor for managers.
    Past bookings come most recent first."""

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        columns = [
            title_column(
                "start",
                label=_("When"),
                accessor=lambda booking: local_datetime_display(booking.start),
                sort_key="start",
                get_url=self.get_inspect_url,
            ),
            Column("format", label=_("Meeting format"), accessor="format.name"),
            Column("place", label=_("Place"), accessor="place.name"),
            Column("first_name", label=_("First name"), accessor=first_name_of),
            Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
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


class BookingInspectView(InspectView):
    """Everything about one booking, with the actions the booking allows now."""

    template_name = "booking/admin/booking_inspect.html"
    page_title = _("Booking")

    def get_fields(self):
        return [
            "start",
            "format",
            "place",
            "counsellor",
            "young_person",
            "contact",
            "message",
            "status",
            "cancellation_message",
            "source",
            "uuid",
            "created_at",
        ]

    def get_field_label(self, field_name, field):
        if field_name == "contact":
            return _("How to reach them")
        return super().get_field_label(field_name, field)

    def get_start_display_value(self):
        return local_datetime_display(self.object.start)

    def get_young_person_display_value(self):
        return first_name_of(self.object)

    def get_contact_display_value(self):
        return self.object.young_person.contact if self.object.young_person else "-"

    def get_created_at_display_value(self):
        return local_datetime_display(self.object.created_at)

    def get_edit_url(self):
        return None

    @cached_property
    def header_more_buttons(self):
        history = reverse(Booking.snippet_viewset.get_url_name("history"), args=[self.object.pk])
        return [Button(_("History"), url=history, icon_name="history")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        booking, viewset = self.object, Booking.snippet_viewset
        started = booking.start <= timezone.now()
        can_change = self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", booking
        )
        context["can_record_outcome"] = can_change and started and not booking.is_cancelled
        context["can_cancel"] = can_change and booking.status == Booking.Status.CONFIRMED
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
            Booking.objects.select_related("format", "place", "counsellor", "young_person"),
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
        context["when"] = local_datetime_display(self.booking.start)
        context["first_name"] = first_name_of(self.booking)
        context["inspect_url"] = self.inspect_url()
        return context

    def form_valid(self, form):
        try:
            services.cancel(
                self.booking, by=services.Actor.STAFF, message=form.cleaned_data["message"]
            )
        except services.BookingError as error:
            messages.error(self.request, error.message)
        else:
            log(instance=self.booking, action="booking.cancel", user=self.request.user)
            messages.success(self.request, _("The appointment is cancelled."))
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
        ]


# Viewsets for managers ---------------------------------------------------------------


class CounsellorViewSet(BookingSnippetViewSet):
    model = Counsellor
    icon = "user"
    list_display = ["first_name", "slug", "active"]
    edit_handler = ObjectList(
        [
            FieldPanel("user", widget=forms.Select),
            FieldPanel("first_name"),
            FieldPanel("slug"),
            FieldPanel("active"),
            FieldPanel("formats", widget=forms.CheckboxSelectMultiple),
            FieldPanel("places", widget=forms.CheckboxSelectMultiple),
        ],
        base_form_class=CounsellorForm,
    )


class FormatViewSet(BookingSnippetViewSet):
    model = Format
    icon = "list-ul"
    list_display = ["name", "duration_minutes", "capacity", "meeting_stage", "active"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("buffer_after_minutes")]),
            FieldPanel("slot_interval_minutes"),
            FieldPanel("capacity"),
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
    list_display = ["name", "kind", "active"]
    list_filter = ["kind", "active"]


class ClosureViewSet(BookingSnippetViewSet):
    model = Closure
    icon = "warning"
    list_display = ["label", "start_date", "end_date"]


# Personal data, for managers ----------------------------------------------------------


class PersonalDataMixin:
    """Only for those who may erase young people (booking.permissions)."""

    def get_breadcrumbs_items(self):
        find = {"url": reverse(PERSONAL_DATA.get_url_name("find")), "label": _("Personal data")}
        return [*self.breadcrumbs_items, find, {"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not may_handle_personal_data(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_person(self):
        return get_object_or_404(YoungPerson, pk=self.kwargs["pk"])


class FindPersonForm(forms.Form):
    contact = forms.CharField(label=_("E-mail address or mobile number"), max_length=254)


class FindPersonView(PersonalDataMixin, WagtailAdminTemplateMixin, FormView):
    """Searched by POST, so addresses and numbers stay out of URLs and access logs."""

    form_class = FindPersonForm
    template_name = "booking/admin/personal_data.html"
    page_title = _("Personal data")
    header_icon = "user"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def form_valid(self, form):
        try:
            person = privacy.find_person(form.cleaned_data["contact"])
        except services.InvalidContact as error:
            form.add_error("contact", error.message)
            return self.form_invalid(form)
        context = self.get_context_data(form=form, searched=True, person=person)
        if person is not None:
            context["bookings"] = [
                (booking, local_datetime_display(booking.start))
                for booking in person.bookings.select_related("format", "place", "counsellor")
            ]
            context["export_url"] = reverse(PERSONAL_DATA.get_url_name("export"), args=[person.pk])
            context["erase_url"] = reverse(PERSONAL_DATA.get_url_name("erase"), args=[person.pk])
        return self.render_to_response(context)


class ExportPersonView(PersonalDataMixin, View):
    """Everything about one person, as a JSON file to hand over to them."""

    def get(self, request, pk):
        person = self.get_person()
        response = JsonResponse(
            privacy.export_person(person), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
        response["Content-Disposition"] = f'attachment; filename="donnees-{person.pk}.json"'
        response["Cache-Control"] = "no-store"
        return response


class ErasePersonView(PersonalDataMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET asks for confirmation, POST erases (booking.privacy.erase_person)."""

    template_name = "booking/admin/erase_person.html"
    page_title = _("Erase personal data")
    header_icon = "bin"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.get_person()
        context["person"] = person
        context["bookings_count"] = person.bookings.count()
        context["upcoming_count"] = person.bookings.filter(
            status=Booking.Status.CONFIRMED, start__gt=timezone.now()
        ).count()
        context["find_url"] = reverse(PERSONAL_DATA.get_url_name("find"))
        return context

    def post(self, request, pk):
        kept = privacy.erase_person(self.get_person())
        messages.success(
            request,
            _("Personal data erased. %(count)s bookings are kept, without any name or contact.")
            % {"count": kept},
        )
        return redirect(PERSONAL_DATA.get_url_name("find"))


class PersonalDataMenuItem(MenuItem):
    def is_shown(self, request):
        return may_handle_personal_data(request.user)


class PersonalDataViewSet(ViewSet):
    name = "booking_personal_data"
    url_prefix = "booking/personal-data"
    icon = "user"
    menu_label = _("Personal data")
    menu_item_class = PersonalDataMenuItem

    def get_urlpatterns(self):
        return [
            path("", FindPersonView.as_view(), name="find"),
            path("<int:pk>/export/", ExportPersonView.as_view(), name="export"),
            path("<int:pk>/erase/", ErasePersonView.as_view(), name="erase"),
        ]


PERSONAL_DATA = PersonalDataViewSet()

# Built on the classes above, so imported once they exist.
from .external_calendar_admin import ExternalCalendarViewSet  # noqa: E402


class AppointmentsGroup(SnippetViewSetGroup):
    """The "Rendez-vous" menu; each item shows only to those who may use it."""

    menu_label = _("Appointments")
    menu_icon = "date"
    menu_order = 200
    items = (
        BookingViewSet,
        AvailabilityRuleViewSet,
        AbsenceViewSet,
        GroupSessionViewSet,
        ExternalCalendarViewSet,
        CALENDAR_FEED,
        CounsellorViewSet,
        FormatViewSet,
        PlaceViewSet,
        ClosureViewSet,
        PERSONAL_DATA,
    )
