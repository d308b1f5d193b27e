"""Booking, moving, cancelling and closing appointments.

Every change runs in one transaction that re-checks the slot with `booking.scheduling`
and then writes, so what was free when the page was shown is checked again at the last
moment. Concurrent requests are settled by the database:
- SQLite: IMMEDIATE transactions (settings) take the write lock first, so the re-check
  and the write of one request cannot interleave with another's;
- PostgreSQL: the exclusion constraint of migration 0003 rejects the loser, reported as
  `SlotTaken`; a change to an existing booking locks its row first (`_locked`), so two
  tabs moving or cancelling it run one after the other and the second sees the first's
  result;
- group sessions (both databases): a conditional UPDATE on the session's seat pool
  (`registrations.session_pool`, the one counter its waiting list shares), counters
  always updated in session id order so two opposite moves cannot deadlock. Together
  these keep each pool's confirmed seats equal to the session's live bookings; a seat
  freed goes to the head of its waiting list in the same transaction, and an offer
  taken becomes a booking here (`book_held_seat`), on the seat it held.

Inside its transaction, every change sends `booking_changed` (`signals`): notifications
are recorded there and commit with the change; callers only handle the returned booking
or the refusal (`errors`).
"""

import secrets
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import Booking, Format, Place, YoungPerson
from booking.scheduling.loading import load_session_availability, load_slot_availability
from booking.scheduling.slots import compute_slots

from .contacts import (
    check_reachable,
    choose_channel,
    clean_first_name,
    clean_home_address,
    find_or_create_person,
    met_before,
    normalise_contact,
    refuse_null_characters,
)
from .errors import (
    AlreadyBooked,
    BookingError,
    InvalidDetails,
    InvalidTransition,
    InvitationUnusable,
    MeetingStageMismatch,
    SlotTaken,
    SlotUnavailable,
    TooManyBookings,
)
from .invitations import use_invitation
from .registrations import (
    expire_session_offers,
    release_session_seat,
    serve_session_queue,
    take_session_seat,
)
from .signals import Actor, Change, send_booking_changed, send_booking_refused

OVERLAP_GUARD = "booking_no_overlap_per_counsellor"


# Booking ---------------------------------------------------------------------------


