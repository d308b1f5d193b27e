""" "My external agenda" in the admin: a counsellor pastes the secret iCal address of their
own agenda, and sees whether it is read (booking.calendars.agenda_import reads it).

The list never shows the address itself, only its host: it is a secret that gives
anyone who has it the counsellor's whole agenda.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.snippets.views import snippets as snippet_views

from booking.calendars.agenda_import import (
    ALLOWED_SCHEMES,
    SCHEME_REFUSED,
    AgendaError,
    enqueue_refresh,
    masked,
    normalise_url,
    refresh_soon,
)
from booking.models import ExternalCalendar
from core.dates import local_when

from .base import CounsellorOwnedViewSet, counsellor_panel
from .forms import CounsellorOwnedForm

ADDRESS_HELP = _(
    "Outlook: Settings › Calendar › Shared calendars › Publish a calendar, then copy the "
    "ICS link. Google Agenda: settings of your agenda › Secret address in iCal format. "
    "Nextcloud: ⋯ next to the calendar › Copy subscription link. This address stays "
    "private: it is never shown, and only the times when you are busy are read, so that "
    "they are not offered to young people."
)


QUEUED = _(
    "Your agenda is being read. The result (last read, busy times, events left out) "
    "shows in this list in a minute or two: reload the page to see it."
)
NOT_QUEUED = _(
    "The read could not be started now. Your agenda will be read at the next automatic "
    "read, within half an hour."
)


class AgendaAddressField(forms.URLField):
    """A webcal:// link, what agenda apps hand out, is read as https://; any scheme other
    than http(s) is refused here rather than failing later, unseen."""

    default_validators = [URLValidator(schemes=ALLOWED_SCHEMES)]
    default_error_messages = {"invalid": SCHEME_REFUSED}

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)

    def to_python(self, value):
        try:
            value = normalise_url(value or "")
        except AgendaError:
            pass  # the validator explains what is accepted
        return super().to_python(value)


class ExternalCalendarForm(CounsellorOwnedForm):
    url = AgendaAddressField(
        label=ExternalCalendar._meta.get_field("url").verbose_name,
        max_length=2000,
        help_text=ADDRESS_HELP,
    )

    def clean(self):
        cleaned_data = super().clean()
        # A manager's form checks this on the counsellor field; a counsellor has none.
        if (
            self.instance.pk is None
            and "counsellor" not in self.fields
            and ExternalCalendar.objects.filter(counsellor=self.instance.counsellor).exists()
        ):
            raise ValidationError(
                _("You already have an external agenda: change its address instead.")
            )
        return cleaned_data

    def save(self, commit=True):
        """A new address is read at once; the old one's validators would not match."""
        changed = "url" in self.changed_data
        if changed:
            self.instance.etag = self.instance.http_last_modified = ""
        calendar = super().save(commit=commit)
        if commit and changed:
            refresh_soon(calendar)
        return calendar


def last_read(calendar):
    if calendar.last_success_at is None:
        return _("Never")
    return local_when(calendar.last_success_at)


def reading_status(calendar):
    """The last error in plain words while it lasts: bookings use the last good read."""
    if calendar.consecutive_failures:
        return calendar.last_error
    if calendar.last_success_at is None:
        return _("Not read yet")
    if calendar.skipped_events:
        return ngettext(
            "Read, but %(count)s event could not be read and was left out: check its "
            "date and its repetition in your agenda.",
            "Read, but %(count)s events could not be read and were left out: check their "
            "dates and their repetitions in your agenda.",
            calendar.skipped_events,
        ) % {"count": calendar.skipped_events}
    return _("Read correctly")


class ReadNowView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET asks, POST queues a read of the agenda: after fixing an agenda, a counsellor
    should not wait up to half an hour for the periodic command to see it worked. The
    read itself runs in the task worker, never in this request."""

    model = ExternalCalendar
    permission_required = "change"
    template_name = "booking/admin/external_calendar_read.html"
    page_title = _("Read the agenda now")
    header_icon = "calendar"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.calendar = get_object_or_404(
            ExternalCalendar.objects.select_related("counsellor"), pk=kwargs["pk"]
        )
        if not self.permission_policy.user_has_permission_for_instance(
            request.user, "change", self.calendar
        ):
            raise Http404

    def index_url(self):
        return reverse(ExternalCalendar.snippet_viewset.get_url_name("list"))

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.index_url(), "label": ExternalCalendar._meta.verbose_name_plural},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(calendar=self.calendar, host=masked(self.calendar.url))
        context["index_url"] = self.index_url()
        return context

    def post(self, request, *args, **kwargs):
        result = enqueue_refresh(self.calendar)
        if result is None:
            messages.error(request, NOT_QUEUED)
        elif result.is_finished:  # a backend that runs tasks at once (development)
            self.calendar.refresh_from_db()
            tell_outcome(request, self.calendar)
        else:
            messages.info(request, QUEUED)
        return redirect(self.index_url())


def tell_outcome(request, calendar):
    """What a read that has already run found, in the words of the list's columns."""
    if calendar.consecutive_failures:
        messages.error(request, calendar.last_error)
        return
    upcoming = calendar.busy_times.filter(end__gt=timezone.now()).count()
    messages.success(
        request,
        ngettext(
            "The agenda was read: %(count)s busy time to come.",
            "The agenda was read: %(count)s busy times to come.",
            upcoming,
        )
        % {"count": upcoming},
    )
    if calendar.skipped_events:
        messages.warning(request, reading_status(calendar))


class ExternalCalendarIndexView(snippet_views.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission_for_instance("change", instance):
            url = reverse(self.model.snippet_viewset.get_url_name("read_now"), args=[instance.pk])
            buttons.append(MenuItem(_("Read now"), url=url, icon_name="rotate", priority=15))
        return buttons


class ExternalCalendarViewSet(CounsellorOwnedViewSet):
    model = ExternalCalendar
    icon = "calendar"
    menu_label = _("My external agenda")
    index_view_class = ExternalCalendarIndexView
    list_display = [
        "__str__",
        Column("host", label=_("Agenda server"), accessor=lambda calendar: masked(calendar.url)),
        Column("last_success_at", label=_("Last successful read"), accessor=last_read),
        Column("status", label=_("Status"), accessor=reading_status),
        Column("upcoming_busy_times", label=_("Busy times to come")),
    ]
    edit_handler = ObjectList(
        [counsellor_panel(), FieldPanel("url")], base_form_class=ExternalCalendarForm
    )

    def get_queryset(self, request):
        upcoming = Q(busy_times__end__gt=timezone.now())
        rows = super().get_queryset(request)
        return rows.annotate(upcoming_busy_times=Count("busy_times", filter=upcoming))

    def get_urlpatterns(self):
        read_now = path("read/<int:pk>/", ReadNowView.as_view(), name="read_now")
        return [*super().get_urlpatterns(), read_now]
