"""The young person's side: book in five short steps, then see, move or cancel by link.

Server-rendered and usable without JavaScript. The choices travel in GET parameters
(bookmarkable, the back button works); the last step POSTs everything again and
`services.book` decides. Refusals show the step concerned again, with the reason and
what the person typed; nothing is written unless the booking succeeds. When the
contact's past bookings can decide the outcome (`services.contacts.history_decides`),
every request gets the same "answer sent by e-mail" page, and only the contact learns
whether it was booked. The pages after booking greet the person with what they typed
(`typed`), never with what is stored for that contact. Failed attempts count against
the address (`services.limits`); over the limit, the step is shown again as it was
sent, with what was typed and how long to wait (429), never a dead end.

Manage links (see `booking.services.tokens`): GET only shows; only POST cancels or
moves, because mail scanners open links.
"""

import hmac
import json
from functools import partial, wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from booking import services
from booking.calendars import ics
from booking.models import GroupSession
from booking.scheduling.listing import KEPT_SECONDS, monday_of, parse_slot_key, week_listing
from booking.scheduling.queries import move_options
from booking.services.contacts import answered_by_email
from booking.services.invitations import read_invitation
from booking.services.limits import BookingAttempt
from booking.services.sms import answer_received, record_report, stop_text_messages
from booking.services.tokens import (
    REMINDER_PARAMETER,
    ExpiredLink,
    InvalidLink,
    make_registration_token,
    make_token,
    read_short_code,
    read_token,
)
from core import pagecache, ratelimit, sms
from core.ical import calendar_file_response

from . import typed
from .forms import DetailsForm
from .journey import Journey, Param, Step


def limit_posts(scope):
    """At most the structure's limit of manage-link POSTs per address."""
    return ratelimit.limit_posts(
        scope, lambda request: request.structure.rate_limit, "booking/rate_limited.html"
    )


# Booking -------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def flow(request):
    """A step before the details is the same page for every visitor who asks for it by
    the address the flow makes: kept by the page cache for KEPT_SECONDS at most, like
    the free times it shows, and renewed by every booking. Any other answer is never
    kept, by any cache."""
    if request.method == "POST":
        response = _book(request)
        add_never_cache_headers(response)
        return response
    journey = Journey(request.GET, request.structure)
    response = _render_step(request, journey)
    shared = journey.is_shared and response.status_code == 200
    if not (shared and pagecache.keep_answer(request, KEPT_SECONDS)):
        add_never_cache_headers(response)
    return response


def _book(request):
    journey = Journey(request.POST, request.structure, check_free=False)
    target = journey.booking_target() if journey.step == Step.DETAILS else None
    form = DetailsForm(
        request.POST, structure=request.structure, place=journey.place, target=target
    )
    carried = DetailsForm.carried(request.POST)
    attempt = BookingAttempt(request.structure, ratelimit.client_address(request))
    wait = attempt.start() or (attempt.slot_wait(target) if target is not None else 0)
    if wait:
        return _limited(request, journey, form, carried, wait)
    if target is None:
        # A choice went missing or stopped being valid: show that step again.
        return _render_step(request, journey, carried=carried)
    if not form.is_valid():
        return _render_step(request, journey, form=form)
    details = form.booking_details()
    by_email = answered_by_email(target, email=details["email"])
    arguments = {
        **details,
        **target,
        "again_url": lambda error: request.structure.public_url + journey.refused_url(error),
        "structure": request.structure,
    }
    try:
        if by_email:
            # A time taken meanwhile is said on the page, whoever asks; the refusals
            # that may depend on the person's history go by e-mail.
            services.book_answered_by_email(**arguments, slot_told_here=True)
        else:
            booking = services.book_told_on_the_page(**arguments)
            by_email = booking is None
    except services.InvalidDetails as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _render_step(request, journey, form=form)
    except services.TooManyBookings as error:  # a number alone: no e-mail to tell it by
        form.add_error(None, error.message)
        return _render_step(request, journey, form=form)
    except services.BookingError as error:  # by e-mail, only a time taken or not offered
        attempt.refused(error, target)
        journey.refused(error)
        return _render_step(request, journey, carried=carried)
    if by_email:
        # Booked or refused, the same page (see services.contacts.history_decides); it
        # stays counted against the address, whose count must not tell which.
        return _after_booking(request, reverse("booking:request_sent"), details)
    attempt.booked()
    return _after_booking(
        request, reverse("booking:confirmation", args=[make_token(booking)]), details
    )


