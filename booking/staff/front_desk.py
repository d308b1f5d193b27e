"""The front desk: staff book for someone who phones or walks in, and move an
appointment to another time, place, format or counsellor.

One page each, usable without JavaScript: a GET form chooses the format, counsellor and
place (and whether to lift the format's notice and horizon), then the week of free
times from the slot engine (`scheduling.queries.desk_options`), paged by week; the POST
books or moves through booking.services, the one writer, which re-checks the time and
notifies the person as if they had booked online. Managers book with anyone of the
structure; a counsellor with themselves, for their own appointments.
"""

from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from booking import services
from booking.models import (
    Booking,
    Counsellor,
    Format,
    GroupSession,
    Place,
    Registration,
    of_structure,
)
from booking.scheduling.listing import parse_slot_key, week_listing
from booking.scheduling.queries import desk_options
from booking.services import registrations
from core.dates import local_when

from .permissions import counsellor_of, is_manager, works_for

# How far ahead the weeks go when the format's horizon is lifted.
LIFTED_HORIZON_DAYS = 366
SLOT, WEEK = "slot", "week"
# What the slot radio sends for a full group session's waiting list.
WAITING_LIST_KEY_PREFIX = "liste-"


def may_book_for_someone(user, structure):
    """Managers of the structure, and its counsellors (with themselves)."""
    return works_for(user, structure) and (is_manager(user) or counsellor_of(user) is not None)


class StructureStaffMixin(WagtailAdminTemplateMixin):
    """Admin pages for those who may book for someone: the registrations, the event
    days."""

    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not may_book_for_someone(request.user, request.structure):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def desk_counsellors(user, structure):
    """Whom the user may book with: anyone active of the structure for a manager, else
    only themselves."""
    counsellors = of_structure(Counsellor.objects.filter(active=True), structure)
    if is_manager(user):
        return counsellors.order_by("first_name")
    own = counsellor_of(user)
    return counsellors.filter(pk=own.pk if own else None)


class DeskChoiceForm(forms.Form):
    """What is booked: sent by GET to list the free times, then again with the POST."""

    format = forms.ModelChoiceField(label=_("Meeting format"), queryset=Format.objects.none())
    counsellor = forms.ModelChoiceField(label=_("Counsellor"), queryset=Counsellor.objects.none())
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Place.objects.none(),
        required=False,
        help_text=_("Group sessions have their own place."),
    )
    override_limits = forms.BooleanField(
        label=_("Ignore the minimum notice and how far ahead people may book"),
        required=False,
        help_text=_("For someone at the desk or on the phone. A time already taken stays taken."),
    )

    def __init__(self, data=None, *, structure, user, booking=None, **kwargs):
        super().__init__(data, **kwargs)
        formats = Format.objects.filter(active=True, structure=structure)
        if booking is not None:
            # A seat moves to another session of its format, a one-to-one stays one.
            formats = (
                formats.filter(pk=booking.format_id)
                if booking.group_session_id
                else formats.filter(capacity__lte=1)
            )
        self.fields["format"].queryset = formats
        self.fields["counsellor"].queryset = desk_counsellors(user, structure)
        self.fields["place"].queryset = Place.objects.filter(active=True, structure=structure)

    def clean(self):
        data = super().clean()
        fmt, counsellor, place = data.get("format"), data.get("counsellor"), data.get("place")
        if fmt is None or counsellor is None:
            return data
        if not counsellor.formats.filter(pk=fmt.pk).exists():
            self.add_error("counsellor", _("This counsellor does not offer this format."))
        if fmt.is_group:
            data["place"] = None
        elif place is None:
            self.add_error("place", _("Please choose a place."))
        elif not fmt.allows_place(place):
            self.add_error("place", _("This format does not take place there."))
        return data

    @property
    def hidden_values(self):
        """(name, value) of the choices, carried by the POST form."""
        return [(name, self.data[name]) for name in self.fields if self.data.get(name)]


