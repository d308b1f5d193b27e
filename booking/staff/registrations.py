"""Registrations to event dates, for staff: each date with its seats on site and
online, and one page per date with who is registered, who holds an offer until when
and who waits in which place. Managers and counsellors of the structure use it (as
they book for someone at the front desk); every row is of the request's structure,
another's date gives 404. Changes go through booking.services.registrations, which
notifies the people. Each page costs the same queries whatever the number of
registrations.
"""

import csv
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView, View
from wagtail.log_actions import log

from booking.models import DateMessage, EventDate, Registration, SeatPool
from booking.services import errors
from booking.services.contacts import (
    FIRST_NAME_MAX_LENGTH,
    display_contact,
    display_phone,
    normalise_contact,
)
from booking.services.registrations import (
    cancel_registration,
    mark_attended,
    mark_others_absent,
    message_registrants,
    modes_of,
    position,
    register,
    register_walk_in,
    undo_check_in,
)
from booking.services.signals import Actor
from core.dates import local_date, local_when

from .base import RestrictedViewSet
from .front_desk import DeskDetailsForm, StructureStaffMixin
from .permissions import counsellor_of, is_manager

Status = Registration.Status
PAST = "past"
# Those the check-in lists: expected, or already ticked one way or the other.
CHECKED_IN_OR_EXPECTED = (Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)
ID_MAX = 2**63 - 1  # beyond, no row's id (and an overflow on PostgreSQL)


def first_name_searched(data):
    """The check-in's search: NUL (never typed, refused by PostgreSQL) removed, no
    longer than a first name."""
    return data.get("q", "").replace("\x00", "").strip()[:FIRST_NAME_MAX_LENGTH]


def with_figures(dates):
    """The dates with their pools (each with how many wait) and their attendance
    figures, in two queries whatever their number."""
    pools = SeatPool.objects.annotate(
        waiting=Count("registrations", filter=Q(registrations__status=Status.WAITING))
    ).order_by("mode")
    registered = Q(registrations__walk_in=False)
    return dates.prefetch_related(Prefetch("pools", queryset=pools)).annotate(
        attended=Count(
            "registrations", filter=registered & Q(registrations__status=Status.ATTENDED)
        ),
        walk_ins=Count(
            "registrations",
            filter=Q(registrations__walk_in=True, registrations__status=Status.ATTENDED),
        ),
        no_show=Count("registrations", filter=Q(registrations__status=Status.NO_SHOW)),
        registered=Count(
            "registrations",
            filter=registered & Q(registrations__status__in=CHECKED_IN_OR_EXPECTED),
        ),
    )


def dates_of(structure):
    return EventDate.objects.filter(structure=structure)


def log_date(request, date, action, **data):
    """Wagtail's history of what staff did on `date` (booking.wagtail_hooks says each
    action): on its event's page, whose history lists it, or on the date once the page
    is gone. The date and figures only, never who registered: the log outlives the
    people's data (booking.services.privacy erases and purges those)."""
    log(
        instance=date.event or date,
        action=f"booking.registrations.{action}",
        user=request.user,
        data={"when": local_when(date.start), **data},
    )


class RegistrationsMixin(StructureStaffMixin):
    """Managers and counsellors of the request's structure."""

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
        # Group sessions' lists are reached from each session (booking.staff.availability).
        dates = dates_of(self.request.structure).filter(group_session__isnull=True)
        dates = dates.filter(end__lt=now).order_by("-start") if past else dates.filter(end__gte=now)
        context["dates"] = with_figures(dates)
        context["past"] = past
        return context