def book(
    *,
    first_name,
    email="",
    phone="",
    preferred_channel="",
    home_address=None,
    consent=False,
    message="",
    source=Booking.Source.WEB,
    format=None,
    start=None,
    place=None,
    counsellor=None,
    group_session=None,
    structure=None,
    api_key=None,
    now=None,
    busy_times=None,
    override_limits=False,
    invitation=None,
    staff_user=None,
):
    """Book a slot and return the confirmed Booking.

    Either an individual slot: `format`, `start` (aware), `place`, and `counsellor`
    (None: the least busy counsellor free at that time); or a seat in `group_session`.
    `structure`: the one whose site the request came to (its format's unless given);
    another structure's format or session is not offered there, and its phone rules
    read the number. An e-mail address, a number or both, with `preferred_channel`
    ("email" or "sms") when both (`contacts.find_or_create_person` says who the person
    is); `home_address` ({"home_street", "home_postcode", "home_town", "home_access"})
    for a meeting at home. `consent` is required except for staff bookings. `api_key`:
    the partner's key it is booked with (booking.api), which may then change it. Except
    for staff, a person holds at most the structure's `live_bookings_limit` of
    appointments to come. `busy_times`: as in `load_availability`. `override_limits`
    (staff only: someone at the desk or on the phone) lifts the format's minimum
    notice and horizon, never the check that the time is free nor the database guard.
    `invitation`: the one the person came with, for this counsellor and format; it is
    used up by this booking (source "invitation"). `staff_user`: who booked it at the
    desk (`booking_changed` tells the others). Raises a `BookingError` subclass when
    refused.
    """
    now = now or timezone.now()
    if group_session is None and None in (format, start, place):
        raise TypeError("book() needs a group_session, or a format, a start and a place.")
    if override_limits and source != Booking.Source.STAFF:
        raise TypeError("Only staff may override the notice and the horizon.")
    offer = group_session.format if group_session is not None else format
    if structure is None:
        structure = offer.structure
    elif offer.structure_id != structure.pk:
        raise SlotUnavailable(SlotUnavailable.OUTSIDE_AVAILABILITY)
    else:
        # The request's, already read: the messages recorded with the booking need it.
        offer.structure = structure
    phone_rules = structure.phone_rules
    first_name = clean_first_name(first_name)
    email, phone = normalise_contact(email, phone, **phone_rules)
    preferred_channel = choose_channel(preferred_channel, email=email, phone=phone)
    where = group_session.place if group_session is not None else place
    check_reachable(where, phone=phone)
    details = {
        **clean_home_address(where, home_address),
        "call_phone": phone if where.kind == Place.Kind.PHONE else "",
        "video_room": _video_room(where),
    }
    message = _clean_message(message)
    if source != Booking.Source.STAFF and not consent:
        raise InvalidDetails(
            _("Please confirm that you agree to how we use your details."), field="consent"
        )
    details |= {
        "source": source,
        "message": message,
        "consent_at": timezone.now() if consent else None,
        "api_key": api_key,
    }
    limits = {"now": now, "within_limits": not override_limits}
    if invitation is not None:
        _check_invited(invitation, offer, group_session.counsellor if group_session else counsellor)
        details["source"] = Booking.Source.INVITATION
    with transaction.atomic():
        if invitation is not None:
            use_invitation(invitation, now)
        person = find_or_create_person(
            structure.pk,
            first_name=first_name,
            email=email,
            phone=phone,
            channel=preferred_channel,
            first_meeting_at=group_session.start if group_session is not None else start,
            **phone_rules,
        )
        limited = source != Booking.Source.STAFF
        live = _live_bookings(person, now) if limited else 0
        if group_session is not None:
            booking = _take_seat(person, structure, group_session, **limits, **details)
        else:
            booking = _book_individual(
                person,
                structure,
                format=format,
                start=start,
                place=place,
                counsellor=counsellor,
                busy_times=busy_times,
                **limits,
                **details,
            )
        if limited:
            # Once the slot was judged (`book_answered_by_email`); the booking just
            # written is rolled back with the refusal.
            with _history_decides():
                _check_live_bookings(live, structure.live_bookings_limit)
        send_booking_changed(
            booking,
            Change.BOOKED,
            Actor.STAFF if source == Booking.Source.STAFF else Actor.PERSON,
            staff_user=staff_user,
        )
    return booking


def _check_invited(invitation, offer, counsellor):
    if (invitation.format_id, invitation.counsellor_id) != (
        offer.pk,
        counsellor.pk if counsellor else None,
    ):
        raise InvitationUnusable


def book_answered_by_email(*, again_url, slot_told_here=False, **arguments):
    """`book`, for a request whose outcome only the contact may learn
    (`contacts.history_decides`): a refusal other than bad details is told by e-mail,
    through `booking_refused`, with `again_url(error)`, the address to choose again.
    With `slot_told_here`, a time taken or not offered is raised instead, for the page
    to tell whoever asks, but only when found before the person's history decided
    anything (`BookingError.after_history`): a check of the time made again just before
    would read the availability twice. Returns the booking, or None when refused."""
    try:
        return book(**arguments)
    except InvalidDetails:
        raise
    except (SlotTaken, SlotUnavailable) as error:
        if slot_told_here and not error.after_history:
            raise
        _tell_refusal(error, arguments, again_url)
    except BookingError as error:
        _tell_refusal(error, arguments, again_url)
    return None


def book_told_on_the_page(*, again_url, **arguments):
    """`book`, for a request answered on the page (its outcome not `history_decides`'s):
    there, only the limit of appointments to come depends on the contact's past
    bookings. With an e-mail address, that refusal is told by e-mail like
    `book_answered_by_email`'s, and None returned for the page to answer alike; a number
    alone has no private channel, so it is raised for the page to tell."""
    try:
        return book(**arguments)
    except TooManyBookings as error:
        if not arguments.get("email"):
            raise
        _tell_refusal(error, arguments, again_url)
    return None