def _limited(request, journey, form, carried, wait):
    """429, with the step shown again as it was sent (what was typed kept, the form
    ready to send again) and how long to wait."""
    minutes = ratelimit.minutes(wait)
    limited = ngettext(
        "Many attempts came from your connection in a short time. What you typed is "
        "kept: please send it again in %(minutes)s minute.",
        "Many attempts came from your connection in a short time. What you typed is "
        "kept: please send it again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}
    if journey.step == Step.DETAILS:
        response = _render_step(request, journey, form=form, limited=limited)
    else:
        response = _render_step(request, journey, carried=carried, limited=limited)
    response.status_code = 429
    response["Retry-After"] = str(wait)
    return response


def _after_booking(request, url, details):
    """Go (303) to the page after booking, which greets the person with what they typed."""
    response = redirect(url)
    response.status_code = 303
    return typed.remember(
        response, request, path=url, first_name=details["first_name"], email=details["email"]
    )


@never_cache
def request_sent(request):
    """What everyone sees after asking for an appointment whose outcome goes by e-mail."""
    return render(request, "booking/request_sent.html", {"typed": typed.recall(request)})


def _render_step(request, journey, *, form=None, carried=None, limited=None):
    """The page of `journey.step`. With `carried` (what was typed at the last step), its
    form POSTs so that choosing again books at once, without typing again. `limited`:
    why the request was not made (`_limited`)."""
    step = journey.step
    context = {
        "journey": journey,
        "step": step,
        "post_mode": carried is not None,
        "carried": carried or [],
        "limited": limited,
    }
    if step == Step.COUNSELLOR:
        # Read only when the list is not kept (step_conseiller.html).
        context["counsellors"] = SimpleLazyObject(journey.counsellors)
        context["selected"] = journey.value(Param.COUNSELLOR)
    elif step == Step.FORMAT:
        context["formats"] = journey.formats
    elif step == Step.PLACE:
        context["places"] = journey.places
    elif step == Step.SLOT:
        week = None if carried is not None else request.GET.get(Param.WEEK)
        context["listing"] = SimpleLazyObject(partial(journey.slot_listing, week))
        context.update(_kept_slots(journey, week, carried))
    else:
        context["form"] = form or DetailsForm(structure=request.structure, place=journey.place)
        context["sms_offered"] = request.structure.sends_sms
    invalid = journey.errors or (form is not None and form.errors)
    return render(request, f"booking/step_{step}.html", context, status=400 if invalid else 200)


def _kept_slots(journey, week, carried):
    """What keeps a week's free times (step_creneau.html): the choices that make them,
    for a visit with no error and nothing carried over, or nothing."""
    seconds = min(KEPT_SECONDS, settings.FRAGMENT_CACHE_SECONDS)
    if not seconds or journey.errors or carried is not None:
        return {"slots_key": ""}
    choices = [
        *journey.params_before(Step.SLOT),
        (Param.WEEK, week or ""),
        ("choisi", journey.value(Param.SLOT)),
    ]
    return {"slots_key": urlencode(choices), "slots_seconds": seconds}


@never_cache
def invitation(request, token):
    """An invitation's link: the journey with its counsellor and format chosen."""
    found = read_invitation(token, request.structure)
    if found is None or not found.usable(timezone.now()):
        expired = found is not None
        response = render(
            request,
            "booking/link_invalid.html",
            {"expired": expired, "invitation": True},
            status=410 if expired else 404,
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
    query = urlencode(
        {
            Param.COUNSELLOR: found.counsellor.slug,
            Param.FORMAT: found.format.slug,
            Param.INVITATION: token,
        }
    )
    return redirect(f"{reverse('booking:flow')}?{query}")


# Manage links --------------------------------------------------------------------


def by_secret_link(read):
    """A view of what `read(secret, structure)` finds: answer 404/410 in plain words when
    the secret does not work, and keep the secret URL out of caches, search engines and
    other sites' logs."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, token, *args, **kwargs):
            try:
                link = read(token, request.structure)
            except InvalidLink:
                response = render(
                    request, "booking/link_invalid.html", {"expired": False}, status=404
                )
            except ExpiredLink:
                response = render(
                    request, "booking/link_invalid.html", {"expired": True}, status=410
                )
            else:
                response = view(request, link, *args, **kwargs)
            # Not "no-referrer": browsers then send "Origin: null" with the forms' POSTs,
            # which Django's CSRF check refuses. "same-origin" keeps the secret URL from
            # other sites all the same.
            response["Referrer-Policy"] = "same-origin"
            response["X-Robots-Tag"] = "noindex, nofollow"
            return response

        return never_cache(wrapped)

    return decorator


_by_link = by_secret_link(read_token)


def _manage_context(link, **extra):
    booking = link.booking
    person = booking.young_person
    sms_offered = booking.structure.sends_sms
    return {
        "booking": booking,
        "token": make_token(booking),
        "link_outdated": link.outdated,
        "changeable": booking.person_may_change(timezone.now()),
        "sms_offered": sms_offered,
        "receives_sms": bool(
            sms_offered and person and person.phone and person.sms_stopped_at is None
        ),
        **extra,
    }


def _changed_since_shown(request, link):
    """The page the person acted from showed an older revision (e.g. staff moved it)."""
    return request.POST.get("revision") != str(link.booking.sequence)


def _to_manage_page(booking, message, request):
    messages.success(request, message)
    response = redirect("booking:manage", token=make_token(booking))
    response.status_code = 303
    return response


@_by_link
def confirmation(request, link):
    """Says what the person typed (`typed`), never what is stored for that contact."""
    context = _manage_context(link, typed=typed.recall(request))
    return render(request, "booking/confirmation.html", context)


@_by_link
def manage(request, link):
    """From a reminder (`?rappel=1`), the page leads with "I'm coming / I can't come"."""
    context = _manage_context(link, from_reminder=REMINDER_PARAMETER in request.GET)
    return render(request, "booking/manage.html", context)


@require_http_methods(["POST"])
@limit_posts("manage")
@_by_link
def confirm_attendance(request, link):
    """ "I'm coming": recorded for staff; the page says so."""
    booking = link.booking
    try:
        services.confirm_attendance(booking)
    except services.BookingError as error:
        context = _manage_context(link, error=error.message)
        return render(request, "booking/manage.html", context, status=400)
    return _to_manage_page(booking, _("Thank you! We have noted that you are coming."), request)


@require_http_methods(["POST"])
@limit_posts("manage")
@_by_link
def stop_sms(request, link):
    """ "No more text messages": none is sent to this number from now on."""
    person = link.booking.young_person
    if person is not None:
        stop_text_messages(person)
    return _to_manage_page(
        link.booking, _("Done: we will not send you text messages any more."), request
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
@by_secret_link(read_short_code)
def short_link(request, link):
    """/r/<code>, from a text message: on to the manage page (302), signed now."""
    if link.registration is not None:
        token = make_registration_token(link.registration, sent=True)
        return redirect("booking:registration", token=token)
    url = reverse("booking:manage", args=[make_token(link.booking)])
    return redirect(f"{url}?{REMINDER_PARAMETER}=1" if link.reminder else url)


@_by_link
def calendar_file(request, link):
    manage_url = request.build_absolute_uri(
        reverse("booking:manage", args=[make_token(link.booking)])
    )
    return calendar_file_response(
        ics.booking_calendar(link.booking, manage_url=manage_url),
        "rendez-vous.ics",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("manage")
@_by_link
def cancel(request, link):
    context = _manage_context(link)
    if request.method == "POST":
        if _changed_since_shown(request, link):
            context["error"] = _(
                "This appointment changed since you opened this page. Please check it again."
            )
        else:
            try:
                booking = services.cancel(link.booking, by=services.Actor.PERSON)
            except services.BookingError as error:
                context["error"] = error.message
            else:
                return _to_manage_page(
                    booking,
                    _("Your appointment is cancelled. The time is free again for someone else."),
                    request,
                )
        return render(request, "booking/manage_cancel.html", context, status=400)
    return render(request, "booking/manage_cancel.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("manage")
@_by_link
def move(request, link):
    booking = link.booking
    context = _manage_context(link)
    status = 200
    if request.method == "POST":
        error = _move(request, link)
        if error is None:
            return _to_manage_page(
                booking, _("Your appointment has moved. Here is the new time."), request
            )
        context["error"], status = error, 400
    if context["changeable"]:
        now = timezone.now()
        context["listing"] = week_listing(
            lambda start, end: move_options(booking, now, start=start, end=end),
            now=now,
            horizon_days=booking.format.horizon_days,
            week_url=lambda day: f"?{Param.WEEK}={monday_of(day).isoformat()}",
            week=request.GET.get(Param.WEEK),
        )
    return render(request, "booking/manage_move.html", context, status=status)


def _move(request, link):
    """Move as asked; the error message, or None when it worked."""
    if _changed_since_shown(request, link):
        return _("This appointment changed since you opened this page. Please check it again.")
    booking = link.booking
    value = request.POST.get(Param.SLOT, "")
    if not value:
        return _("Please choose a day and a time.")
    start, session_id = parse_slot_key(value)
    target = {}
    if booking.group_session_id and session_id is not None:
        session = GroupSession.objects.filter(
            pk=session_id, format=booking.format_id, counsellor=booking.counsellor_id
        ).first()
        if session is not None:
            target = {"group_session": session}
    elif not booking.group_session_id and start is not None:
        target = {"start": start}
    if not target:
        return services.SlotUnavailable.message_for(services.SlotUnavailable.OUTSIDE_AVAILABILITY)
    try:
        services.move(booking, by=services.Actor.PERSON, **target)
    except services.BookingError as error:
        return error.message
    return None


# Answers to our text messages, and their delivery reports -------------------------

SENDER_FIELDS = ("from", "sender", "msisdn", "number", "phone")
TEXT_FIELDS = ("text", "message", "content", "body")


def _webhook(view):
    """A provider's webhook, at an address only it knows (SMS_WEBHOOK_SECRET): 404 for
    any other; for the right one always 204, whatever was sent, so the answer tells
    nothing of who or what is known. Nothing of what is posted is logged."""

    @csrf_exempt
    @wraps(view)
    def checked(request, secret):
        expected = settings.SMS_WEBHOOK_SECRET
        if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
            raise Http404
        view(request)
        return HttpResponse(status=204)

    return checked


@require_http_methods(["POST"])
@_webhook
def sms_reply(request):
    """Where the provider posts the answers people send to our numbers: "STOP" stops
    every SMS to that number. The sender and the text are read from the first of the
    usual fields present, as a form or as JSON; anything else is dropped."""
    fields = _posted_fields(request)
    number = next((str(fields[name]) for name in SENDER_FIELDS if fields.get(name)), "")
    words = next((str(fields[name]) for name in TEXT_FIELDS if fields.get(name)), "")
    if number:
        answer_received(number, words)


@require_http_methods(["GET", "POST"])
@_webhook
def sms_report(request):
    """Where the provider reports what became of each SMS (and, for Brevo, the answers
    too): read by the SMS_BACKEND's own reader (core.sms.read_report), as a form, JSON
    or, for a GET, the query."""
    fields = request.GET if request.method == "GET" else _posted_fields(request)
    report = sms.read_report(fields)
    if report is not None:
        record_report(report)


def _posted_fields(request):
    if request.content_type == "application/json":
        try:
            payload = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return payload if isinstance(payload, dict) else {}
    return request.POST


# Privacy notice ------------------------------------------------------------------


def privacy_notice(request):
    return render(
        request,
        "booking/privacy.html",
        {"retention_months": request.structure.retention},
    )
