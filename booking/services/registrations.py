"""Registering for event dates, and the waiting list that moves in the same transaction.

Call these with the event page and the occurrence the events app gives (duck-typed:
booking never imports events): `event.registration_occurrence(key, now)` returns the
occurrence (`start`, `end`, `key`) or None.

- `register(event=..., occurrence=..., mode=..., first_name=..., email/phone, ...)`:
  confirmed when the seats are there and nobody waits, else on the waiting list;
- `cancel_registration(registration, by=Actor.PERSON)`: cancel, or leave the list;
- `accept_offer(registration, sequence=...)` / `decline_offer(...)`: "Je prends / Je
  laisse", refused unless `sequence` is the offer's own (a used, expired or withdrawn
  offer is never a seat again);
- `expire_offers(now=..., pool=None)`: the lazy expiry every call above makes first,
  and the sweep command's cleanup;
- `sync_event(event)`: after the page is published, dates moved or gone are told;
  `cancel_event(event)`: the page is unpublished or deleted, every date to come is.
- `message_registrants(date, text)`: staff's short message to everyone on the date;
- the check-in: `mark_attended`, `mark_no_show`, `undo_check_in`, `mark_others_absent`
  and `register_walk_in` (those who came unregistered: present, counted apart).

The rules:
- Seats live on one `SeatPool` row per date and mode, whose CHECK keeps confirmed plus
  offered within the capacity; every change of it is ONE conditional UPDATE (`_take`,
  `_offer`, `_accept`, `_release`), so concurrent requests cannot pass it on either
  database, and registrations are changed with their row locked (PostgreSQL; SQLite's
  IMMEDIATE transactions already hold the write lock), the pool after it.
- Strict first come, first served: a newcomer joins the list whenever someone waits; a
  party of 2 at the head waits for 2 seats, nobody behind it goes first.
- Freed seats (cancellation, decline, expiry, a larger capacity) go to the head of the
  list at once: offered (held) until `min(readable + offer hours, start - cut-off)`,
  or confirmed directly for those who opted in. `readable` is when the offer can be
  read: now by e-mail, 08:00 for an SMS recorded at night (quiet hours): the person
  never loses their night's hours. Nothing is offered once `readable` is past the
  cut-off: those seats are then open to anyone registering, and the list stops.
- Each change sends `registration_changed` inside its transaction (notifications are
  recorded there; the page cache is refreshed).
"""

from dataclasses import dataclass
from datetime import timedelta
from functools import reduce
from operator import or_

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import Booking, DateMessage, EventDate, Registration, SeatPool, ShortLink
from core.sms.hours import next_sending_time

from .contacts import (
    choose_channel,
    clean_first_name,
    find_or_create_person,
    normalise_contact,
    refuse_null_characters,
)
from .errors import (
    AlreadyRegistered,
    BookingError,
    EventFull,
    InvalidDetails,
    InvalidTransition,
    OfferUnavailable,
    RegistrationClosed,
)
from .signals import (
    Actor,
    RegistrationChange,
    send_already_registered,
    send_registrants_messaged,
    send_registration_changed,
)
from .sms import MessageTooLong, date_message_text, sms_reachable

Status = Registration.Status
Mode = SeatPool.Mode
# The event page's attendance modes (events.models.AttendanceMode), and the seats of each.
MODES = {
    "in_person": (Mode.ON_SITE,),
    "online": (Mode.ONLINE,),
    "hybrid": (Mode.ON_SITE, Mode.ONLINE),
}
CAPACITY_FIELDS = {Mode.ON_SITE: "onsite_capacity", Mode.ONLINE: "online_capacity"}


def modes_of(event):
    """The modes `event` takes registrations in (none while they are closed)."""
    if not event.registrations_open:
        return ()
    return MODES.get(event.attendance_mode, ())


def capacity_of(event, mode):
    return getattr(event, CAPACITY_FIELDS[mode])


def cutoff_of(event, start):
    return start - timedelta(hours=event.offer_cutoff_hours)


@dataclass(frozen=True)
class QueueRules:
    """How `date`'s list is served: hours to answer an offer, and when offers stop."""

    offer_hours: int
    cutoff: object


def rules_of(date):
    """An event date's rules are its page's, a group session's its format's (its cut-off
    the format's minimum notice, the last moment anyone may book it); None once the page
    or the session is gone (nobody is offered anything then)."""
    if date.event is not None:
        return QueueRules(date.event.offer_hours, cutoff_of(date.event, date.start))
    session = date.group_session
    if session is not None:
        notice = timedelta(hours=session.format.minimum_notice_hours)
        return QueueRules(session.format.offer_hours, date.start - notice)
    return None


# Registering --------------------------------------------------------------------------


