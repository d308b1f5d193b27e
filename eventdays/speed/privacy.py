"""The speed meetings' part of booking's privacy (booking.services.privacy), heard
through its signals: a young person's wishes and schedules are in their export, and go
when their registrations are erased or purged (the seats with them: the plan of a day
past keeps its pros and its figures, not who sat where). The pros' contacts (e-mail,
consent, and an employer's name, which becomes their company's) go with the
structure's retention after their meeting; their table, company and job stay."""

from django.db.models import F, Q

from booking.models import Registration
from booking.services.signals import person_exported, registrations_anonymised, structure_purged

from ..models import Choice, Handover, Mark, Outcome, Pro, ProFollowUp, Seat, Wish


def connect():
    person_exported.connect(export, dispatch_uid="eventdays.speed.export")
    registrations_anonymised.connect(forget, dispatch_uid="eventdays.speed.forget")
    structure_purged.connect(purge_pros, dispatch_uid="eventdays.speed.purge")
    person_exported.connect(export_follow_ups, dispatch_uid="eventdays.after.export")
    registrations_anonymised.connect(forget_follow_ups, dispatch_uid="eventdays.after.forget")
    structure_purged.connect(purge_follow_ups, dispatch_uid="eventdays.after.purge")


def export(sender, person, **kwargs):
    registrations = Registration.objects.filter(young_person=person)
    wishes = Wish.objects.filter(registration__in=registrations).select_related(
        "pro", "registration__date"
    )
    seats = Seat.objects.filter(registration__in=registrations, published=True).select_related(
        "pro", "registration__date"
    )
    return {
        "speed_meeting_wishes": [
            {
                "registration": str(wish.registration.uuid),
                "event": wish.registration.date.title,
                "sector": str(wish.get_sector_display()) if wish.sector else None,
                "pro": wish.pro.label if wish.pro else None,
            }
            for wish in wishes.order_by("registration__created_at", "pk")
        ],
        "speed_meeting_schedules": [
            {
                "registration": str(seat.registration.uuid),
                "event": seat.registration.date.title,
                "round": seat.round + 1,
                "table": seat.pro.table,
                "pro": seat.pro.label,
            }
            for seat in seats.order_by("registration__created_at", "round")
        ],
    }


def forget(sender, registrations, **kwargs):
    ids = list(registrations.values_list("pk", flat=True))
    Wish.objects.filter(registration__in=ids).delete()
    Seat.objects.filter(registration__in=ids).delete()


def purge_pros(sender, structure, cutoff, **kwargs):
    old = Pro.objects.filter(meeting__date__structure=structure, meeting__date__end__lt=cutoff)
    old.filter(~Q(email="") | Q(consent_at__isnull=False)).update(email="", consent_at=None)
    old.filter(kind=Pro.Kind.EMPLOYER).exclude(name=F("company")).update(name=F("company"))


def export_follow_ups(sender, person, **kwargs):
    """After the day: whom they chose, who marked them, what came of it."""
    registrations = Registration.objects.filter(young_person=person)
    choices = Choice.objects.filter(registration__in=registrations).select_related(
        "pro", "registration__date"
    )
    marks = Mark.objects.filter(registration__in=registrations).select_related(
        "pro", "registration__date"
    )
    handovers = Handover.objects.filter(registration__in=registrations).select_related(
        "pro", "registration__date"
    )
    outcomes = Outcome.objects.filter(registration__in=registrations).select_related(
        "counsellor", "registration__date"
    )
    return {
        "speed_meeting_choices": [
            {
                "event": choice.registration.date.title,
                "rank": choice.rank,
                "pro": choice.pro.label,
                "contact_agreed_at": _when(choice.consent_at),
            }
            for choice in choices.order_by("registration__created_at", "rank")
        ],
        "speed_meeting_marked_by": [
            {"event": mark.registration.date.title, "pro": mark.pro.label}
            for mark in marks.order_by("registration__created_at", "pk")
        ],
        "speed_meeting_handovers": [
            {
                "event": handover.registration.date.title,
                "employer": handover.pro.company,
                "agreed_at": _when(handover.young_consent_at),
                "sent_at": _when(handover.sent_at),
            }
            for handover in handovers.order_by("registration__created_at", "pk")
        ],
        "speed_meeting_follow_ups": [
            {
                "event": outcome.registration.date.title,
                "counsellor": outcome.counsellor.label if outcome.counsellor else None,
                "reason": str(outcome.get_reason_display()) if outcome.reason else None,
            }
            for outcome in outcomes.order_by("registration__created_at")
        ],
    }


def _when(moment):
    return moment.isoformat() if moment else None


def forget_follow_ups(sender, registrations, **kwargs):
    ids = list(registrations.values_list("pk", flat=True))
    for model in (Choice, Mark, Handover, Outcome):
        model.objects.filter(registration__in=ids).delete()


def purge_follow_ups(sender, structure, cutoff, **kwargs):
    """An employer's consent to receive contacts goes with their e-mail."""
    ProFollowUp.objects.filter(
        pro__meeting__date__structure=structure,
        pro__meeting__date__end__lt=cutoff,
        consent_at__isnull=False,
    ).update(consent_at=None)
