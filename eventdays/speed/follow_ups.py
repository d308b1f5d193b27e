"""After an "Adopte un pro" day: the one writer of the choices, the marks, the follow-up
terms, the outcomes and the handovers (eventdays.models). Views and the admin call it;
the planner (eventdays.planning.follow_ups) decides who follows up with whom.

- From the end of the last round until `choices_close_at` (7 days later unless staff
  say otherwise), each young person ranks up to three of the people they met (the
  published seats of the rounds played) and may agree that an employer receives their
  first name and contact; each pro ticks the young people they met whom they would
  like to follow, a counsellor says how many they can take, an employer agrees to
  receive the contacts.
- Staff see the planner's answer (`preview`) and send it (`send`, once: the choices
  close): one booking invitation per counsellor follow-up (its link goes through
  booking's outbox), a handover e-mail to each employer with both consents, and to
  every young person who chose and has no invitation a message saying what happens
  next. A counsellor's marks rank first those who ranked them higher.
- `figures`: the share of young people with a mutual choice, the follow-ups sent,
  booked and attended, the handovers made.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from booking.models import Booking, Registration
from booking.notifications.outbox import SMS, channel_for_person
from booking.notifications.refusals import send_plain_email
from booking.services.invitations import invite
from booking.services.sms import Parts, fit
from core.sms import gsm7, send_sms
from core.sms.hours import next_sending_time

from ..models import Choice, FollowUpTerms, Handover, Mark, Outcome, Pro, ProFollowUp, Seat
from ..planning import follow_ups as planner
from .schedules import names
from .services import Refused
from .timetable import Phase, moment, round_end, rounds_played

MAX_CHOICES = 3
OPEN_FOR = timedelta(days=7)
Reason = Outcome.Reason


# When -----------------------------------------------------------------------------------


def terms(meeting):
    """The meeting's terms, stored or (unsaved) the default: choices close 7 days after
    the last round."""
    stored = FollowUpTerms.objects.filter(meeting=meeting).first()
    if stored is not None:
        return stored
    return FollowUpTerms(
        meeting=meeting, choices_close_at=round_end(meeting, meeting.rounds - 1) + OPEN_FOR
    )


def set_terms(meeting, *, choices_close_at, format=None):
    """Staff's closing time and format. Raises Refused once the follow-ups are sent."""
    if format is not None and format.structure_id != meeting.date.structure_id:
        raise Refused(_("Choose a format of this structure."), field="format")
    with transaction.atomic():
        row, _created = FollowUpTerms.objects.select_for_update().get_or_create(
            meeting=meeting, defaults={"choices_close_at": choices_close_at}
        )
        if row.sent_at is not None:
            raise Refused(_("The follow-ups are sent: the choices are closed."))
        row.choices_close_at, row.format = choices_close_at, format
        row.save(update_fields=["choices_close_at", "format"])
    return row


def is_open(meeting, row, now):
    """Choices are made from the end of the day until they close or are sent."""
    return (
        moment(meeting, now).phase == Phase.OVER
        and now < row.choices_close_at
        and row.sent_at is None
    )


# The young people's choices -------------------------------------------------------------


def met(registration, *, now=None):
    """The pros this registration met: its published seats of the rounds played, in
    round order (one query)."""
    meeting = registration.date.speed_meeting
    seats = Seat.objects.filter(
        registration=registration,
        published=True,
        round__lt=rounds_played(meeting, now or timezone.now()),
    ).select_related("pro")
    return list(dict.fromkeys(seat.pro for seat in seats.order_by("round")))


