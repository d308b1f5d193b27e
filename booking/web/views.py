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

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from booking import services
from booking.calendars import ics
from booking.models import GroupSession
from booking.scheduling.queries import move_options
from booking.services.contacts import answered_by_email
from booking.services.limits import BookingAttempt
from booking.services.tokens import ExpiredLink, InvalidLink, make_token, read_token
from core import ratelimit
from core.ical import calendar_file_response

from . import typed
from .forms import DetailsForm
from .journey import Journey, Param, Step
from .listing import monday_of, parse_slot_key, week_listing


def limit_posts(scope):
    """At most the structure's limit of manage-link POSTs per address."""
    return ratelimit.limit_posts(
        scope, lambda request: request.structure.rate_limit, "booking/rate_limited.html"
    )


# Booking -------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def flow(request):
    if request.method == "POST":
        return _book(request)
    return _render_step(request, Journey(request.GET, request.structure))


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
        context["counsellors"] = journey.counsellors()
        context["selected"] = journey.value(Param.COUNSELLOR)
    elif step == Step.FORMAT:
        context["formats"] = list(journey.formats())
    elif step == Step.PLACE:
        context["places"] = journey.places
    elif step == Step.SLOT:
        context["listing"] = journey.slot_listing(
            None if carried is not None else request.GET.get(Param.WEEK)
        )
    else:
        context["form"] = form or DetailsForm(structure=request.structure, place=journey.place)
    invalid = journey.errors or (form is not None and form.errors)
    return render(request, f"booking/step_{step}.html", context, status=400 if invalid else 200)


# Manage links --------------------------------------------------------------------


def _by_link(view):
    """Read the token, answer 404/410 in plain words when it does not work, and keep the
    secret URL out of caches, search engines and other sites' logs."""

    @wraps(view)
    def wrapped(request, token, *args, **kwargs):
        try:
            link = read_token(token, request.structure)
        except InvalidLink:
            response = render(request, "booking/link_invalid.html", {"expired": False}, status=404)
        except ExpiredLink:
            response = render(request, "booking/link_invalid.html", {"expired": True}, status=410)
        else:
            response = view(request, link, *args, **kwargs)
        # Not "no-referrer": browsers then send "Origin: null" with the forms' POSTs,
        # which Django's CSRF check refuses. "same-origin" keeps the secret URL from
        # other sites all the same.
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return never_cache(wrapped)


def _manage_context(link, **extra):
    booking = link.booking
    return {
        "booking": booking,
        "token": make_token(booking),
        "link_outdated": link.outdated,
        "changeable": booking.person_may_change(timezone.now()),
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
    return render(request, "booking/manage.html", _manage_context(link))


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


# Privacy notice ------------------------------------------------------------------


def privacy_notice(request):
    return render(
        request,
        "booking/privacy.html",
        {"retention_months": request.structure.retention},
    )
