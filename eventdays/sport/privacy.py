"""The sport days' part of a young person's export (booking.services.privacy asks
through `person_exported`): the teams they played in and how those teams did. Their
membership reaches them only through their registration, which erasure and the purge
leave naming nobody, so nothing here needs erasing on its own."""

from django.dispatch import receiver

from booking.services.signals import person_exported

from .models import TeamMember


@receiver(person_exported)
def export_teams(sender, person, **kwargs):
    members = TeamMember.objects.filter(registration__young_person=person).select_related(
        "team__sport_day__date"
    )
    return {
        "sport_days": [
            {
                "event": member.team.sport_day.date.title,
                "registration": str(member.registration.uuid),
                "team": member.team.name,
                "team_fair_play": member.team.fair_play,
            }
            for member in members.select_related("registration")
        ]
    }