def set_choices(registration, pros, *, consents=(), now=None):
    """Replace the registration's choices by `pros`, best first (None: no choice at that
    rank); `consents`: the employers among them that may receive the first name and
    contact. Raises Refused."""
    now = now or timezone.now()
    meeting = registration.date.speed_meeting
    if not is_open(meeting, terms(meeting), now):
        raise Refused(_("Choices are closed for this day."))
    ranked = [pro for pro in pros if pro is not None]
    if len(ranked) > MAX_CHOICES:
        raise Refused(_("Choose up to %(count)s people.") % {"count": MAX_CHOICES})
    if len({pro.pk for pro in ranked}) < len(ranked):
        raise Refused(_("You chose the same person twice: choose someone else or leave it empty."))
    known = {pro.pk for pro in met(registration, now=now)}
    if any(pro.pk not in known for pro in ranked):
        raise Refused(_("Choose among the people you met."))
    agreed = {pro.pk for pro in consents}
    with transaction.atomic():
        # Two saves at once: one after the other.
        Registration.objects.select_for_update().values_list("pk").get(pk=registration.pk)
        Choice.objects.filter(registration=registration).delete()
        Choice.objects.bulk_create(
            Choice(
                registration=registration,
                pro=pro,
                rank=rank,
                consent_at=now if pro.kind == Pro.Kind.EMPLOYER and pro.pk in agreed else None,
            )
            for rank, pro in enumerate(ranked, start=1)
        )


# The pros' marks ------------------------------------------------------------------------


def met_by(pro, *, now=None):
    """The registrations seated at `pro`'s table in the rounds played, with the round
    (from 0) and their first name as pages show it: [(registration, round, name)]."""
    meeting = pro.meeting
    seats = list(
        Seat.objects.filter(
            pro=pro, published=True, round__lt=rounds_played(meeting, now or timezone.now())
        )
        .select_related("registration__young_person")
        .order_by("round", "registration__created_at")
    )
    shown = names(list({seat.registration_id: seat.registration for seat in seats}.values()))
    seen, rows = set(), []
    for seat in seats:
        if seat.registration_id not in seen:
            seen.add(seat.registration_id)
            rows.append((seat.registration, seat.round, shown[seat.registration_id]))
    return rows


def pro_follow_up(pro):
    """The pro's row, stored or (unsaved) the default."""
    return ProFollowUp.objects.filter(pro=pro).first() or ProFollowUp(pro=pro)


def set_marks(pro, registration_ids, *, consent=False, capacity=None, now=None):
    """The young people `pro` would like to follow (ids of those they met), and, for a
    counsellor, how many they can take; for an employer, their consent to receive
    contacts. Raises Refused."""
    now = now or timezone.now()
    meeting = pro.meeting
    if not is_open(meeting, terms(meeting), now):
        raise Refused(_("Choices are closed for this day."))
    known = {registration.pk for registration, _round, _name in met_by(pro, now=now)}
    chosen = set(registration_ids)
    if not chosen <= known:
        raise Refused(_("Choose among the young people you met."), field="young")
    if capacity is not None and not 0 <= capacity <= 50:
        raise Refused(_("Between 0 and 50 follow-ups."), field="capacity")
    with transaction.atomic():
        Pro.objects.select_for_update().values_list("pk").get(pk=pro.pk)
        Mark.objects.filter(pro=pro).delete()
        Mark.objects.bulk_create(Mark(pro=pro, registration_id=pk) for pk in sorted(chosen))
        row, _created = ProFollowUp.objects.get_or_create(pro=pro)
        row.marked_at = now
        if pro.kind == Pro.Kind.COUNSELLOR and capacity is not None:
            row.capacity = capacity
        if pro.kind == Pro.Kind.EMPLOYER:
            row.consent_at = (row.consent_at or now) if consent else None
        row.save()


# The answer -----------------------------------------------------------------------------


@dataclass
class Line:
    """One young person's answer, with the rows behind it."""

    registration: Registration
    name: str
    choices: list  # Choice rows, by rank
    answer: planner.Answer
    counsellor: Pro | None = None
    handovers: list = field(default_factory=list)  # (Pro, young consent, employer consent)
    awaiting: list = field(default_factory=list)  # employers mutual without both consents
    reason: str = ""

    @property
    def rank(self):
        """The rank they gave their counsellor (1 = their first choice)."""
        for choice in self.choices:
            if self.counsellor is not None and choice.pro_id == self.counsellor.pk:
                return choice.rank
        return None

    @property
    def words(self):
        """Why, in the words staff and the young person read."""
        if self.counsellor is not None and self.answer.passed_over:
            return _("counsellor full: directed to your choice no. %(rank)s") % {"rank": self.rank}
        return str(REASONS.get(self.reason, ""))