class DateMixin(RegistrationsMixin):
    """One date of the request's structure, or 404."""

    @cached_property
    def date(self):
        return get_object_or_404(
            with_figures(dates_of(self.request.structure)).select_related("event", "structure"),
            pk=self.kwargs["pk"],
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


class AddForm(DeskDetailsForm):
    """Who registers at the desk or on the phone, in which mode, for how many seats."""

    message = None
    mode = forms.ChoiceField(label=_("Mode"), choices=())
    party_size = forms.TypedChoiceField(label=_("Seats"), coerce=int, choices=())

    def __init__(self, *args, date, **kwargs):
        super().__init__(*args, structure=date.structure, **kwargs)
        self.fields["email"].help_text = _(
            "They get the same messages as if they had registered online."
        )
        event = date.event
        modes = modes_of(event) if event is not None else ()
        self.fields["mode"].choices = [(mode, SeatPool.Mode(mode).label) for mode in modes]
        maximum = event.party_size_max if event is not None else 1
        self.fields["party_size"].choices = [(n, str(n)) for n in range(1, maximum + 1)]

    def clean(self):
        """The contact checked as the service will, told in staff's words."""
        data = forms.Form.clean(self)
        if "email" not in data or "phone" not in data:
            return data
        if not data["email"].strip() and not data["phone"].strip():
            self.add_error("email", NO_CONTACT)
            return data
        try:
            data["email"], data["phone"] = normalise_contact(
                data["email"], data["phone"], **self.structure.phone_rules
            )
        except errors.InvalidContact as error:
            self.add_error(error.field, staff_refusal(error))
        return data


# What staff read of a refusal written for the young person ("tu"): by its code, or
# for bad details by the field it is about.
STAFF_REFUSALS = {
    errors.RegistrationClosed.code: _(
        "This date takes no registration now: it has started, is cancelled, or its "
        "registrations are closed on the event's page."
    ),
    errors.EventFull.code: _(
        "This date is full and starts soon: nobody can join the waiting list any more."
    ),
    errors.AlreadyRegistered.code: _("This person is already registered for this date."),
}
STAFF_FIELD_REFUSALS = {
    "email": _("This e-mail address does not look right: please check it."),
    "phone": _(
        "This does not look like a mobile number: please check it (with its country code "
        "if it is from abroad)."
    ),
    "first_name": _("Please check the first name."),
}
NO_CONTACT = _("Please give an e-mail address or a mobile number: the person is told by it.")


def staff_refusal(error):
    if isinstance(error, errors.InvalidDetails):
        return STAFF_FIELD_REFUSALS.get(error.field, error.message)
    return STAFF_REFUSALS.get(error.code, error.message)


def register_at_desk(date, data, *, now=None):
    """Registers through the one service, as staff: the person gets the same messages
    as online. Raises the service's refusals."""
    now = now or timezone.now()
    event = date.event
    occurrence = event.registration_occurrence(date.key, now) if event is not None else None
    if occurrence is None:
        raise errors.RegistrationClosed
    return register(
        event=event,
        occurrence=occurrence,
        mode=data["mode"],
        structure=date.structure,
        first_name=data["first_name"],
        email=data["email"],
        phone=data["phone"],
        party_size=data["party_size"],
        source=Registration.Source.STAFF,
        now=now,
    )


def tell_registered(request, registration):
    first_name = registration.young_person.first_name
    if registration.status == Status.CONFIRMED:
        messages.success(request, _("%(name)s is registered.") % {"name": first_name})
    elif registration.status == Status.OFFERED:
        messages.success(
            request, _("A seat is free: %(name)s is offered it by message.") % {"name": first_name}
        )
    else:
        messages.success(
            request,
            _("%(name)s is on the waiting list, number %(position)s.")
            % {"name": first_name, "position": position(registration)},
        )


class AddView(DateMixin, FormView):
    """Someone who phones or walks in, registered as if online (same notices)."""

    template_name = "booking/admin/event_date_add.html"
    page_title = _("Register someone")
    form_class = AddForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "date": self.date}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "date": self.date}

    def form_valid(self, form):
        try:
            registration = register_at_desk(self.date, form.cleaned_data)
        except errors.BookingError as error:
            field = error.field if isinstance(error, errors.InvalidDetails) else None
            form.add_error(field if field in form.fields else None, staff_refusal(error))
            return self.form_invalid(form)
        tell_registered(self.request, registration)
        log_date(
            self.request,
            self.date,
            "add",
            seats=registration.party_size,
            mode=registration.pool.mode,
            waiting=registration.status == Status.WAITING,
        )
        return redirect(self.date_url())

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"),
        max_length=DateMessage.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "A change of place, of room, something to bring: one short text message, "
            "about 70 characters; the event, its date and the link are added. Sent by "
            "e-mail or SMS to everyone registered, offered a seat or waiting."
        ),
    )