def _tell_refusal(error, arguments, again_url):
    session = arguments.get("group_session")
    send_booking_refused(
        normalise_contact(arguments.get("email", ""), arguments.get("phone", ""))[0],
        error,
        start=session.start if session else arguments["start"],
        format=session.format if session else arguments["format"],
        place=session.place if session else arguments["place"],
        again_url=again_url(error),
    )


def _book_individual(
    person,
    structure,
    *,
    format,
    start,
    place,
    counsellor,
    now,
    within_limits,
    busy_times,
    **details,
):
    """The time is judged before the person's history (see `book_answered_by_email`)."""
    _check_timing(format, start, now, within_limits=within_limits)
    candidates = _free_counsellors(
        structure,
        format=format,
        start=start,
        place=place,
        counsellors=[counsellor] if counsellor else None,
        now=now,
        within_limits=within_limits,
        busy_times=busy_times,
    )
    with _history_decides():
        _check_stage(format, place, _counts_as_first_meeting(person, format, details["source"]))
        end = start + timedelta(minutes=format.duration_minutes)
        ordered = candidates if counsellor else _least_busy_first(candidates)
        for index, chosen in enumerate(ordered):
            try:
                # A savepoint only while another counsellor is left to try: for the last
                # one, the refusal rolls the whole booking back anyway.
                with transaction.atomic(savepoint=index < len(ordered) - 1):
                    return Booking.objects.create(
                        counsellor=chosen,
                        format=format,
                        place=place,
                        young_person=person,
                        start=start,
                        end=end,
                        busy_until=end + timedelta(minutes=format.buffer_after_minutes),
                        **details,
                    )
            except IntegrityError as error:
                _reraise_unless_overlap(error)
        raise SlotTaken


def book_held_seat(registration, *, now):
    """The person on a group session's waiting list whose seat is held (an offer taken,
    or confirmed directly as they asked) gets their booking, in the caller's
    transaction: the seat is already confirmed on the session's pool, so it is not
    taken again. The same checks as `book` (their limit of appointments to come too),
    the session's fullness aside. Returns the Booking."""
    session = registration.date.group_session
    structure = registration.date.structure
    if registration.young_person_id is None:
        raise InvalidTransition(InvalidTransition.NOT_CONFIRMED)
    met = met_before(session.start).filter(young_person=OuterRef("pk"), format__structure=structure)
    person = YoungPerson.objects.annotate(has_met=Exists(met)).get(pk=registration.young_person_id)
    source = Booking.Source(registration.source)  # web, api or staff: the same names
    limited = source != Booking.Source.STAFF
    live = _live_bookings(person, now) if limited else 0
    booking = _take_seat(
        person,
        structure,
        session,
        now=now,
        within_limits=limited,
        seat_held=True,
        **clean_home_address(session.place, None),
        call_phone=person.phone if session.place.kind == Place.Kind.PHONE else "",
        video_room=_video_room(session.place),
        source=source,
        message="",
        consent_at=registration.consent_at,
        api_key=None,
    )
    if limited:
        _check_live_bookings(live, structure.live_bookings_limit)
    send_booking_changed(booking, Change.BOOKED, Actor.PERSON)
    return booking


def _take_seat(person, structure, group_session, *, now, within_limits, seat_held=False, **details):
    """The session is judged before the person's history (see `book_answered_by_email`).
    `seat_held`: the seat is already the person's (`book_held_seat`)."""
    session, availability = load_session_availability(structure, group_session.pk, person=person)
    _check_session(session, availability, now=now, within_limits=within_limits, seat_held=seat_held)
    with _history_decides():
        _check_stage(
            session.format,
            session.place,
            _counts_as_first_meeting(person, session.format, details["source"]),
        )
        if session.held:
            raise AlreadyBooked
        if not seat_held:
            _reserve_seat(session)
        try:
            # No savepoint: the refusal rolls the whole booking back, seat included.
            with transaction.atomic(savepoint=False):
                return Booking.objects.create(
                    counsellor=session.counsellor,
                    format=session.format,
                    place=session.place,
                    group_session=session,
                    young_person=person,
                    start=session.start,
                    end=session.end,
                    busy_until=session.end + timedelta(minutes=session.format.buffer_after_minutes),
                    **details,
                )
        except IntegrityError:
            # Only the one-seat-per-person constraint can fail here: a double submission.
            raise AlreadyBooked from None