def register(
    *,
    event,
    occurrence,
    mode,
    structure,
    first_name,
    email="",
    phone="",
    preferred_channel="",
    party_size=1,
    auto_confirm=False,
    consent=False,
    source=Registration.Source.WEB,
    now=None,
):
    """Register for `occurrence` of `event` in `mode` ("on_site", "online") and return
    the Registration, confirmed or waiting. Contacts as for `bookings.book`; `consent`
    required except for staff. Raises RegistrationClosed (closed, started, cancelled,
    mode not offered), EventFull (no seat and no list after the cut-off),
    AlreadyRegistered (one live registration per person and date), InvalidDetails."""
    now = now or timezone.now()
    if mode not in modes_of(event) or occurrence.start <= now:
        raise RegistrationClosed
    return _enter(
        lambda: _pool(event_date(structure, event, occurrence), mode, capacity_of(event, mode)),
        structure=structure,
        contact=(first_name, email, phone, preferred_channel),
        party_size=_clean_party_size(party_size, event.party_size_max),
        auto_confirm=auto_confirm,
        consent=consent,
        source=source,
        now=now,
    )


def join_waiting_list(
    session,
    *,
    structure,
    first_name,
    email="",
    phone="",
    preferred_channel="",
    auto_confirm=False,
    consent=False,
    source=Registration.Source.WEB,
    now=None,
):
    """Join the waiting list of a group session (its seats are booked, one each, by
    `bookings.book`): the same entry and rules as an event date's list, for one seat.
    A seat free meanwhile is offered at once (or booked, with `auto_confirm`). Raises
    RegistrationClosed (started, another structure's), EventFull (after the cut-off:
    the list has stopped), AlreadyRegistered (on the list, or holding a seat there),
    InvalidDetails."""
    now = now or timezone.now()
    if session.start <= now or session.format.structure_id != structure.pk:
        raise RegistrationClosed
    return _enter(
        lambda: session_pool(session),
        structure=structure,
        contact=(first_name, email, phone, preferred_channel),
        party_size=1,
        auto_confirm=auto_confirm,
        consent=consent,
        source=source,
        now=now,
    )


def _enter(pool_of, *, structure, contact, party_size, auto_confirm, consent, source, now):
    """The entry of `register` and `join_waiting_list`: `pool_of()` gives the pool, in
    the transaction. A group session's list only waits: its seats are taken by booking."""
    first_name, email, phone, preferred_channel = contact
    first_name = clean_first_name(first_name)
    phone_rules = structure.phone_rules
    email, phone = normalise_contact(email, phone, **phone_rules)
    preferred_channel = choose_channel(preferred_channel, email=email, phone=phone)
    if source != Registration.Source.STAFF and not consent:
        raise InvalidDetails(
            _("Please confirm that you agree to how we use your details."), field="consent"
        )
    try:
        with transaction.atomic():
            pool = pool_of()
            date = pool.date
            _expire_due(pool, now)
            person = find_or_create_person(
                structure.pk,
                first_name=first_name,
                email=email,
                phone=phone,
                channel=preferred_channel,
                **phone_rules,
            )
            after_cutoff = now >= rules_of(date).cutoff
            session = date.group_session
            if session is not None:
                if after_cutoff:
                    raise EventFull
                held = session.bookings.filter(young_person=person).exclude(
                    status__in=Booking.CANCELLED_STATUSES
                )
                if held.exists():
                    raise AlreadyRegistered
                status = Status.WAITING
            else:
                queue = pool.registrations.filter(status=Status.WAITING)
                if (after_cutoff or not queue.exists()) and _take(pool, party_size):
                    status = Status.CONFIRMED
                elif after_cutoff:
                    raise EventFull
                else:
                    status = Status.WAITING
            # No savepoint: a second registration of the person rolls all of it back,
            # seats included.
            registration = Registration.objects.create(
                date=date,
                pool=pool,
                young_person=person,
                party_size=party_size,
                status=status,
                auto_confirm=bool(auto_confirm) and status == Status.WAITING,
                source=source,
                consent_at=now if consent else None,
            )
            change = (
                RegistrationChange.CONFIRMED
                if status == Status.CONFIRMED
                else RegistrationChange.WAITING
            )
            send_registration_changed(registration, change, _actor(source))
            if session is not None:
                # The pool before those waiting, as every change that frees a seat
                # locks them: a free seat is offered at once, without a deadlock.
                SeatPool.objects.select_for_update().filter(pk=pool.pk).values_list("pk").get()
                advance_queue(pool, now)
                registration.refresh_from_db()
    except IntegrityError:
        raise AlreadyRegistered from None
    return registration


def answers_privately(structure, *, email, phone):
    """Whether a request's answer must be the same whether or not its contact is already
    registered for the date (`register_answered_privately`): it gives an e-mail address,
    or a number the structure sends SMS to, where the outcome is told instead. A number
    the structure cannot text has no such channel: its page says the outcome."""
    return bool(email.strip()) or (bool(phone.strip()) and structure.sends_sms)