class MessageView(DateMixin, FormView):
    """Staff's short message to everyone on the date, through the outbox."""

    template_name = "booking/admin/event_date_message.html"
    page_title = _("Message everyone registered")
    form_class = MessageForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["date"] = self.date
        context["sent"] = self.date.messages.all()
        return context

    def form_valid(self, form):
        try:
            message = message_registrants(
                self.date, form.cleaned_data["text"], sent_by=self.request.user
            )
        except errors.InvalidDetails as error:
            form.add_error("text", error.message)
            return self.form_invalid(form)
        count = message.notifications.count()
        log_date(self.request, self.date, "message", count=count)
        messages.success(
            self.request,
            ngettext(
                "The message is on its way to %(count)s person.",
                "The message is on its way to %(count)s people.",
                count,
            )
            % {"count": count},
        )
        return redirect(self.date_url())

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class WalkInForm(AddForm):
    """Someone at the door with no registration: any mode the date has seats in."""

    def __init__(self, *args, date, **kwargs):
        super().__init__(*args, date=date, **kwargs)
        self.fields["mode"].choices = [
            (pool.mode, pool.get_mode_display()) for pool in date.pools.all()
        ]
        self.fields["email"].help_text = ""


class CheckInView(DateMixin, TemplateView):
    """On the day, on a phone: find someone by first name (GET, no JavaScript needed),
    tick them present or undo it, add a walk-in, and at the end mark the others absent."""

    template_name = "booking/admin/check_in.html"
    page_title = _("Check-in")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = first_name_searched(self.request.GET)
        rows = self.date.registrations.filter(status__in=CHECKED_IN_OR_EXPECTED).select_related(
            "young_person", "pool"
        )
        if query:
            rows = rows.filter(young_person__first_name__icontains=query)
        context.update(
            date=self.date,
            query=query,
            rows=rows.order_by("young_person__first_name", "pk"),
            still_expected=self.date.registrations.filter(status=Status.CONFIRMED).count(),
            walk_in=kwargs.get("walk_in") or WalkInForm(date=self.date),
        )
        return context

    def post(self, request, *args, **kwargs):
        """A walk-in, registered and present at once."""
        form = WalkInForm(request.POST, date=self.date)
        if form.is_valid():
            try:
                walk_in = register_walk_in(
                    self.date,
                    **{
                        name: form.cleaned_data[name]
                        for name in ("mode", "first_name", "email", "phone", "party_size")
                    },
                )
            except errors.BookingError as error:
                field = error.field if isinstance(error, errors.InvalidDetails) else None
                form.add_error(field if field in form.fields else None, staff_refusal(error))
            else:
                registration = walk_in.registration
                name = {"name": registration.young_person.first_name}
                back = self.date_url("check_in")
                if walk_in.already_registered:
                    told = _("Already registered: marked present (%(name)s).") % name
                    back += f"#registration-{registration.pk}"
                else:
                    told = _("%(name)s is recorded present.") % name
                messages.success(request, told)
                log_date(
                    request,
                    self.date,
                    "present" if walk_in.already_registered else "walk_in",
                    seats=registration.party_size,
                )
                return redirect(back)
        return self.render_to_response(self.get_context_data(walk_in=form), status=400)