@contextmanager
def _history_decides():
    """Marks the refusals made once the person's past bookings count: those only the
    contact may learn (`contacts.history_decides`)."""
    try:
        yield
    except BookingError as error:
        error.after_history = True
        raise


def _live_bookings(person, now):
    """How many appointments to come the person holds, counted once their row is locked
    until commit: two bookings of theirs at once are counted one after the other, so
    neither passes the limit on a count made before the other's booking. The count is a
    statement of its own: PostgreSQL reads a statement that waited for a lock in the
    snapshot it started with, where the other booking is not yet. SQLite's IMMEDIATE
    transaction already holds the write lock: no lock to take there."""
    if connection.features.has_select_for_update:
        YoungPerson.objects.select_for_update().filter(pk=person.pk).values_list("pk").get()
    return Booking.objects.filter(
        young_person=person, status=Booking.Status.CONFIRMED, start__gt=now
    ).count()


def _check_live_bookings(live, limit):
    if live >= limit:
        raise TooManyBookings(limit)


# Changes ---------------------------------------------------------------------------


def cancel(booking, *, by, message="", now=None, staff_user=None):
    """Cancel and free the slot (or seat) at once; the person may not cancel once it started.

    `staff_user`: who cancelled it, for staff. Returns `booking`, refreshed.
    """
    now = now or timezone.now()
    by = Actor(by)
    message = _clean_message(message)
    status = (
        Booking.Status.CANCELLED_BY_PERSON
        if by == Actor.PERSON
        else Booking.Status.CANCELLED_BY_STAFF
    )
    with transaction.atomic():
        current = _locked(Booking.objects).get(pk=booking.pk)
        _check_changeable(current, by, now)
        if current.group_session_id:
            expire_session_offers(current.group_session_id, now)
        _update_confirmed(current, status=status, cancellation_message=message)
        if current.group_session_id:
            release_session_seat(current.group_session_id)
            serve_session_queue(current.group_session_id, now)
        booking.refresh_from_db()
        send_booking_changed(booking, Change.CANCELLED, by, staff_user=staff_user)
    return booking


def move(
    booking,
    *,
    by,
    start=None,
    place=None,
    counsellor=None,
    format=None,
    group_session=None,
    now=None,
    busy_times=None,
    override_limits=False,
    staff_user=None,
):
    """Move a confirmed booking, keeping its UUID (the calendar event is updated, not
    replaced). Individual: new `start` and optionally `place`, `counsellor` (of the
    structure) and `format` (another individual one); group: another `group_session`.
    Same checks as `book`, `override_limits` and `staff_user` too (staff only). Returns `booking`,
    refreshed; unchanged (and nobody notified) when it is moved to where it already is."""
    now = now or timezone.now()
    by = Actor(by)
    if override_limits and by != Actor.STAFF:
        raise TypeError("Only staff may override the notice and the horizon.")
    with transaction.atomic():
        current = _locked(
            Booking.objects.select_related(
                "format__structure__site", "place", "counsellor", "young_person"
            )
        ).get(pk=booking.pk)
        _check_changeable(current, by, now)
        _check_move_target(current, group_session, start, place, counsellor, format)
        limits = {"now": now, "within_limits": not override_limits}
        if current.group_session_id:
            first_meeting = _check_meetings_order(current, group_session.start, group_session.place)
            moved = _move_seat(current, group_session, first_meeting=first_meeting, **limits)
        else:
            start, place = start or current.start, place or current.place
            moved = _move_individual(
                current,
                start=start,
                place=place,
                counsellor=counsellor or current.counsellor,
                fmt=format or current.format,
                first_meeting=_check_meetings_order(current, start, place),
                busy_times=busy_times,
                **limits,
            )
        if not moved:
            return booking
        booking.refresh_from_db()
        send_booking_changed(
            booking,
            Change.MOVED,
            by,
            staff_user=staff_user,
            previous=current,
        )
    return booking