REASONS = {
    Reason.NO_CHOICE: gettext_lazy("no choice made"),
    Reason.NOT_CHOSEN_BACK: gettext_lazy(
        "no mutual choice: a counsellor of the structure will contact you"
    ),
    Reason.COUNSELLORS_FULL: gettext_lazy(
        "counsellor full: a counsellor of the structure will contact you"
    ),
    Reason.NO_CONSENT: gettext_lazy(
        "contact not passed on without both agreements: a counsellor of the structure "
        "will contact you"
    ),
}


def preview(meeting, *, now=None):
    """Every young person's answer as sending would give it, in six queries."""
    now = now or timezone.now()
    played = rounds_played(meeting, now)
    pros = {
        pro.pk: pro
        for pro in meeting.pros.select_related("counsellor", "follow_up").prefetch_related(
            "counsellor__formats"
        )
    }
    met_ids = set(
        Seat.objects.filter(meeting=meeting, published=True, round__lt=played).values_list(
            "registration_id", flat=True
        )
    )
    registrations = list(
        Registration.objects.filter(pk__in=met_ids)
        .select_related("young_person")
        .order_by("created_at", "pk")
    )
    choices = defaultdict(list)
    for choice in Choice.objects.filter(registration__in=met_ids, pro__in=pros).order_by("rank"):
        choice.pro = pros[choice.pro_id]
        choices[choice.registration_id].append(choice)
    marked = defaultdict(set)
    for pro_id, registration_id in Mark.objects.filter(pro__in=pros).values_list(
        "pro_id", "registration_id"
    ):
        marked[pro_id].add(registration_id)
    counsellors = {
        pk: pro
        for pk, pro in pros.items()
        if pro.kind == Pro.Kind.COUNSELLOR and pro.counsellor_id is not None
    }

    def rank_of(pro_id, registration_id):
        for choice in choices[registration_id]:
            if choice.pro_id == pro_id:
                return choice.rank
        return MAX_CHOICES + 1

    answers = planner.follow_ups(
        [row.pk for row in registrations],
        [
            planner.Choice(pk, tuple(choice.pro_id for choice in rows))
            for pk, rows in choices.items()
        ],
        [
            planner.Marks(pro_id, tuple(sorted(people, key=lambda pk: (rank_of(pro_id, pk), pk))))
            for pro_id, people in marked.items()
        ],
        {pk: _capacity(pro) for pk, pro in counsellors.items()},
    )
    shown = names(registrations)
    lines = []
    for registration in registrations:
        answer = answers[registration.pk]
        line = Line(registration, shown[registration.pk], choices[registration.pk], answer)
        line.counsellor = pros.get(answer.counsellor)
        young_consent = {choice.pro_id: choice.consent_at for choice in choices[registration.pk]}
        for handover in answer.handovers:
            employer = pros[handover.employer]
            employer_consent = getattr(_stored(employer), "consent_at", None)
            if young_consent.get(employer.pk) and employer_consent:
                line.handovers.append((employer, young_consent[employer.pk], employer_consent))
            else:
                line.awaiting.append(employer)
        if answer.reason:
            line.reason = answer.reason
        elif line.counsellor is None and not line.handovers:
            line.reason = Reason.NO_CONSENT
        lines.append(line)
    return lines


def _stored(pro):
    try:
        return pro.follow_up
    except ProFollowUp.DoesNotExist:
        return None


def _capacity(pro):
    row = _stored(pro)
    return row.capacity if row is not None else ProFollowUp._meta.get_field("capacity").default