def register_answered_privately(**arguments):
    """`register`, for a request whose answer must be the same whether or not its contact
    is already registered for the date (`answers_privately`): anyone may type someone's
    address or number, and "already registered" would tell them that its owner is. So
    the page or the API answers every such request alike, the person gets the
    confirmation or their place on the list by their message as usual, and a second
    request is told only to the address (by e-mail) or, given a number alone, to the
    number (by SMS), with the link to the registration it holds (`already_registered`).
    Returns the new registration, or None. What does not depend on the contact (bad
    details, closed, full) is raised as by `register`."""
    try:
        return register(**arguments)
    except AlreadyRegistered:
        _tell_already_registered(
            arguments, date__event=arguments["event"], date__key=arguments["occurrence"].key
        )
    return None


def join_waiting_list_answered_privately(session, **arguments):
    """`join_waiting_list`, answered alike whoever the address is, as
    `register_answered_privately`: a place held on the list is told only to the
    address; a seat already booked there is the person's own booking's to tell."""
    try:
        return join_waiting_list(session, **arguments)
    except AlreadyRegistered:
        _tell_already_registered(arguments, date__group_session=session)
    return None


def _tell_already_registered(arguments, **date):
    """The registration the contact holds for the date, told to that address, or, given
    a number alone, to that number."""
    structure = arguments["structure"]
    email, phone = normalise_contact(
        arguments.get("email"), arguments.get("phone"), **structure.phone_rules
    )
    contact = {"email": email} if email else {"phone": phone}
    held = (
        Registration.objects.filter(
            status__in=Registration.LIVE_STATUSES,
            young_person__structure=structure,
            **{f"young_person__{field}": value for field, value in contact.items()},
            **date,
        )
        .select_related("date__structure__site", "date__event", "pool", "young_person")
        .first()
    )
    if held is not None:
        send_already_registered(held, **contact)


def _actor(source):
    return Actor.STAFF if source == Registration.Source.STAFF else Actor.PERSON


def _clean_party_size(party_size, maximum):
    try:
        party_size = int(party_size)
    except (TypeError, ValueError):
        party_size = 0
    if not 1 <= party_size <= maximum:
        raise InvalidDetails(
            _("Please choose between 1 and %(max)s seats.") % {"max": maximum},
            field="party_size",
        )
    return party_size


def event_date(structure, event, occurrence):
    """The date's row, made on first use (two first registrations at once make one; the
    event days make it before anyone registers, to set a day up). A date once cancelled
    that the page lists again is open again, from no seat taken."""
    date, _created = EventDate.objects.get_or_create(
        event=event,
        key=occurrence.key,
        defaults={
            "structure": structure,
            "title": event.title,
            "start": occurrence.start,
            "end": occurrence.end,
        },
    )
    if date.cancelled_at is not None:
        EventDate.objects.filter(pk=date.pk, cancelled_at__isnull=False).update(
            cancelled_at=None,
            start=occurrence.start,
            end=occurrence.end,
            title=event.title,
            sequence=F("sequence") + 1,
        )
        date.refresh_from_db()
    return date


def _pool(date, mode, capacity):
    pool, _created = SeatPool.objects.get_or_create(
        date=date, mode=mode, defaults={"capacity": capacity}
    )
    pool.date = date
    return pool


def upcoming_for(person, now=None):
    """The person's live registrations to dates to come, soonest first (their manage
    pages list them next to their appointments)."""
    if person is None:
        return Registration.objects.none()
    return (
        person.registrations.filter(
            status__in=Registration.LIVE_STATUSES, date__start__gt=now or timezone.now()
        )
        .select_related("date")
        .order_by("date__start")
    )


def position(registration):
    """Its place in the queue (1: next to be offered), None unless waiting."""
    if registration.status != Status.WAITING:
        return None
    ahead = Registration.objects.filter(pool=registration.pool_id, status=Status.WAITING).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


# Changes -------------------------------------------------------------------------------


def cancel_registration(registration, *, by, now=None):
    """Cancel a confirmed (or offered) registration, or leave the waiting list; the seats
    go to the next in line in the same transaction. The person may until it starts,
    staff any time. Returns the registration, refreshed."""
    now = now or timezone.now()
    by = Actor(by)
    status = Status.CANCELLED_BY_PERSON if by == Actor.PERSON else Status.CANCELLED_BY_STAFF
    with transaction.atomic():
        current = _locked(registration)
        if current.status not in Registration.LIVE_STATUSES:
            raise InvalidTransition(InvalidTransition.NOT_CONFIRMED)
        if by == Actor.PERSON and current.date.start <= now:
            raise InvalidTransition(InvalidTransition.STARTED)
        _leave(current, status, RegistrationChange.CANCELLED, by, now)
    return current