def _move_individual(
    current, *, start, place, counsellor, fmt, first_meeting, now, within_limits, busy_times
):
    """False, and nothing written, when it is already there. Another format must be an
    individual one of the same structure; the slot check then judges it as booked anew
    (the counsellor offers it, at that place, then)."""
    if (start, place, counsellor, fmt) == (
        current.start,
        current.place,
        current.counsellor,
        current.format,
    ):
        return False
    if fmt.is_group or fmt.structure_id != current.format.structure_id:
        raise SlotUnavailable(SlotUnavailable.OUTSIDE_AVAILABILITY)
    call_phone = current.call_phone
    if place != current.place and current.young_person is not None:
        call_phone = call_phone or current.young_person.phone
        check_reachable(place, phone=call_phone)
        _check_home_address(current, place)
    _check_stage(fmt, place, first_meeting)
    _check_timing(fmt, start, now, within_limits=within_limits)
    _free_counsellors(
        current.structure,
        format=fmt,
        start=start,
        place=place,
        counsellors=[counsellor],
        now=now,
        within_limits=within_limits,
        busy_times=busy_times,
        exclude_booking=current,
    )
    end = start + timedelta(minutes=fmt.duration_minutes)
    try:
        with transaction.atomic():
            _update_confirmed(
                current,
                start=start,
                end=end,
                busy_until=end + timedelta(minutes=fmt.buffer_after_minutes),
                place=place,
                counsellor=counsellor,
                format=fmt,
                video_room=current.video_room or _video_room(place),
                call_phone=call_phone if place.kind == Place.Kind.PHONE else current.call_phone,
            )
    except IntegrityError as error:
        _reraise_unless_overlap(error)
        raise SlotTaken from None
    return True


def _check_home_address(current, place):
    """A meeting moved to the person's home needs the address they gave for one: staff
    moving it there without one would send the counsellor nowhere."""
    if place.kind == Place.Kind.HOME and not current.home_street:
        raise InvalidDetails(
            _(
                "A meeting at home needs the person's address, which they did not give: "
                "book it anew with their address."
            ),
            field="place",
        )


def _move_seat(current, group_session, *, first_meeting, now, within_limits):
    """False, and nothing written, when it is already in that session."""
    if group_session.pk == current.group_session_id:
        return False
    session, availability = load_session_availability(
        current.structure, group_session.pk, person=current.young_person
    )
    _check_stage(session.format, session.place, first_meeting)
    _check_session(session, availability, now=now, within_limits=within_limits)
    if current.young_person is not None and session.held:
        raise AlreadyBooked
    left = current.group_session_id
    for session_id in sorted([session.pk, left]):
        if session_id == session.pk:
            _reserve_seat(session)
        else:
            release_session_seat(session_id)
    serve_session_queue(left, now)
    _update_confirmed(
        current,
        group_session=session,
        format=session.format,
        place=session.place,
        counsellor=session.counsellor,
        start=session.start,
        end=session.end,
        busy_until=session.end + timedelta(minutes=session.format.buffer_after_minutes),
    )
    return True


def confirm_attendance(booking, *, now=None):
    """ "I'm coming", answered from a reminder: recorded for staff, once, while the booking
    is still upcoming; nothing else changes (no new revision, no message). Returns
    whether it was recorded now."""
    now = now or timezone.now()
    if not booking.person_may_change(now):
        raise InvalidTransition(
            InvalidTransition.STARTED
            if booking.status == Booking.Status.CONFIRMED
            else InvalidTransition.NOT_CONFIRMED
        )
    recorded = Booking.objects.filter(
        pk=booking.pk,
        status=Booking.Status.CONFIRMED,
        start__gt=now,
        attendance_confirmed_at__isnull=True,
    ).update(attendance_confirmed_at=now)
    booking.refresh_from_db(fields=["attendance_confirmed_at"])
    return bool(recorded)


def mark_attended(booking, *, now=None):
    """Record that the meeting took place (also corrects a no-show entered by mistake)."""
    return _record_outcome(
        booking,
        Booking.Status.ATTENDED,
        allowed_from=(Booking.Status.CONFIRMED, Booking.Status.NO_SHOW),
        change=Change.ATTENDED,
        now=now,
    )