def default_format(counsellor, chosen=None):
    """The format of a counsellor's follow-up: staff's if the counsellor offers it, else
    their first one-to-one one for a first meeting."""
    offered = [
        format
        for format in counsellor.formats.all()
        if format.active and not format.is_group and format.allows_stage(first_meeting=True)
    ]
    if chosen is not None and any(format.pk == chosen.pk for format in offered):
        return chosen
    return min(offered, key=lambda format: (format.sort_order, format.name), default=None)


def send(meeting, *, by=None, now=None):
    """Close the choices and send the preview's answer, once: a second call sends
    nothing (the terms row is locked and marked sent). Returns the number of young
    people told (invitation or message)."""
    now = now or timezone.now()
    with transaction.atomic():
        row, _created = FollowUpTerms.objects.select_for_update().get_or_create(
            meeting=meeting, defaults={"choices_close_at": terms(meeting).choices_close_at}
        )
        if row.sent_at is not None:
            return 0
        lines = preview(meeting, now=now)
        told = 0
        employers = defaultdict(list)
        for line in lines:
            outcome = Outcome(
                meeting=meeting,
                registration=line.registration,
                counsellor=line.counsellor,
                mutual=bool(line.answer.mutual),
                reason=line.reason,
            )
            person = line.registration.young_person
            contact = _contact(person, meeting.structure) if person else None
            if line.counsellor is not None and contact:
                format = default_format(line.counsellor.counsellor, row.format)
                if format is not None:
                    outcome.invitation = invite(
                        counsellor=line.counsellor.counsellor,
                        format=format,
                        contact=contact,
                        created_by=by,
                        now=now,
                    )
            for employer, young_consent, employer_consent in line.handovers if person else ():
                Handover.objects.create(
                    registration=line.registration,
                    pro=employer,
                    young_consent_at=young_consent,
                    employer_consent_at=employer_consent,
                    sent_at=now,
                )
                employers[employer].append((line.name, person.email or person.phone))
            if outcome.invitation is not None:
                outcome.told_at, told = now, told + 1
            elif line.reason != Reason.NO_CHOICE and contact:
                outcome.told_at, told = now, told + 1
                transaction.on_commit(
                    lambda p=person, said=line: _tell(p, meeting.structure, said, now)
                )
            outcome.save()
        FollowUpTerms.objects.filter(pk=row.pk).update(sent_at=now)
        for employer, people in employers.items():
            transaction.on_commit(lambda e=employer, p=people: _hand_over(e, p))
    return told


def _contact(person, structure):
    channel = channel_for_person(person, lambda: structure)
    if channel == SMS:
        return person.phone
    return person.email if channel else None


def _message(line):
    """What a young person without an invitation reads: the handovers made, or why
    nothing, and that a counsellor of the structure contacts them."""
    if line.handovers:
        return _("%(employers)s received your first name and contact and will get in touch.") % {
            "employers": ", ".join(employer.company for employer, *_rest in line.handovers)
        }
    return _("After Adopte un pro: %(why)s.") % {"why": REASONS[line.reason]}


def _tell(person, structure, line, now):
    """The message, by the person's channel, in the site's language, off the request;
    an SMS waits for the end of the quiet hours when the task backend can wait."""
    with translation.override(settings.LANGUAGE_CODE), timezone.override(structure.zone):
        text = _message(line)
        if _contact(person, structure) == person.phone and person.phone:
            task, at = tell_by_sms, next_sending_time(now, structure.zone)
            if at > now and task.get_backend().supports_defer:
                task = task.using(run_after=at)
            task.enqueue(person.phone, sms_text(person.first_name, text, structure.name))
        else:
            subject = _("Adopte un pro: what happens next")
            body = render_to_string(
                "eventdays/speed/follow_ups_young_email.txt",
                {"name": person.first_name, "text": text, "structure": structure.name},
            )
            send_plain_email.enqueue(person.email, subject, body, structure.from_email)