def accept_offer(registration, *, sequence, now=None):
    """ "Je prends": the offered seats become confirmed, if `sequence` is the offer's and
    it has not expired (a late answer expires it, and the seats move on). A group
    session's seat becomes the person's booking (status "booked")."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _offer_answered(registration, sequence, now)
        if current is not None:
            if not _accept(current.pool, current.party_size):
                raise OfferUnavailable  # the counter disagrees: never confirm beyond it
            if current.date.group_session_id is not None:
                _book_seat(current, now)
                return current
            _set_status(current, Status.CONFIRMED, offer_expires_at=None)
            send_registration_changed(current, RegistrationChange.CONFIRMED, Actor.PERSON)
            return current
    _refuse_late_answer(registration, now)


def decline_offer(registration, *, sequence, now=None):
    """ "Je laisse": the offer goes to the next in line at once."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _offer_answered(registration, sequence, now)
        if current is not None:
            _leave(current, Status.DECLINED, RegistrationChange.DECLINED, Actor.PERSON, now)
            return current
    _refuse_late_answer(registration, now)


def _offer_answered(registration, sequence, now):
    """The registration locked, if `sequence` is its live offer's; None once expired."""
    current = _locked(registration)
    if str(sequence) != str(current.sequence) or current.status != Status.OFFERED:
        raise OfferUnavailable
    if current.offer_expires_at <= now:
        return None
    return current


def _refuse_late_answer(registration, now):
    """After the answer's transaction, so the expiry and the seats passed on commit
    whatever the caller does with the refusal."""
    expire_offers(now=now, pool=registration.pool)
    raise OfferUnavailable


def expire_offers(*, now=None, pool=None):
    """Offers past their deadline expire, their seats passed on: those of `pool`, or of
    every pool (`sweep_registration_offers`). Returns how many expired."""
    now = now or timezone.now()
    if pool is not None:
        with transaction.atomic():
            return _expire_due(pool, now)
    # One pool per transaction: the sweep never holds two pools at once.
    due = Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
    expired = 0
    for pool_id in due.values_list("pool", flat=True).distinct().order_by("pool"):
        with transaction.atomic():
            expired += _expire_due(SeatPool(pk=pool_id), now)
    return expired


def _expire_due(pool, now):
    due = Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
    if pool is not None:
        due = due.filter(pool=pool)
    expired = 0
    for registration_id in due.order_by("offer_expires_at", "pk").values_list("pk", flat=True):
        current = _locked(Registration(pk=registration_id))
        if current.status == Status.OFFERED and current.offer_expires_at <= now:
            _leave(current, Status.EXPIRED, RegistrationChange.EXPIRED, Actor.STAFF, now)
            expired += 1
    return expired


def _leave(current, status, change, actor, now):
    """`current` (locked) leaves with `status`: its seats, if it held any, are released
    and offered to the next in line."""
    held = Registration.SEATED.get(current.status)
    _set_status(current, status, offer_expires_at=None)
    send_registration_changed(current, change, actor)
    if held is not None:
        _release(current.pool, held, current.party_size)
        advance_queue(current.pool, now)


def mark_attended(registration):
    return _record_outcome(registration, Status.ATTENDED, RegistrationChange.ATTENDED)


def mark_no_show(registration):
    return _record_outcome(registration, Status.NO_SHOW, RegistrationChange.NO_SHOW)


def undo_check_in(registration):
    """Present or absent recorded by mistake: back to confirmed, its seat kept all along;
    a walk-in, who never had a registration, is struck off."""
    with transaction.atomic():
        current = _locked(registration)
        if current.status not in (Status.ATTENDED, Status.NO_SHOW):
            raise InvalidTransition(InvalidTransition.NOT_CONFIRMED)
        _set_status(current, Status.CANCELLED_BY_STAFF if current.walk_in else Status.CONFIRMED)
        send_registration_changed(current, RegistrationChange.CHECK_IN_UNDONE, Actor.STAFF)
    return current


def mark_others_absent(date):
    """At the end of the check-in: everyone still confirmed did not come. Returns how
    many."""
    confirmed = date.registrations.filter(status=Status.CONFIRMED).values_list("pk", flat=True)
    with transaction.atomic():
        for registration_id in confirmed:
            _record_outcome(
                Registration(pk=registration_id), Status.NO_SHOW, RegistrationChange.NO_SHOW
            )
    return len(confirmed)


WALK_IN_PARTY_MAX = 10
# Entries a walk-in may turn out to hold: expected, waiting, or already ticked.
HELD_AT_THE_DOOR = (*Registration.LIVE_STATUSES, Status.ATTENDED, Status.NO_SHOW)


@dataclass(frozen=True)
class WalkIn:
    """What `register_walk_in` did: `registration` is present; `already_registered`
    when it was the person's own registration, ticked, rather than a walk-in's."""

    registration: Registration
    already_registered: bool


