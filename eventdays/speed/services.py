"""The one writer of the speed meetings' rows (eventdays.models): a meeting set up on an
event date, its pros, the young people's wishes, the plan (drafted, moved by staff,
published, re-planned at check-in) and the round being played. Views and the admin
call these; the planner (eventdays.planning.speed_meeting) decides who sits where.

A plan's young people are the date's registrations that hold a seat or came
(`PLANNED`), and those a stored plan seats whatever became of them since, who are
absent if they no longer hold a seat or did not come: one registration is one person
at the tables (a friend who came along sits with them). Planner ids are the rows' pks.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from booking.models import Registration
from booking.notifications.refusals import send_plain_email

from ..models import Pro, Seat, SpeedMeeting, Wish
from ..planning import speed_meeting as planner
from .timetable import Phase, moment, rounds_played

Status = Registration.Status
PLANNED = (Status.CONFIRMED, Status.ATTENDED)
MAX_WISHES = 3
# Rules a published plan may not break; staff may publish uneven breaks or two pros of
# one company in a row if they choose to.
BLOCKING = (
    planner.MetTwice,
    planner.OverCapacity,
    planner.AtTwoTables,
    planner.NotThere,
    planner.TableClosed,
)


class Refused(Exception):
    """What was asked cannot be done: `message` in plain words, about `field` (a
    form's field, or None for the whole request)."""

    def __init__(self, message, *, field=None):
        self.message, self.field = message, field
        super().__init__(str(message))


def set_up(date, *, rounds=8, round_minutes=10, change_minutes=2, first_round_at=None):
    """The meeting of `date` (made once: asking again returns it)."""
    meeting, _created = SpeedMeeting.objects.get_or_create(
        date=date,
        defaults={
            "rounds": rounds,
            "round_minutes": round_minutes,
            "change_minutes": change_minutes,
            "first_round_at": first_round_at or date.start,
        },
    )
    return meeting


def change_settings(meeting, *, rounds, round_minutes, change_minutes, first_round_at):
    """Fewer rounds drop the seats of the rounds removed."""
    with transaction.atomic():
        SpeedMeeting.objects.filter(pk=meeting.pk).update(
            rounds=rounds,
            round_minutes=round_minutes,
            change_minutes=change_minutes,
            first_round_at=first_round_at,
        )
        meeting.seats.filter(round__gte=rounds).delete()
        meeting.refresh_from_db()
    return meeting


def new_pros_link(meeting):
    """A new key: the pros' links sent so far stop working."""
    meeting.pros_key = SpeedMeeting._meta.get_field("pros_key").default()
    meeting.save(update_fields=["pros_key"])
    return meeting


# The pros -------------------------------------------------------------------------------


@dataclass
class ProDetails:
    kind: str
    name: str
    company: str = ""
    job: str = ""
    sector: str = ""
    seats: int = 1
    email: str = ""
    counsellor: object = None

    def cleaned(self):
        """Stripped, and the rules the database would refuse, in plain words."""
        self.name, self.company, self.job = (
            value.strip() for value in (self.name, self.company, self.job)
        )
        self.email = self.email.strip().lower()
        if self.kind == Pro.Kind.EMPLOYER and not self.company:
            raise Refused(_("Please give the name of your company."), field="company")
        if self.kind == Pro.Kind.COUNSELLOR and self.counsellor is not None and not self.name:
            self.name = self.counsellor.first_name
        if not self.name:
            raise Refused(_("Please give the name to show."), field="name")
        if not 1 <= self.seats <= 10:
            raise Refused(_("A table seats between 1 and 10 young people."), field="seats")
        return self


def add_pro(meeting, details, *, source, consent=False, now=None):
    """A new table, numbered after the last (one at a time: the meeting's row is locked).
    Raises Refused (a counsellor already at a table: field "counsellor")."""
    details = details.cleaned()
    if source == Pro.Source.LINK and not consent:
        raise Refused(
            _("Please confirm that you agree to how we use your details."), field="consent"
        )
    now = now or timezone.now()
    with transaction.atomic():
        SpeedMeeting.objects.select_for_update().filter(pk=meeting.pk).first()
        if (
            details.counsellor is not None
            and meeting.pros.filter(counsellor=details.counsellor).exists()
        ):
            raise Refused(
                _("This counsellor already has a table at this meeting."), field="counsellor"
            )
        last = meeting.pros.aggregate(last=Max("table"))["last"] or 0
        pro = Pro.objects.create(
            meeting=meeting,
            table=last + 1,
            source=source,
            consent_at=now if consent else None,
            **vars(details),
        )
        _draft_changed(meeting, now)
    return pro


def email_pro_their_page(pro, url):
    """The pro's own page (`url`, signed) by e-mail once the table is theirs: the page
    the form leads to is not one people keep, and it is where they see who comes."""
    if not pro.email:
        return
    structure = pro.meeting.structure
    with translation.override(settings.LANGUAGE_CODE), timezone.override(structure.zone):
        subject = _("Adopte un pro: your table %(table)s") % {"table": pro.table}
        body = render_to_string(
            "eventdays/speed/pro_page_email.txt",
            {"pro": pro, "date": pro.meeting.date, "url": url, "structure": structure.name},
        )
    transaction.on_commit(
        lambda: send_plain_email.enqueue(pro.email, subject, body, structure.from_email)
    )


def change_pro(pro, details, *, now=None):
    details = details.cleaned()
    with transaction.atomic():
        if (
            details.counsellor is not None
            and pro.meeting.pros.filter(counsellor=details.counsellor).exclude(pk=pro.pk).exists()
        ):
            raise Refused(
                _("This counsellor already has a table at this meeting."), field="counsellor"
            )
        for name, value in vars(details).items():
            setattr(pro, name, value)
        pro.save()
        _draft_changed(pro.meeting, now or timezone.now())
    return pro


def remove_pro(pro, *, now=None):
    """The pro and their seats in every plan; the tables keep their numbers."""
    with transaction.atomic():
        meeting = pro.meeting
        pro.delete()
        _draft_changed(meeting, now or timezone.now())


def mark_pro_gone(pro, *, now=None):
    """At check-in or during the day: the pro did not come, or has left. Their table
    takes nobody from the next round not yet played; a re-plan seats its young people
    elsewhere (the rounds played keep who met them)."""
    now = now or timezone.now()
    with transaction.atomic():
        Pro.objects.filter(pk=pro.pk).update(gone_from=rounds_played(pro.meeting, now))
        _draft_changed(pro.meeting, now)
    pro.refresh_from_db()
    return pro


def mark_pro_back(pro, *, now=None):
    """Marked gone by mistake, or back: their table takes young people again."""
    with transaction.atomic():
        Pro.objects.filter(pk=pro.pk).update(gone_from=None)
        _draft_changed(pro.meeting, now or timezone.now())
    pro.refresh_from_db()
    return pro


# Wishes ---------------------------------------------------------------------------------


def set_wishes(registration, *, sectors=(), pros=()):
    """The registration's wishes, replacing those it had: up to MAX_WISHES in all, pros of
    its own meeting only. Raises Refused."""
    sectors, pros = list(dict.fromkeys(sectors)), list(dict.fromkeys(pros))
    if len(sectors) + len(pros) > MAX_WISHES:
        raise Refused(
            _("Choose up to %(count)s wishes in all.") % {"count": MAX_WISHES}, field="pros"
        )
    meeting = registration.date.speed_meeting
    if any(pro.meeting_id != meeting.pk for pro in pros):
        raise Refused(_("Choose among the pros of this meeting."), field="pros")
    with transaction.atomic():
        # One answer at a time (two tabs sent at once): the registration's row is locked.
        Registration.objects.select_for_update().filter(pk=registration.pk).first()
        Wish.objects.filter(registration=registration).delete()
        Wish.objects.bulk_create(
            [Wish(registration=registration, sector=sector) for sector in sectors]
            + [Wish(registration=registration, pro=pro) for pro in pros]
        )


# The plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """A stored plan as the planner sees it, with the rows behind its ids."""

    plan: planner.Plan
    pros: dict  # pk -> Pro, in table order
    registrations: dict  # pk -> Registration (young_person read)


def state(meeting, *, published, now=None):
    """The draft or the published plan, in four queries whatever its size; the rounds
    played by `now` are what happened (checking them, nobody is missing from them)."""
    pros = {pro.pk: pro for pro in meeting.pros.select_related("counsellor")}
    seats = list(
        Seat.objects.filter(meeting=meeting, published=published).values_list(
            "round", "pro_id", "registration_id"
        )
    )
    seated_ids = {registration for _round, _pro, registration in seats}
    rows = (
        meeting.date.registrations.filter(status__in=PLANNED)
        | meeting.date.registrations.filter(pk__in=seated_ids)
    ).select_related("young_person")
    registrations = {row.pk: row for row in rows.order_by("created_at", "pk")}
    wishes = defaultdict(lambda: ([], []))
    for registration_id, sector, pro_id in Wish.objects.filter(
        registration__in=list(registrations)
    ).values_list("registration_id", "sector", "pro_id"):
        named, sectors = wishes[registration_id]
        if pro_id is not None:
            named.append(pro_id)
        else:
            sectors.append(sector)
    people = tuple(
        planner.YoungPerson(
            id=pk,
            wished_pros=tuple(pro for pro in wishes[pk][0] if pro in pros),
            wished_sectors=tuple(wishes[pk][1]),
        )
        for pk in registrations
    )
    meeting_input = planner.SpeedMeeting(
        pros=tuple(_planner_pro(pro) for pro in pros.values()),
        young_people=people,
        rounds=meeting.rounds,
    )
    at = defaultdict(list)
    for number, pro, registration in sorted(seats):
        if pro in pros and number < meeting.rounds:
            at[number, pro].append(registration)
    rounds = tuple(
        planner.Round(tuple(planner.Table(pro, tuple(at[number, pro])) for pro in pros))
        for number in range(meeting.rounds)
    )
    absent = frozenset(pk for pk, row in registrations.items() if row.status not in PLANNED)
    played = rounds_played(meeting, now or timezone.now())
    return State(planner.Plan(meeting_input, rounds, absent, played), pros, registrations)


def _planner_pro(pro):
    """Two tables of one company (its name, whatever its case) are kept apart."""
    company = pro.company.strip().casefold() if pro.kind == Pro.Kind.EMPLOYER else None
    return planner.Pro(
        id=pro.pk,
        company=company or None,
        sector=pro.sector or None,
        seats=pro.seats,
        leaves=pro.gone_from,
    )


def draft(meeting, *, now=None):
    """A new draft of the whole day from the registrations and wishes as they are;
    once the first round started, only a re-plan keeps what was played."""
    if rounds_played(meeting, now or timezone.now()):
        raise Refused(_("The meeting has started: re-plan it instead, to keep the rounds played."))
    current = state(meeting, published=False, now=now)
    fresh = planner.plan(
        planner.SpeedMeeting(
            current.plan.meeting.pros,
            tuple(
                person
                for person in current.plan.meeting.young_people
                if person.id not in current.plan.absent
            ),
            meeting.rounds,
        )
    )
    _write(meeting, fresh, published=False, now=now)
    return fresh


def replan(meeting, *, now=None):
    """At check-in or during the day: the rounds played and the one under way kept as
    published, those who did not come (or cancelled) seated no more, and whoever is
    there without a seat in the plan (a walk-in, a late registration) seated from the
    next round. Written as the draft, for staff to review and publish."""
    now = now or timezone.now()
    base = state(meeting, published=meeting.published_at is not None, now=now)
    played = rounds_played(meeting, now)
    seated = {person for round_ in base.plan.rounds for person in round_.seated()}
    arrivals = [
        planner.YoungPerson(
            id=person.id,
            wished_pros=person.wished_pros,
            wished_sectors=person.wished_sectors,
            arrives=played,
        )
        for person in base.plan.meeting.young_people
        if person.id not in seated and person.id not in base.plan.absent
    ]
    fresh = planner.replan(base.plan, played=played, absent=base.plan.absent, arrivals=arrivals)
    _write(meeting, fresh, published=False, now=now)
    return fresh


def move(meeting, registration_id, number, pro_id, *, now=None):
    """In the draft, the young person at `pro_id`'s table in round `number`, or on a
    break (`pro_id` None); checking the draft is the page's (`check`)."""
    if not 0 <= number < meeting.rounds:
        raise Refused(_("This round does not exist."), field="round")
    if pro_id is not None and not meeting.pros.filter(pk=pro_id).exists():
        raise Refused(_("This table does not exist."), field="pro")
    if not meeting.date.registrations.filter(pk=registration_id).exists():
        raise Refused(_("This young person is not registered."), field="registration")
    with transaction.atomic():
        Seat.objects.filter(
            meeting=meeting, published=False, round=number, registration_id=registration_id
        ).delete()
        if pro_id is not None:
            Seat.objects.create(
                meeting=meeting,
                published=False,
                round=number,
                pro_id=pro_id,
                registration_id=registration_id,
            )
        _draft_changed(meeting, now or timezone.now())


def publish(meeting, *, now=None):
    """The draft becomes what the young people, the pros and the big screen see.
    Raises Refused while it breaks a rule of `BLOCKING`."""
    now = now or timezone.now()
    with transaction.atomic():
        SpeedMeeting.objects.select_for_update().filter(pk=meeting.pk).first()
        current = state(meeting, published=False, now=now)
        if any(isinstance(issue, BLOCKING) for issue in planner.check(current.plan)):
            raise Refused(_("The draft breaks a rule below: correct it before publishing."))
        meeting.seats.filter(published=True).delete()
        Seat.objects.bulk_create(
            Seat(
                meeting=meeting,
                published=True,
                round=seat.round,
                pro_id=seat.pro_id,
                registration_id=seat.registration_id,
            )
            for seat in meeting.seats.filter(published=False)
        )
        SpeedMeeting.objects.filter(pk=meeting.pk).update(published_at=now, draft_changed_at=None)
    meeting.refresh_from_db()


def round_to_start(meeting, now):
    """The round staff would start now: the next one, or the one the timetable waits
    for; `meeting.rounds` to end the day after the last; None once it is over."""
    at = moment(meeting, now)
    if at.phase == Phase.OVER:
        return None
    return at.round + 1 if at.phase == Phase.ROUND else at.round


def next_round(meeting, *, starting, now=None):
    """Staff start round `starting` now, the one their page offered to start
    (`round_to_start`): a second click, or a colleague's, does not skip a round.
    Returns whether it started."""
    now = now or timezone.now()
    if starting is None or round_to_start(meeting, now) != starting:
        return False
    moved = SpeedMeeting.objects.filter(pk=meeting.pk, round_playing=meeting.round_playing).update(
        round_playing=starting, round_started_at=now
    )
    meeting.refresh_from_db()
    return bool(moved)


def _write(meeting, plan, *, published, now):
    with transaction.atomic():
        meeting.seats.filter(published=published).delete()
        Seat.objects.bulk_create(
            Seat(
                meeting=meeting,
                published=published,
                round=number,
                pro_id=table.pro,
                registration_id=person,
            )
            for number, round_ in enumerate(plan.rounds)
            for table in round_.tables
            for person in table.young
        )
        _draft_changed(meeting, now or timezone.now())


def _draft_changed(meeting, now):
    SpeedMeeting.objects.filter(pk=meeting.pk).update(draft_changed_at=now)
    meeting.draft_changed_at = now


def drop_seats(registration):
    """A registration that no longer holds a seat leaves the plans of a day to come."""
    Seat.objects.filter(registration=registration, meeting__date__start__gt=timezone.now()).delete()