class DeskDetailsForm(forms.Form):
    """Who the appointment is for: a first name and one way to reach them."""

    first_name = forms.CharField(label=_("First name"), max_length=services.FIRST_NAME_MAX_LENGTH)
    email = forms.CharField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("They get the same e-mail as if they had booked online."),
    )
    phone = forms.CharField(
        label=_("Mobile phone number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    message = forms.CharField(
        label=_("What it is about (optional)"),
        required=False,
        max_length=Booking.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No health, family or other private details."),
    )

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.structure = structure

    def clean(self):
        data = super().clean()
        if "email" in data and "phone" in data:
            try:
                data["email"], data["phone"] = services.normalise_contact(
                    data["email"], data["phone"], **self.structure.phone_rules
                )
            except services.InvalidContact as error:
                self.add_error(error.field, error.message)
        return data


class FrontDeskView(WagtailAdminTemplateMixin, TemplateView):
    """The choices, the week of free times and the POST that books or moves."""

    template_name = "booking/admin/front_desk.html"
    header_icon = "calendar-alt"
    booking = None  # the appointment being moved

    def initial_choice(self):
        own = counsellor_of(self.request.user)
        return {"counsellor": own.pk} if own else {}

    @cached_property
    def choice(self):
        """The choices sent (by GET to list, by POST to book), else the initial ones."""
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        return DeskChoiceForm(
            data if "format" in data else None,
            structure=self.request.structure,
            user=self.request.user,
            booking=self.booking,
            initial=self.initial_choice(),
        )

    def listing(self):
        if not self.choice.is_valid():
            return None
        data, now = self.choice.cleaned_data, timezone.now()
        within_limits = not data["override_limits"]
        horizon_days = data["format"].horizon_days if within_limits else LIFTED_HORIZON_DAYS

        def slots_between(start, end):
            return desk_options(
                self.request.structure,
                format=data["format"],
                counsellor=data["counsellor"],
                place=data["place"],
                now=now,
                start=start,
                end=end,
                within_limits=within_limits,
                exclude_booking=self.booking,
            )

        query = self.choice.hidden_values

        def week_url(day):
            return "?" + urlencode([*query, (WEEK, day.isoformat())])

        return week_listing(
            slots_between,
            now=now,
            horizon_days=horizon_days,
            week_url=week_url,
            week=self.request.GET.get(WEEK) or self.request.POST.get(WEEK),
        )

    def slot_target(self):
        """The arguments of services.book/move for the chosen time, or None."""
        data = self.choice.cleaned_data
        start, session_id = parse_slot_key(self.request.POST.get(SLOT, ""))
        if data["format"].is_group and session_id is not None:
            session = GroupSession.objects.filter(
                pk=session_id, format=data["format"], counsellor=data["counsellor"]
            ).first()
            return {"group_session": session} if session else None
        if not data["format"].is_group and start is not None:
            return {
                "format": data["format"],
                "counsellor": data["counsellor"],
                "place": data["place"],
                "start": start,
            }
        return None

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {
                "url": reverse(Booking.snippet_viewset.get_url_name("list")),
                "label": capfirst(Booking._meta.verbose_name_plural),
            },
        ]
        if self.booking is not None:
            items.append({"url": self.inspect_url(), "label": str(self.booking)})
        return [*items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["choice"] = self.choice
        context["listing"] = self.listing()
        context["selected"] = self.request.POST.get(SLOT, "")
        return context

    def refused(self, message, *, about_the_time=True, **context):
        """The page again, with what was typed and why; `about_the_time`: the message
        is shown by the times too."""
        messages.error(self.request, message)
        if about_the_time:
            context["slot_error"] = message
        return self.render_to_response(self.get_context_data(**context), status=400)


class BookForSomeoneView(FrontDeskView):
    page_title = _("Book for someone")

    def dispatch(self, request, *args, **kwargs):
        if not may_book_for_someone(request.user, request.structure):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("details", DeskDetailsForm(structure=self.request.structure))
        context["full_sessions"] = self.full_sessions(context["listing"])
        return context

    def full_sessions(self, listing):
        """The chosen group format's sessions of the week shown that are full, with how
        many wait: someone who phones can be put on one's waiting list instead."""
        if listing is None or not self.choice.cleaned_data["format"].is_group:
            return []
        data = self.choice.cleaned_data
        monday = timezone.make_aware(datetime.combine(listing.week, time()))
        sessions = (
            GroupSession.objects.with_seats()
            .filter(
                format=data["format"],
                counsellor=data["counsellor"],
                start__gte=max(monday, timezone.now()),
                start__lt=monday + timedelta(days=7),
                seats_held__gte=F("capacity"),
            )
            .select_related("place", "format")
        )
        return [(f"{WAITING_LIST_KEY_PREFIX}{session.pk}", session) for session in sessions]

    def waiting_list_target(self):
        """The full session whose waiting list was chosen, or None."""
        value = self.request.POST.get(SLOT, "")
        session_id = value.removeprefix(WAITING_LIST_KEY_PREFIX)
        if session_id == value or not session_id.isdigit():
            return None
        data = self.choice.cleaned_data
        return (
            GroupSession.objects.filter(
                pk=int(session_id), format=data["format"], counsellor=data["counsellor"]
            )
            .select_related("format")
            .first()
        )

    def join_waiting_list(self, session, details):
        """Through the service staff's registrations use: the person gets the same
        messages as online, and the seat freed later is offered to them in turn."""
        from .registrations import log_date, staff_refusal, tell_registered  # imports us

        data = details.cleaned_data
        try:
            registration = registrations.join_waiting_list(
                session,
                structure=self.request.structure,
                first_name=data["first_name"],
                email=data["email"],
                phone=data["phone"],
                source=Registration.Source.STAFF,
            )
        except services.InvalidDetails as error:
            details.add_error(error.field if error.field in details.fields else None, error.message)
            return self.refused(staff_refusal(error), about_the_time=False, details=details)
        except services.BookingError as error:
            return self.refused(staff_refusal(error), details=details)
        log_date(self.request, registration.date, "add", seats=1)
        tell_registered(self.request, registration)
        query = [*self.choice.hidden_values, (WEEK, self.request.POST.get(WEEK, ""))]
        return redirect(f"{self.request.path}?{urlencode(query)}")

    def post(self, request, *args, **kwargs):
        details = DeskDetailsForm(request.POST, structure=request.structure)
        if not self.choice.is_valid():
            return self.refused(
                _("Please check the choices above."), about_the_time=False, details=details
            )
        session = self.waiting_list_target()
        if session is not None:
            if not details.is_valid():
                return self.refused(
                    _("Please check the person's details."), about_the_time=False, details=details
                )
            return self.join_waiting_list(session, details)
        target = self.slot_target()
        if target is None:
            return self.refused(_("Please choose a day and a time."), details=details)
        if not details.is_valid():
            return self.refused(
                _("Please check the person's details."), about_the_time=False, details=details
            )
        try:
            booking = services.book(
                **{key: details.cleaned_data[key] for key in details.fields},
                **target,
                source=Booking.Source.STAFF,
                structure=request.structure,
                override_limits=self.choice.cleaned_data["override_limits"],
                staff_user=request.user,
            )
        except services.InvalidDetails as error:
            details.add_error(error.field if error.field in details.fields else None, error.message)
            return self.refused(error.message, about_the_time=False, details=details)
        except services.BookingError as error:
            return self.refused(error.message, details=details)
        log(instance=booking, action="booking.book_for_someone", user=request.user)
        messages.success(
            request,
            _("The appointment is booked: %(when)s.") % {"when": local_when(booking.start)},
        )
        return redirect(Booking.snippet_viewset.get_url_name("inspect"), booking.pk)