class CheckInActionView(DateMixin, View):
    """POST only: present, undo, or everyone left absent; back to the check-in, the
    search kept."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        back = self.date_url("check_in")
        if query := first_name_searched(request.POST):
            back += "?" + urlencode({"q": query})
        if action == "absent":
            count = mark_others_absent(self.date)
            log_date(request, self.date, "absent", count=count)
            messages.success(
                request,
                ngettext(
                    "%(count)s person marked absent.", "%(count)s people marked absent.", count
                )
                % {"count": count},
            )
            return redirect(back)
        try:
            registration_id = int(request.POST.get("registration", ""))
        except ValueError:
            return redirect(back)
        if not 0 < registration_id <= ID_MAX:
            return redirect(back)
        registration = get_object_or_404(self.date.registrations, pk=registration_id)
        record = {"present": mark_attended, "undo": undo_check_in}.get(action)
        if record is None:
            return redirect(back)
        try:
            record(registration)
        except errors.InvalidTransition:
            messages.error(
                request, _("This registration changed meanwhile: here it is as it stands.")
            )
        else:
            log_date(request, self.date, action, seats=registration.party_size)
        return redirect(f"{back}#registration-{registration.pk}")


class CancelView(DateMixin, View):
    """POST only: staff cancel one registration (or take someone off the list), who is
    told as when they cancel themselves; the seats go to the next in line."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            registration_id = int(request.POST.get("registration", ""))
        except ValueError:
            return redirect(self.date_url())
        if not 0 < registration_id <= ID_MAX:
            return redirect(self.date_url())
        registration = get_object_or_404(self.date.registrations, pk=registration_id)
        try:
            cancel_registration(registration, by=Actor.STAFF)
        except errors.InvalidTransition:
            messages.error(
                request, _("This registration changed meanwhile: here it is as it stands.")
            )
        else:
            name = registration.young_person.first_name if registration.young_person else ""
            messages.success(
                request, _("The registration of %(name)s is cancelled.") % {"name": name}
            )
            log_date(request, self.date, "cancel", seats=registration.party_size)
        return redirect(self.date_url())


# A cell a spreadsheet would run as a formula (a first name typed as "=HYPERLINK(…)").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class CsvView(DateMixin, View):
    """The date's registrations as a spreadsheet, one row each, as the page lists them."""

    def get(self, request, *args, **kwargs):
        date = self.date
        log_date(request, date, "export")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        day = local_date(date.start).isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="inscriptions-{slugify(date.title)}-{day}.csv"'
        )
        response.write("\ufeff")  # so spreadsheets read the accents as UTF-8
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [
                _("First name"),
                _("E-mail address"),
                _("Mobile phone number"),
                _("Seats"),
                _("Mode"),
                _("Status"),
                _("Place on the waiting list"),
                _("Offer valid until"),
                _("Registered"),
                _("Registered via"),
            ]
        )
        for row in registration_rows(date):
            person = row.young_person
            writer.writerow(
                cell(value)
                for value in (
                    row.first_name,
                    person.email if person else "",
                    display_phone(person.phone) if person else "",
                    row.party_size,
                    row.pool.get_mode_display(),
                    row.get_status_display(),
                    row.position or "",
                    local_when(row.offer_expires_at) if row.offer_expires_at else "",
                    local_when(row.created_at),
                    row.get_source_display(),
                )
            )
        return response


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
            path("<int:pk>/add/", AddView.as_view(), name="add"),
            path("<int:pk>/cancel/", CancelView.as_view(), name="cancel"),
            path("<int:pk>/message/", MessageView.as_view(), name="message"),
            path("<int:pk>/csv/", CsvView.as_view(), name="csv"),
            path("<int:pk>/check-in/", CheckInView.as_view(), name="check_in"),
            path("<int:pk>/check-in/record/", CheckInActionView.as_view(), name="check_in_record"),
        ]


REGISTRATIONS = RegistrationsViewSet()