def sms_text(first_name, text, structure_name):
    """One GSM-7 segment: the structure's name, then the first name, dropped first."""
    return fit(
        lambda version: gsm7.normalise(
            " ".join(
                part
                for part in (f"{version.name}," if version.name else "", text, version.structure)
                if part
            )
        ),
        Parts(name=first_name, structure=structure_name),
    )


@task()
def tell_by_sms(to, text):
    send_sms(to, text)


def _hand_over(employer, people):
    """The employer's e-mail: the first names and contacts given with both consents."""
    structure = employer.meeting.structure
    if not employer.email:
        return
    with translation.override(settings.LANGUAGE_CODE), timezone.override(structure.zone):
        subject = _("Adopte un pro: the young people who would like to hear from you")
        body = render_to_string(
            "eventdays/speed/follow_ups_handover_email.txt",
            {"employer": employer, "people": people, "structure": structure.name},
        )
    send_plain_email.enqueue(employer.email, subject, body, structure.from_email)


def outcomes(meeting):
    """What was sent, for staff: [(name, outcome, handed over to)] (three queries)."""
    rows = list(
        Outcome.objects.filter(meeting=meeting)
        .select_related("registration__young_person", "counsellor", "invitation")
        .order_by("registration__created_at", "registration_id")
    )
    given = defaultdict(list)
    for handover in Handover.objects.filter(pro__meeting=meeting).select_related("pro"):
        given[handover.registration_id].append(handover.pro)
    shown = names([row.registration for row in rows])
    return [(shown[row.registration_id], row, given[row.registration_id]) for row in rows]


# Figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    young: int  # who met at least one pro
    chose: int
    mutual: int  # with at least one mutual choice
    sent: int  # counsellor invitations
    booked: int
    attended: int
    handovers: int
    sent_at: object

    @property
    def mutual_share(self):
        return round(100 * self.mutual / self.young) if self.young else 0


def figures(meeting, *, lines=None, now=None):
    """The staff's figures: from the outcomes once sent, else from the preview (`lines`,
    when the caller has it)."""
    row = terms(meeting)
    if row.sent_at is None:
        lines = preview(meeting, now=now) if lines is None else lines
        return Figures(
            young=len(lines),
            chose=sum(1 for line in lines if line.choices),
            mutual=sum(1 for line in lines if line.answer.mutual),
            sent=0,
            booked=0,
            attended=0,
            handovers=0,
            sent_at=None,
        )
    outcomes = list(
        Outcome.objects.filter(meeting=meeting).select_related(
            "invitation", "registration__young_person"
        )
    )
    invitations = [outcome.invitation for outcome in outcomes if outcome.invitation]
    bookings = _bookings_of(invitations)
    return Figures(
        young=len(outcomes),
        chose=sum(1 for outcome in outcomes if outcome.reason != Reason.NO_CHOICE),
        mutual=sum(1 for outcome in outcomes if outcome.mutual),
        sent=len(invitations),
        booked=sum(1 for invitation in invitations if invitation.used_at),
        attended=sum(
            1 for booking in bookings.values() if booking.status == Booking.Status.ATTENDED
        ),
        handovers=Handover.objects.filter(pro__meeting=meeting).count(),
        sent_at=row.sent_at,
    )


def _bookings_of(invitations):
    """The booking made through each used invitation (one query): the counsellor's
    booking from an invitation to its contact, made when it was used."""
    used = [invitation for invitation in invitations if invitation.used_at]
    if not used:
        return {}
    found = Booking.objects.filter(
        source=Booking.Source.INVITATION,
        counsellor__in={invitation.counsellor_id for invitation in used},
        created_at__gte=min(invitation.created_at for invitation in used),
    ).select_related("young_person")
    by_key = {}
    for booking in found:
        person = booking.young_person
        for contact in (person.email, person.phone) if person else ():
            if contact:
                by_key.setdefault((booking.counsellor_id, contact.lower()), booking)
    return {
        invitation.pk: by_key[key]
        for invitation in used
        if (key := (invitation.counsellor_id, invitation.contact.lower())) in by_key
    }