def register_walk_in(date, *, mode, first_name, email="", phone="", party_size=1):
    """Someone who came without registering, recorded present at once, whether seats are
    left or not. The rule: walk-ins are counted apart (`walk_in`) and take no seat, so
    the seats stay what was offered and their CHECK holds however many come; the
    figures add them to those present. One whose first name and e-mail or number are
    those of an entry of the date did register (or came in already): that entry is
    ticked present instead, never a second one (`_tick_held`). Returns a WalkIn;
    raises InvalidDetails, RegistrationClosed (no such mode, or the date cancelled)."""
    party_size = _clean_party_size(party_size, WALK_IN_PARTY_MAX)
    first_name = clean_first_name(first_name)
    structure = date.structure
    phone_rules = structure.phone_rules
    email, phone = normalise_contact(email, phone, **phone_rules)
    pool = date.pools.filter(mode=mode).first()
    if pool is None or date.cancelled_at is not None:
        raise RegistrationClosed
    with transaction.atomic():
        held = _held_at_the_door(date, first_name, email=email, phone=phone)
        if held is not None:
            return WalkIn(_tick_held(held), already_registered=True)
        person = find_or_create_person(
            structure.pk,
            first_name=first_name,
            email=email,
            phone=phone,
            channel=choose_channel("", email=email, phone=phone),
            **phone_rules,
        )
        registration = Registration.objects.create(
            date=date,
            pool=pool,
            young_person=person,
            party_size=party_size,
            status=Status.ATTENDED,
            walk_in=True,
            source=Registration.Source.STAFF,
        )
        send_registration_changed(registration, RegistrationChange.ATTENDED, Actor.STAFF)
    return WalkIn(registration, already_registered=False)


def _held_at_the_door(date, first_name, *, email, phone):
    """The date's entry of the person with this first name (any case) and this e-mail
    or number, locked; None when it is somebody new. Expected entries first."""
    given = {"young_person__email": email, "young_person__phone": phone}
    contacts = [Q(**{field: value}) for field, value in given.items() if value]
    if not contacts:
        return None
    entries = date.registrations.filter(
        reduce(or_, contacts),
        status__in=HELD_AT_THE_DOOR,
        young_person__first_name__iexact=first_name,
    )
    order = [Status.CONFIRMED, Status.NO_SHOW, Status.OFFERED, Status.WAITING, Status.ATTENDED]
    found = sorted(entries.values_list("pk", "status"), key=lambda row: order.index(row[1]))
    return _locked(Registration(pk=found[0][0])) if found else None


def _tick_held(current):
    """Present: a confirmed entry (or one marked absent) as at the check-in; one waiting
    or offered a seat came without one, so is a walk-in, their seat or place passed on;
    one already present stays so."""
    if current.status in (Status.CONFIRMED, Status.NO_SHOW):
        return mark_attended(current)
    if current.status in (Status.WAITING, Status.OFFERED):
        Registration.objects.filter(pk=current.pk).update(walk_in=True)
        current.walk_in = True
        _leave(current, Status.ATTENDED, RegistrationChange.ATTENDED, Actor.STAFF, timezone.now())
    return current


def _record_outcome(registration, status, change):
    """Check-in: a confirmed registration (or one marked the other way by mistake)."""
    allowed = (Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)
    with transaction.atomic():
        current = _locked(registration)
        if current.status not in allowed:
            raise InvalidTransition(InvalidTransition.NOT_CONFIRMED)
        _set_status(current, status)
        send_registration_changed(current, change, Actor.STAFF)
    return current


# The queue -----------------------------------------------------------------------------


def advance_queue(pool, now):
    """Serve the head of `pool`'s list while its seats are free, in the caller's
    transaction (after the pool's UPDATE: its row is locked until commit)."""
    rules = rules_of(pool.date)
    if rules is None or pool.date.cancelled_at is not None or pool.capacity is None:
        return
    if now >= rules.cutoff:
        return
    waiting = pool.registrations.filter(status=Status.WAITING).order_by("created_at", "pk")
    for registration_id in waiting.values_list("pk", flat=True):
        current = _locked(Registration(pk=registration_id))
        if current.status != Status.WAITING:
            continue  # left the list meanwhile
        if current.auto_confirm:
            confirmed = _confirm_directly(pool, current, now)
            if confirmed is None:
                return  # strict first come, first served: the head waits for its seats
            if confirmed:
                continue
        deadline = _offer_deadline(current, rules, now)
        if deadline is None:
            return  # not readable before the cut-off: the seats stay open to anyone
        if not _offer(pool, current.party_size):
            return
        _set_status(current, Status.OFFERED, offered_at=now, offer_expires_at=deadline)
        send_registration_changed(current, RegistrationChange.OFFERED, Actor.STAFF)


