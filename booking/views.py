"""The young person's side: book in five short steps, then see, move or cancel by link.

Server-rendered and usable without JavaScript. The choices travel in GET parameters
(bookmarkable, the back button works); the last step POSTs everything again and
`services.book` decides. Refusals show the step concerned again, with the reason and
what the person typed; nothing is written unless the booking succeeds.

Manage links (see `tokens`): GET only shows; only POST cancels or moves, because mail
scanners open links.
"""

import hashlib
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.http import (
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseNotModified,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import feeds, ics, privacy, services
from .forms import DetailsForm, Journey, Step, monday_of, parse_slot_key, week_listing
from .models import Booking, GroupSession
from .ratelimit import limit_posts
from .slots import compute_slots, load_availability
from .tokens import ExpiredLink, InvalidLink, make_token, read_token

# Booking -------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("book")
def flow(request):
    if request.method == "POST":
        return _book(request)
    return _render_step(request, Journey(request.GET))


def _book(request):
    journey = Journey(request.POST)
    form = DetailsForm(request.POST, place=journey.place)
    carried = DetailsForm.carried(request.POST)
    if journey.step != Step.DETAILS:
        # A choice went missing or stopped being valid: show that step again.
        return _render_step(request, journey, carried=carried)
    if not form.is_valid():
        return _render_step(request, journey, form=form)
    try:
        booking = services.book(**form.booking_details(), **journey.booking_target())
    except (services.SlotTaken, services.SlotUnavailable, services.AlreadyBooked) as error:
        journey.reject(Step.SLOT, "creneau", error.message)
    except services.MeetingStageMismatch as error:
        if error.message is services.MeetingStageMismatch.NOT_AT_HOME and journey.place:
            journey.reject(Step.PLACE, "lieu", error.message)
        else:
            journey.reject(Step.FORMAT, "format", error.message)
    except services.InvalidDetails as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _render_step(request, journey, form=form)
    else:
        response = redirect("booking:confirmation", token=make_token(booking))
        response.status_code = 303
        return response
    return _render_step(request, journey, carried=carried)


def _render_step(request, journey, *, form=None, carried=None):
    """The page of `journey.step`. With `carried` (what was typed at the last step), its
    form POSTs so that choosing again books at once, without typing again."""
    step = journey.step
    context = {
        "journey": journey,
        "step": step,
        "post_mode": carried is not None,
        "carried": carried or [],
    }
    if step == Step.COUNSELLOR:
        context["counsellors"] = journey.counsellors()
        context["selected"] = journey.value("conseiller")
    elif step == Step.FORMAT:
        context["formats"] = list(journey.formats())
    elif step == Step.PLACE:
        context["places"] = journey.places
    elif step == Step.SLOT:
        context["listing"] = journey.slot_listing(
            None if carried is not None else request.GET.get("semaine")
        )
    else:
        context["form"] = form or DetailsForm(place=journey.place)
    invalid = journey.errors or (form is not None and form.errors)
    return render(request, f"booking/step_{step}.html", context, status=400 if invalid else 200)


# Manage links --------------------------------------------------------------------


def _by_link(view):
    """Read the token, answer 404/410 in plain words when it does not work, and keep the
    secret URL out of caches, search engines and other sites' logs."""

    @wraps(view)
    def wrapped(request, token, *args, **kwargs):
        try:
            link = read_token(token)
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
        "person": booking.young_person,
        "token": make_token(booking),
        "link_outdated": link.outdated,
        "changeable": booking.status == Booking.Status.CONFIRMED and booking.start > timezone.now(),
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
    return render(request, "booking/confirmation.html", _manage_context(link))


@_by_link
def manage(request, link):
    return render(request, "booking/manage.html", _manage_context(link))


@_by_link
def calendar_file(request, link):
    manage_url = request.build_absolute_uri(
        reverse("booking:manage", args=[make_token(link.booking)])
    )
    response = HttpResponse(
        ics.booking_calendar(link.booking, method=ics.PUBLISH, manage_url=manage_url),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="rendez-vous.ics"'
    return response


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
        context["listing"] = week_listing(
            _move_options(booking),
            now=timezone.now(),
            horizon_days=booking.format.horizon_days,
            week_url=lambda day: f"?semaine={monday_of(day).isoformat()}",
            week=request.GET.get("semaine"),
        )
    return render(request, "booking/manage_move.html", context, status=status)


def _move(request, link):
    """Move as asked; the error message, or None when it worked."""
    if _changed_since_shown(request, link):
        return _("This appointment changed since you opened this page. Please check it again.")
    booking = link.booking
    value = request.POST.get("creneau", "")
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
        return services.SlotUnavailable.MESSAGES[services.SlotUnavailable.OUTSIDE_AVAILABILITY]
    try:
        services.move(booking, by=services.Actor.PERSON, **target)
    except services.BookingError as error:
        return error.message
    return None


def _move_options(booking):
    """Other free times with the same counsellor, format and place (or other sessions
    of the same group format), the booking's own time not counting as busy."""
    now = timezone.now()
    availability = load_availability(
        start=now,
        counsellors=[booking.counsellor_id],
        formats=[booking.format_id],
        exclude_booking=booking,
    )
    end = now + timedelta(days=booking.format.horizon_days)

    def other_choice(slot):
        if booking.group_session_id:
            return (
                slot.group_session is not None and slot.group_session.pk != booking.group_session_id
            )
        return (
            slot.group_session is None
            and slot.place.pk == booking.place_id
            and slot.start != booking.start
        )

    return [
        slot
        for slot in compute_slots(availability, now=now, start=now, end=end)
        if other_choice(slot)
    ]


# Privacy notice ------------------------------------------------------------------


def privacy_notice(request):
    return render(
        request,
        "booking/privacy.html",
        {"retention_months": privacy.retention_months()},
    )


# Counsellor's calendar feed ------------------------------------------------------


def counsellor_feed(request, token):
    """The counsellor's agenda for Google, Outlook, Apple or Thunderbird to subscribe to.

    Refusals (unknown or revoked token, wrong method) are not logged by Django: its
    warning would write the secret address to the logs. The ETag comes from the body,
    which is deterministic, so polling clients mostly get a 304.
    """
    if request.method not in ("GET", "HEAD"):
        return _private_feed_headers(_not_logged(HttpResponseNotAllowed(["GET", "HEAD"])))
    counsellor = feeds.counsellor_for_token(token)
    if counsellor is None:
        return _private_feed_headers(_not_logged(HttpResponseNotFound()))
    body = ics.counsellor_calendar(counsellor, timezone.now())
    etag = f'"{hashlib.sha256(body).hexdigest()}"'
    if _unchanged_for_client(request, etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="rendez-vous.ics"'
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=300"
    return _private_feed_headers(response)


def _unchanged_for_client(request, etag):
    """If-None-Match, compared weakly as RFC 9110 asks (a proxy may have added W/).
    Not Django's get_conditional_response, which logs the path on a 412."""
    tags = parse_etags(request.headers.get("If-None-Match", ""))
    return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)


def _not_logged(response):
    """Marks the response as already logged, which is how Django's request logging is
    told to skip it."""
    response._has_been_logged = True
    return response


def _private_feed_headers(response):
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
