"""Registering for an event date, and the registration's own manage page (see it, take
or leave an offered seat, cancel, leave the waiting list), reached by its signed link.

The event page (cached for everyone) shows the seats and links here; this form is
never cached (it carries a CSRF token). Given an e-mail address, or a number the
structure sends SMS to, every request that is made gets the same "request sent" page,
and the outcome (a seat, a place in the list, or the registration already held) goes
only to the contact; a number the structure cannot text has no such channel for
"already registered" and is answered on the page. What was typed stays
in the form when a request is refused. Manage links: GET only shows (mail scanners
open links), every change is a POST carrying the revision the page showed, so an
answer to an offer already taken, declined, expired or withdrawn is refused
(`services.registrations`). The expiry of offers is checked on every read of the
manage page.
"""

from functools import partial

from django import forms
from django.contrib import messages
from django.dispatch import Signal
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from booking import services
from booking.calendars import ics
from booking.models import GroupSession, Registration
from booking.services import registrations
from booking.services.contacts import display_phone
from booking.services.limits import BookingAttempt
from booking.services.tokens import (
    make_registration_token,
    make_token,
    read_registration_token,
)
from core import ratelimit
from core.ical import calendar_file_response

from . import typed
from .forms import DetailsForm
from .views import by_secret_link, limit_posts

# Asked by the manage page for the links other apps add to a registration (an event
# day's schedule and wishes: eventdays answers, booking never imports it). Receivers get
# `registration` and return a list of (label, url).
manage_page_links = Signal()