def _confirm_directly(pool, current, now):
    """For those who opted in: None when the seats are not there; False when a group
    session's booking is refused (their limit of appointments, a seat already theirs),
    nothing written, so they are offered the seat instead; True when confirmed."""
    if current.date.group_session_id is None:
        if not _take(pool, current.party_size):
            return None
        _set_status(current, Status.CONFIRMED)
        send_registration_changed(current, RegistrationChange.CONFIRMED, Actor.STAFF)
        return True
    try:
        with transaction.atomic():
            if not _take(pool, current.party_size):
                return None
            _book_seat(current, now)
    except BookingError:
        current.refresh_from_db()
        return False
    return True


def _book_seat(current, now):
    """The group session's seat `current` holds (confirmed on its pool) becomes the
    person's booking, through the one writer of bookings. Imported here: bookings
    serve this queue when they free a seat, so each module needs the other."""
    from .bookings import book_held_seat

    booking = book_held_seat(current, now=now)
    _set_status(current, Status.BOOKED, booking=booking, offer_expires_at=None)


def _offer_deadline(registration, rules, now):
    person = registration.young_person
    readable = now
    if person is not None and person.preferred_channel == person.Channel.SMS:
        structure = registration.date.structure
        if sms_reachable(person, structure):
            readable = next_sending_time(now, structure.zone)
    if readable >= rules.cutoff:
        return None
    return min(readable + timedelta(hours=rules.offer_hours), rules.cutoff)


# Group sessions ------------------------------------------------------------------------


def session_pool(session):
    """A group session's seat counter (one on-site pool of its date), made on first use
    with the session's capacity: two first bookings at once make one."""
    date, _created = EventDate.objects.select_related(
        "structure__site", "group_session__format"
    ).get_or_create(
        group_session=session,
        defaults={
            "structure": session.format.structure,
            "key": f"session-{session.pk}",
            "title": session.title or session.format.name,
            "start": session.start,
            "end": session.end,
        },
    )
    return _pool(date, Mode.ON_SITE, session.capacity)


def on_session_saved(sender, instance, created, **kwargs):
    """Connected in BookingConfig.ready to GroupSession's post_save: every session has
    its pool from the start (its bookings then cost one UPDATE), and one changed by
    staff keeps it in step (`sync_session`)."""
    if created:
        session_pool(instance)
    else:
        sync_session(instance)


def take_session_seat(session):
    """One confirmed seat of `session` for a booking, if one is free: whether it was.
    Its pool's id is read with the session (`GroupSession.objects.with_seats`)."""
    pool_id = getattr(session, "seat_pool_id", None)
    return bool(_take(SeatPool(pk=pool_id) if pool_id else session_pool(session), 1))


def expire_session_offers(session_id, now):
    """The session's offers past their deadline expire, before its counter is written:
    offers are locked before their pool, everywhere, so two changes never wait for each
    other (a change of two sessions, a move, skips this: the sweep does it)."""
    _expire_due(SeatPool(pk=_session_pool_id(session_id)), now)


def release_session_seat(session_id):
    """A booking of the session leaves it (cancelled, moved): its seat is free. Call
    `serve_session_queue` once every counter of the change is written."""
    SeatPool.objects.filter(pk=_session_pool_id(session_id), seats_confirmed__gte=1).update(
        seats_confirmed=F("seats_confirmed") - 1
    )


def serve_session_queue(session_id, now):
    """The seats freed in `session` go to the head of its list, in the caller's
    transaction (sent after commit)."""
    pool = SeatPool.objects.select_related(
        "date__structure__site", "date__event", "date__group_session__format"
    ).get(pk=_session_pool_id(session_id))
    advance_queue(pool, now)


def _session_pool_id(session_id):
    return SeatPool.objects.filter(date__group_session_id=session_id).values_list("pk").get()[0]


def sync_session(session, *, now=None):
    """After staff saved `session`: its list is told a new time or topic, and a capacity
    changed is applied (never below the seats held), a larger one served at once."""
    now = now or timezone.now()
    date = (
        EventDate.objects.select_related("structure__site", "group_session__format")
        .filter(group_session=session, cancelled_at__isnull=True)
        .first()
    )
    if date is None:
        return
    with transaction.atomic():
        title = session.title or session.format.name
        if (session.start, session.end, title) != (date.start, date.end, date.title):
            _move_date(date, session, title)
        for pool in date.pools.all():
            pool.date = date
            _resize(pool, session.capacity, now)


def on_session_deleted(sender, instance, **kwargs):
    """Connected in BookingConfig.ready to the pre_delete of GroupSession: a session
    deleted (only one nobody booked can be) tells those on its list."""
    date = EventDate.objects.select_related("structure__site").filter(
        group_session=instance, cancelled_at__isnull=True
    )
    for found in date:
        with transaction.atomic():
            _cancel_date(found, timezone.now())


# The event changes --------------------------------------------------------------------


def on_page_published(sender, instance, **kwargs):
    """Connected in BookingConfig.ready: a published event page, whose dates may have
    moved (other pages have no registration dates)."""
    if hasattr(instance, "upcoming_registration_occurrences"):
        sync_event(instance)