def mark_no_show(booking, *, now=None):
    """Record that the person did not come (also corrects an attendance entered by mistake)."""
    return _record_outcome(
        booking,
        Booking.Status.NO_SHOW,
        allowed_from=(Booking.Status.CONFIRMED, Booking.Status.ATTENDED),
        change=Change.NO_SHOW,
        now=now,
    )


def _record_outcome(booking, status, *, allowed_from, change, now):
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(Booking.objects).get(pk=booking.pk)
        if current.status not in allowed_from:
            raise InvalidTransition(InvalidTransition.NOT_CONFIRMED)
        if not current.outcome_may_be_recorded(now):
            raise InvalidTransition(InvalidTransition.NOT_STARTED)
        updated = Booking.objects.filter(pk=current.pk, status__in=allowed_from).update(
            status=status, sequence=F("sequence") + 1, updated_at=timezone.now()
        )
        if not updated:
            raise InvalidTransition(InvalidTransition.NOT_CONFIRMED)
        booking.refresh_from_db()
        send_booking_changed(booking, change, Actor.STAFF)
    return booking


# Checks ----------------------------------------------------------------------------


def _check_changeable(current, by, now):
    """Staff may change any confirmed booking; the person only until it starts."""
    if current.status != Booking.Status.CONFIRMED:
        raise InvalidTransition(InvalidTransition.NOT_CONFIRMED)
    if by == Actor.PERSON and not current.person_may_change(now):
        raise InvalidTransition(InvalidTransition.STARTED)


def _check_move_target(current, group_session, start, place, counsellor, fmt):
    """A programming error, not a refusal: a seat moves to a session, a time to a time."""
    if current.group_session_id and (group_session is None or start or place or counsellor or fmt):
        raise TypeError("A group booking moves to another group_session, and only that.")
    if not current.group_session_id and group_session is not None:
        raise TypeError("An individual booking cannot move into a group session.")


def _check_meetings_order(current, new_start, new_place):
    """Whether `current`, moved to `new_start` at `new_place`, would be the person's
    first meeting (None once their data was erased: nothing to check). Refused when the
    move would put a visit at home before any other meeting (`contacts.met_before`),
    this one or another of theirs: a home visit never comes first. A visit that came
    first already (booked before the rule was judged by date) does not stop other moves."""
    person = current.young_person
    if person is None:
        return None
    others = list(
        met_before()
        .filter(young_person=person, format__structure=current.structure)
        .exclude(pk=current.pk)
        .values_list("start", "place__kind")
    )
    starts = [start for start, _kind in others]

    def met_before_visit(visit, moved_start):
        return any(start < visit for start in (*starts, moved_start))

    for visit, kind in others:
        if (
            kind == Place.Kind.HOME
            and met_before_visit(visit, current.start)
            and not met_before_visit(visit, new_start)
        ):
            raise MeetingStageMismatch(MeetingStageMismatch.HOME_VISIT_LEFT_FIRST, field="slot")
    first_meeting = not any(start < new_start for start in starts)
    if first_meeting and not new_place.suits_first_meeting and new_place == current.place:
        raise MeetingStageMismatch(MeetingStageMismatch.HOME_VISIT_TOO_EARLY, field="slot")
    return first_meeting


def _counts_as_first_meeting(person, fmt, source):
    """Whether the person comes for the first time, for the meeting-stage rules.

    A first-meeting format booked by someone with no e-mail address is answered on the
    page (there is no private channel: `contacts.history_decides`), so asking the
    number's history would tell anyone typing it whether that person came before. It
    is not asked: a returning person may book a first-meeting format again, which harms
    nobody. Staff, who know the person, always get the real answer."""
    if (
        source != Booking.Source.STAFF
        and not person.email
        and fmt.meeting_stage == Format.MeetingStage.FIRST
    ):
        return True
    return not person.has_met


def _check_stage(fmt, place, first_meeting):
    """`first_meeting` None: unknown (the person's data was erased), nothing to check."""
    if first_meeting is None:
        return
    if first_meeting and not place.suits_first_meeting:
        raise MeetingStageMismatch(MeetingStageMismatch.NOT_AT_HOME, field="place")
    if not fmt.allows_stage(first_meeting):
        raise MeetingStageMismatch(
            MeetingStageMismatch.FOLLOW_UP_ONLY
            if first_meeting
            else MeetingStageMismatch.FIRST_ONLY
        )


