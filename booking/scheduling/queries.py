"""Slot questions that pages ask, answered next to `find_slots` rather than in views."""

from datetime import timedelta

from django.db.models import Exists, OuterRef

from booking.models import Absence, Booking

from .loading import load_availability
from .slots import compute_slots


def move_options(booking, now, *, start=None, end=None):
    """Other free times starting in [start, end) (default: from now to the format's
    horizon) with the same counsellor, format and place (or other sessions of the same
    group format), the booking's own time not counting as busy."""
    start = max(start or now, now)
    end = end or now + timedelta(days=booking.format.horizon_days)
    availability = load_availability(
        booking.structure,
        start=start,
        end=end,
        counsellors=[booking.counsellor_id],
        formats=[booking.format_id],
        exclude_booking=booking,
    )

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
        for slot in compute_slots(availability, now=now, start=start, end=end)
        if other_choice(slot)
    ]


def desk_options(
    structure,
    *,
    format,
    counsellor,
    place,
    now,
    start,
    end,
    within_limits=True,
    exclude_booking=None,
):
    """The free times starting in [start, end) that staff may book for someone (or move
    `exclude_booking` to): `counsellor`'s, in `format` at `place` (a group format's
    sessions wherever they are). `within_limits=False` lifts the format's notice and
    horizon, as the booking service does for staff."""
    start = max(start, now)
    availability = load_availability(
        structure,
        start=start,
        end=end,
        counsellors=[counsellor],
        formats=[format],
        exclude_booking=exclude_booking,
    )
    slots = compute_slots(availability, now=now, start=start, end=end, within_limits=within_limits)
    if format.is_group:
        return [
            slot
            for slot in slots
            if slot.group_session is not None
            and (
                exclude_booking is None or slot.group_session.pk != exclude_booking.group_session_id
            )
        ]
    return [slot for slot in slots if slot.group_session is None and slot.place.pk == place.pk]


def clashing_bookings(bookings, now):
    """Those of `bookings` still to come and confirmed while their counsellor is absent
    (an absence saved over them): each must be moved or cancelled. One query, with
    what a listing of them shows."""
    absent = Absence.objects.filter(
        counsellor_id=OuterRef("counsellor_id"),
        start__lt=OuterRef("end"),
        end__gt=OuterRef("start"),
    )
    return (
        bookings.filter(status=Booking.Status.CONFIRMED, end__gt=now)
        .filter(Exists(absent))
        .select_related("counsellor", "format", "place", "young_person")
        .order_by("start")
    )