def on_page_removed(sender, instance, **kwargs):
    """Connected in BookingConfig.ready to Wagtail's `page_unpublished` and to
    `pre_delete` (any model: only event pages have registration dates): an event page
    that leaves the site cancels its dates."""
    if hasattr(instance, "upcoming_registration_occurrences"):
        cancel_event(instance)


def cancel_event(event, *, now=None):
    """`event` is unpublished or deleted: its dates to come are cancelled and everyone
    on them told, as for a date removed (`sync_event`), in the caller's transaction
    (the admin's deletion, or whoever unpublishes inside one): the page leaves and the
    registrations end together. Before a deletion empties `EventDate.event`."""
    now = now or timezone.now()
    with transaction.atomic():
        dates = EventDate.objects.filter(event=event, cancelled_at__isnull=True, start__gt=now)
        for date in dates.select_related("structure__site", "event"):
            _cancel_date(date, now)


def sync_event(event, *, now=None):
    """After `event` is published: its dates to come that took registrations are
    compared with the page. A date gone (removed, excluded from the repetition) is
    cancelled and everyone on it told; a date moved, or renamed, raises its revision
    and everyone is told the new time; a capacity changed is applied (never below the
    seats held) and a larger one served to the list at once."""
    now = now or timezone.now()
    occurrences = event.upcoming_registration_occurrences(now)
    dates = EventDate.objects.filter(event=event, cancelled_at__isnull=True, start__gt=now)
    for date in dates.select_related("structure__site", "event"):
        with transaction.atomic():
            occurrence = occurrences.get(date.key)
            if occurrence is None:
                _cancel_date(date, now)
                continue
            if (occurrence.start, occurrence.end, event.title) != (
                date.start,
                date.end,
                date.title,
            ):
                _move_date(date, occurrence, event.title)
            for pool in date.pools.all():
                pool.date = date
                _resize(pool, capacity_of(event, pool.mode), now)


def message_registrants(date, text, *, sent_by=None):
    """Staff's message about `date` (a change of time or place, a cancellation) to
    everyone confirmed, offered a seat or waiting, each by their channel: recorded in
    this transaction, sent after commit. Returns the DateMessage; raises InvalidDetails
    (field "text") when it is empty or would not fit one SMS with the date and link."""
    refuse_null_characters(text or "", field="text")
    text = " ".join((text or "").split())
    if not text:
        raise InvalidDetails(_("Please write the message."), field="text")
    link = f"{date.structure.public_url}/r/{'x' * ShortLink._meta.get_field('code').max_length}"
    try:
        if len(text) > DateMessage.TEXT_MAX_LENGTH:
            raise MessageTooLong
        date_message_text(date, text, link)
    except MessageTooLong:
        raise InvalidDetails(
            _(
                "This is too long for one text message with the date and the link: "
                "please shorten it."
            ),
            field="text",
        ) from None
    with transaction.atomic():
        message = DateMessage.objects.create(date=date, text=text, sent_by=sent_by)
        send_registrants_messaged(message, _live_registrations(date))
    return message


def _cancel_date(date, now):
    EventDate.objects.filter(pk=date.pk).update(cancelled_at=now, sequence=F("sequence") + 1)
    date.refresh_from_db()
    for current in _live_registrations(date):
        _set_status(current, Status.EVENT_CANCELLED, offer_expires_at=None)
        send_registration_changed(current, RegistrationChange.EVENT_CANCELLED, Actor.STAFF)
    SeatPool.objects.filter(date=date).update(seats_confirmed=0, seats_offered=0)


def _move_date(date, occurrence, title):
    """Everyone is told the new time; an offer held past the new cut-off ends at it."""
    EventDate.objects.filter(pk=date.pk).update(
        start=occurrence.start, end=occurrence.end, title=title, sequence=F("sequence") + 1
    )
    date.refresh_from_db()
    cutoff = rules_of(date).cutoff
    for current in _live_registrations(date):
        deadline = {}
        if current.status == Status.OFFERED:
            deadline["offer_expires_at"] = min(current.offer_expires_at, cutoff)
        _set_status(current, current.status, **deadline)
        send_registration_changed(current, RegistrationChange.MOVED, Actor.STAFF)


def _resize(pool, capacity, now):
    if capacity == pool.capacity:
        return
    held = F("seats_confirmed") + F("seats_offered")
    SeatPool.objects.filter(pk=pool.pk).update(
        capacity=None if capacity is None else Greatest(capacity, held)
    )
    pool.refresh_from_db()
    advance_queue(pool, now)


def _live_registrations(date):
    ids = date.registrations.filter(status__in=Registration.LIVE_STATUSES).values_list(
        "pk", flat=True
    )
    return [_locked(Registration(pk=pk)) for pk in ids]


# Seats: one conditional UPDATE each -----------------------------------------------------