class WaitingListForm(DetailsForm):
    """The booking form's contact fields and consent, and whether to be registered
    directly when a seat frees up: a group session's waiting list asks only this."""

    auto_confirm = forms.BooleanField(
        label=gettext_lazy(
            "If I am on the waiting list, register me directly when a seat frees up"
        ),
        required=False,
        help_text=gettext_lazy(
            "Otherwise we offer you the seat and you have a few hours to take it."
        ),
    )
    consent = forms.BooleanField(
        label=gettext_lazy("I agree that my details are used to organise my registration"),
        error_messages={
            "required": gettext_lazy("Please confirm that you agree to how we use your details.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["message"]


class RegistrationForm(WaitingListForm):
    """An event date's: with the mode and the seats asked for."""

    mode = forms.ChoiceField(label=gettext_lazy("How do you take part?"), widget=forms.RadioSelect)
    party_size = forms.TypedChoiceField(label=gettext_lazy("How many are you?"), coerce=int)
    field_order = ["first_name", "email", "phone", "preferred_channel", "mode", "party_size"]

    def __init__(self, *args, event, date_seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [(mode.mode, mode.label) for mode in date_seats.modes]
        if len(date_seats.modes) == 1:
            self.fields["mode"].initial = date_seats.modes[0].mode
            self.fields["mode"].widget = forms.HiddenInput()
        self.fields["party_size"].choices = [
            (size, _("Just me") if size == 1 else _("Me + %(friends)s") % {"friends": size - 1})
            for size in range(1, event.party_size_max + 1)
        ]
        if event.party_size_max == 1:
            self.fields["party_size"].widget = forms.HiddenInput()
            self.fields["party_size"].initial = 1


def _event_and_date(request, page_id, key):
    """The live event page of the request's site that takes registrations, and its date
    to come named `key`; 404 otherwise."""
    root = request.structure.site.root_page
    page = Page.objects.live().public().descendant_of(root).filter(pk=page_id).first()
    event = page.specific if page is not None else None
    if event is None or not hasattr(event, "registration_occurrence"):
        raise Http404
    occurrence = event.registration_occurrence(key, timezone.now())
    if occurrence is None or not registrations.modes_of(event):
        raise Http404
    return event, occurrence


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register(request, page_id, key):
    event, occurrence = _event_and_date(request, page_id, key)
    [date_seats] = registrations.seats(event, [occurrence])
    form_arguments = {"structure": request.structure, "event": event, "date_seats": date_seats}
    context = {"event": event, "date_seats": date_seats, "sms_offered": request.structure.sends_sms}
    if request.method != "POST":
        context["form"] = RegistrationForm(**form_arguments)
        return render(request, "booking/registrations/register.html", context)
    form = RegistrationForm(request.POST, **form_arguments)
    context["form"] = form
    return _submit(
        request,
        "booking/registrations/register.html",
        context,
        (registrations.register, registrations.register_answered_privately),
        lambda data: {
            "event": event,
            "occurrence": occurrence,
            "mode": data["mode"],
            "party_size": data["party_size"],
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def join_session_list(request, session_id):
    """A full group session's waiting list, with the event dates' form, rules and
    answers (`services.registrations.join_waiting_list`)."""
    session = get_object_or_404(
        GroupSession.objects.with_seats().select_related("format", "place", "counsellor"),
        pk=session_id,
        format__structure=request.structure,
        format__active=True,
        start__gt=timezone.now(),
    )
    context = {"session": session, "sms_offered": request.structure.sends_sms}
    template = "booking/session_waiting_list.html"
    if request.method != "POST":
        context["form"] = WaitingListForm(structure=request.structure)
        return render(request, template, context)
    context["form"] = WaitingListForm(request.POST, structure=request.structure)
    return _submit(
        request,
        template,
        context,
        (
            partial(registrations.join_waiting_list, session),
            partial(registrations.join_waiting_list_answered_privately, session),
        ),
        lambda data: {},
    )


def _submit(request, template, context, services_to_run, own_arguments):
    """A registration's or a waiting list's form sent: the limit per address, the
    form's checks, then the service (`services_to_run`: the plain one, and the one
    answered alike whoever the contact is), each refusal shown on the form as sent."""
    form = context["form"]
    attempt = BookingAttempt(request.structure, ratelimit.client_address(request))
    wait = attempt.start()
    if wait:
        context["limited"] = ratelimit.minutes(wait)
        response = render(request, template, context, status=429)
        response["Retry-After"] = str(wait)
        return response
    if not form.is_valid():
        return render(request, template, context, status=400)
    data = form.cleaned_data
    # With an address, or a number we text, the answer must not tell whether it is
    # already registered.
    private = registrations.answers_privately(
        request.structure, email=data["email"], phone=data["phone"]
    )
    run = services_to_run[1] if private else services_to_run[0]
    try:
        registration = run(
            structure=request.structure,
            first_name=data["first_name"],
            email=data["email"],
            phone=data["phone"],
            preferred_channel=data["preferred_channel"],
            auto_confirm=data["auto_confirm"],
            consent=data["consent"],
            **own_arguments(data),
        )
    except services.InvalidDetails as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return render(request, template, context, status=400)
    except services.BookingError as error:
        form.add_error(None, error.message)
        return render(request, template, context, status=409)
    return _answered(request, registration, data, private=private, attempt=attempt)


def _answered(request, registration, data, *, private, attempt):
    """The answer to a registration or a place on a list: with an address, the same
    page whatever happened; else the registration's own page, with where it stands."""
    if private:
        # Registered or not, the same page; it stays counted against the address, whose
        # count must not tell which either.
        url = reverse("booking:registration_sent")
        response = redirect(url)
        response.status_code = 303
        return typed.remember(
            response,
            request,
            path=url,
            first_name=data["first_name"],
            email=data["email"],
            phone=display_phone(data["phone"]) if not data["email"] else "",
        )
    attempt.booked()
    if registration.status == Registration.Status.CONFIRMED:
        message = _("It's done: your seat is confirmed. We have sent you a message.")
    elif registration.status == Registration.Status.BOOKED:
        message = _("It's done: a seat was free, it is yours. We have sent you a message.")
        return _to_booking_page(registration, message, request)
    elif registration.status == Registration.Status.OFFERED:
        message = _("A seat is free for you: take it below.")
    else:
        message = _(
            "You are number %(position)s on the waiting list. We tell you as soon as a "
            "seat frees up for you."
        ) % {"position": registrations.position(registration)}
    return _to_manage_page(registration, message, request)


@never_cache
def registration_sent(request):
    """What everyone who registers with an e-mail address sees: the answer is in their
    messages (see `services.registrations.register_answered_privately`)."""
    return render(request, "booking/registrations/sent.html", {"typed": typed.recall(request)})


# The manage page -----------------------------------------------------------------------

_by_registration_link = by_secret_link(read_registration_token)


def _to_manage_page(registration, message, request, *, sent=False):
    messages.success(request, message)
    token = make_registration_token(registration, sent=sent)
    response = redirect("booking:registration", token=token)
    response.status_code = 303
    return response


def _to_booking_page(registration, message, request):
    """A group session's seat taken: the booking it became is the person's one entry."""
    messages.success(request, message)
    response = redirect("booking:manage", token=make_token(registration.booking))
    response.status_code = 303
    return response


def _manage_page(request, link, *, error=None, status=200):
    registration = link.registration
    return render(
        request,
        "booking/registrations/manage.html",
        {
            "registration": registration,
            "event": registration.date.event,
            "token": make_registration_token(registration, sent=link.sent),
            "position": registrations.position(registration),
            "booking_url": reverse("booking:manage", args=[make_token(registration.booking)])
            if registration.booking is not None
            else "",
            "changeable": registration.is_live and registration.date.start > timezone.now(),
            "more": [
                link
                for _receiver, answer in manage_page_links.send(
                    sender=Registration, registration=registration
                )
                for link in answer
            ],
            "error": error,
            "others": [
                (other, make_registration_token(other, sent=True))
                for other in registrations.upcoming_for(registration.young_person).exclude(
                    pk=registration.pk
                )
            ]
            if link.sent
            else [],
        },
        status=status,
    )


@_by_registration_link
def manage(request, link):
    """Offers past their deadline expire first: the page never shows a dead offer."""
    registration = link.registration
    if registration.status == Registration.Status.OFFERED:
        if registrations.expire_offers(pool=registration.pool):
            registration.refresh_from_db()
    return _manage_page(request, link)


def _answer(change, done_message):
    """A POST answering the page: `change(registration, sequence)`, then the page again."""

    @require_http_methods(["POST"])
    @limit_posts("manage")
    @_by_registration_link
    def view(request, link):
        try:
            registration = change(link.registration, request.POST.get("revision", ""))
        except services.BookingError as error:
            link.registration.refresh_from_db()
            return _manage_page(request, link, error=error.message, status=400)
        if registration.booking is not None:
            return _to_booking_page(registration, done_message(), request)
        return _to_manage_page(registration, done_message(), request, sent=link.sent)

    return view


def _cancel(registration, revision):
    if revision != str(registration.sequence):
        raise services.InvalidTransition(
            gettext_lazy("Your registration changed since you opened this page. Here it is now.")
        )
    return registrations.cancel_registration(registration, by=services.Actor.PERSON)


accept = _answer(
    lambda registration, revision: registrations.accept_offer(registration, sequence=revision),
    lambda: _("It's done: the seat is yours. We have sent you a message."),
)
decline = _answer(
    lambda registration, revision: registrations.decline_offer(registration, sequence=revision),
    lambda: _("Thank you for telling us: the seat goes to the next person."),
)
cancel = _answer(_cancel, lambda: _("Your registration is cancelled."))


@_by_registration_link
def calendar_file(request, link):
    registration = link.registration
    if registration.status != Registration.Status.CONFIRMED:
        raise Http404
    manage_url = request.build_absolute_uri(
        reverse("booking:registration", args=[make_registration_token(registration)])
    )
    return calendar_file_response(
        ics.registration_calendar(registration, manage_url=manage_url), "evenement.ics"
    )