def _check_timing(fmt, start, now, *, within_limits):
    if start <= now:
        raise SlotUnavailable(SlotUnavailable.PAST)
    if not within_limits:
        return
    if start < now + timedelta(hours=fmt.minimum_notice_hours):
        raise SlotUnavailable(SlotUnavailable.TOO_SOON)
    if start > now + timedelta(days=fmt.horizon_days):
        raise SlotUnavailable(SlotUnavailable.BEYOND_HORIZON)


def _free_counsellors(
    structure,
    *,
    format,
    start,
    place,
    counsellors,
    now,
    within_limits,
    busy_times,
    exclude_booking=None,
):
    """Counsellors free for this exact slot; raises SlotTaken or SlotUnavailable if none.
    With no counsellor given, each has `upcoming_bookings` (`_least_busy_first`)."""
    window_end = start + timedelta(microseconds=1)
    availability = load_slot_availability(
        structure,
        format=format,
        start=start,
        place=place,
        counsellors=counsellors,
        busy_times=busy_times,
        exclude_booking=exclude_booking,
        upcoming_from=now if counsellors is None else None,
    )

    def matching(slots):
        return [
            slot.counsellor
            for slot in slots
            if slot.group_session is None
            and slot.start == start
            and slot.format.pk == format.pk
            and slot.place.pk == place.pk
        ]

    def computed(availability):
        return compute_slots(
            availability, now=now, start=start, end=window_end, within_limits=within_limits
        )

    free = matching(computed(availability))
    if free:
        return free
    if matching(computed(replace(availability, bookings=()))):
        raise SlotTaken
    raise SlotUnavailable(SlotUnavailable.OUTSIDE_AVAILABILITY)


def _check_session(session, availability, *, now, within_limits, seat_held=False):
    """`session` and `availability` from one read (`load_session_availability`), so
    "full" is judged on the seats counted with the rest (unless the seat is held)."""
    _check_timing(session.format, session.start, now, within_limits=within_limits)
    window_end = session.start + timedelta(microseconds=1)
    slots = compute_slots(
        availability,
        now=now,
        start=session.start,
        end=window_end,
        within_limits=within_limits,
        full_sessions=True,
    )
    if not any(slot.group_session and slot.group_session.pk == session.pk for slot in slots):
        raise SlotUnavailable(SlotUnavailable.OUTSIDE_AVAILABILITY)
    if session.seats_left <= 0 and not seat_held:
        raise SlotTaken


def _reserve_seat(session):
    """The atomic seat counter: only one of two concurrent requests gets the last seat."""
    if not take_session_seat(session):
        raise SlotTaken


def _least_busy_first(counsellors):
    """ "First available": spread the load, most free counsellor first, ties by name."""
    return sorted(counsellors, key=lambda c: (c.upcoming_bookings, c.first_name, c.slug))


def _locked(bookings):
    """The booking row locked until commit (PostgreSQL; SQLite's IMMEDIATE transaction
    already holds the write lock), and only that row, not the joined ones: a second
    change of the same booking waits, then reads what the first one left."""
    return bookings.select_for_update(of=("self",))


def _update_confirmed(current, **changes):
    """Apply `changes` only if the booking is still confirmed, and raise its sequence."""
    updated = Booking.objects.filter(pk=current.pk, status=Booking.Status.CONFIRMED).update(
        **changes, sequence=F("sequence") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise InvalidTransition(InvalidTransition.NOT_CONFIRMED)


def _reraise_unless_overlap(error):
    """Only the PostgreSQL overlap guard means "taken"; any other integrity error is a bug."""
    constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    if constraint != OVERLAP_GUARD:
        raise error


def _video_room(place):
    """A room name nobody can guess (128 random bits) for a meeting by video, else ""."""
    return secrets.token_hex(16) if place.kind == Place.Kind.VIDEO else ""


def _clean_message(message):
    message = (message or "").strip()
    if len(message) > Booking.MESSAGE_MAX_LENGTH:
        raise InvalidDetails(_("Please keep your message under 500 characters."), field="message")
    refuse_null_characters(message, field="message")
    return message