def _room_for(seats):
    return Q(capacity__isnull=True) | Q(
        capacity__gte=F("seats_confirmed") + F("seats_offered") + seats
    )


def _take(pool, seats):
    """Confirmed seats, if they fit: the one check that counts."""
    return SeatPool.objects.filter(_room_for(seats), pk=pool.pk).update(
        seats_confirmed=F("seats_confirmed") + seats
    )


def _offer(pool, seats):
    return SeatPool.objects.filter(_room_for(seats), pk=pool.pk).update(
        seats_offered=F("seats_offered") + seats
    )


def _accept(pool, seats):
    return SeatPool.objects.filter(pk=pool.pk, seats_offered__gte=seats).update(
        seats_offered=F("seats_offered") - seats, seats_confirmed=F("seats_confirmed") + seats
    )


def _release(pool, counter, seats):
    SeatPool.objects.filter(pk=pool.pk, **{f"{counter}__gte": seats}).update(
        **{counter: F(counter) - seats}
    )


# Rows -------------------------------------------------------------------------------------


def _locked(registration):
    """The registration's row locked until commit (PostgreSQL; SQLite's IMMEDIATE
    transaction holds the write lock), read again with what its notices need."""
    current = (
        Registration.objects.select_for_update(of=("self",))
        .select_related(
            "date__structure__site",
            "date__event",
            "date__group_session__format",
            "pool",
            "young_person",
        )
        .get(pk=registration.pk)
    )
    current.pool.date = current.date
    return current


def _set_status(current, status, **fields):
    """Write the new state and raise the revision (every older link or form is then
    outdated); `current` is updated in place for the receivers."""
    Registration.objects.filter(pk=current.pk).update(
        status=status, sequence=F("sequence") + 1, updated_at=timezone.now(), **fields
    )
    current.refresh_from_db(fields=["status", "sequence", "updated_at", *fields])


# Reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModeSeats:
    """What a page says of one mode of one date: `left` None when uncapped; `full`
    when a newcomer would wait (no seat, or others waiting before them); `waiting_list`
    whether one may still join it (before the cut-off)."""

    mode: str
    label: str
    capacity: int | None
    left: int | None
    full: bool
    waiting_list: bool


@dataclass(frozen=True)
class DateSeats:
    occurrence: object
    modes: tuple

    @property
    def key(self):
        return self.occurrence.key


def seats(event, occurrences, *, now=None):
    """The seats of each of `occurrences` of `event` in each of its modes, in one query
    whatever their number (the event page, the registration form)."""
    [found] = seats_of_events([(event, occurrences)], now=now)
    return found


def seats_of_events(listed, *, now=None):
    """`seats` of several events at once, `listed` as (event, occurrences) pairs: one
    query whatever the number of events and dates (the API's list of events)."""
    now = now or timezone.now()
    keys = {occurrence.key for _event, occurrences in listed for occurrence in occurrences}
    pools = {
        (pool.date.event_id, pool.date.key, pool.mode): pool
        for pool in SeatPool.objects.filter(
            date__event__in=[event for event, _occurrences in listed], date__key__in=keys
        )
        .select_related("date")
        .annotate(waiting=Count("registrations", filter=Q(registrations__status=Status.WAITING)))
    }
    return [
        [
            DateSeats(
                occurrence,
                tuple(
                    _mode_seats(
                        event, mode, pools.get((event.pk, occurrence.key, mode)), occurrence, now
                    )
                    for mode in modes_of(event)
                ),
            )
            for occurrence in occurrences
        ]
        for event, occurrences in listed
    ]


def seats_change_at(event, occurrences, now):
    """The soonest moment after `now` the seats said of `occurrences` change by time
    alone: a date's cut-off (its waiting list closes) or its start (it takes no more
    registrations); None when none is to come."""
    moments = [
        moment
        for occurrence in occurrences
        for moment in (cutoff_of(event, occurrence.start), occurrence.start)
        if moment > now
    ]
    return min(moments, default=None)


def open_events(root):
    """The live, public event pages under `root` (a site's root page) taking
    registrations, their dates prefetched: the events app's model read by its name, as
    booking never imports events."""
    pages = apps.get_model("events", "EventPage").objects.live().public().descendant_of(root)
    return pages.filter(registrations_open=True).with_dates()


def _mode_seats(event, mode, pool, occurrence, now):
    capacity = pool.capacity if pool is not None else capacity_of(event, mode)
    held = pool.seats_confirmed + pool.seats_offered if pool is not None else 0
    left = None if capacity is None else max(capacity - held, 0)
    waiting = pool.waiting if pool is not None else 0
    return ModeSeats(
        mode=mode,
        label=Mode(mode).label,
        capacity=capacity,
        left=left,
        full=left is not None and (left == 0 or bool(waiting)),
        waiting_list=now < cutoff_of(event, occurrence.start),
    )
