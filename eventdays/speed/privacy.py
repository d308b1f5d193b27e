"""The speed meetings' part of booking's privacy (booking.services.privacy), heard
through its signals: a young person's wishes and schedules are in their export, and go
when their registrations are erased or purged (the seats with them: the plan of a day
past keeps its pros and its figures, not who sat where). The pros' contacts (e-mail,
consent, and an employer's name, which becomes their company's) go with the
structure's retention after their meeting; their table, company and job stay."""

from django.db.models import F, Q

from booking.models import Registration
from booking.services.signals import person_exported, registrations_anonymised, structure_purged

from ..models import Pro, Seat, Wish


def connect():
    person_exported.connect(export, dispatch_uid="eventdays.speed.export")
    registrations_anonymised.connect(forget, dispatch_uid="eventdays.speed.forget")
    structure_purged.connect(purge_pros, dispatch_uid="eventdays.speed.purge")


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
