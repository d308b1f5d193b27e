"""The four ways to meet that young people asked for at the Sprint Créa Jeunes.

Created only when missing (found by slug), so editors' changes are never overwritten.
"""

from django.db import migrations

FORMATS = [
    {
        "slug": "individuel",
        "name": "Rendez-vous individuel",
        "description": (
            "Un moment rien qu'à toi avec ton conseiller ou ta conseillère, pour parler de "
            "ton projet, de ta formation, de ton emploi ou de ce qui te bloque."
        ),
        "duration_minutes": 45,
        "capacity": 1,
        "buffer_after_minutes": 15,
        "minimum_notice_hours": 24,
        "horizon_days": 60,
        "place_kinds": ["structure", "phone", "video", "home"],
        "meeting_stage": "any",
        "sort_order": 10,
    },
    {
        "slug": "cafe",
        "name": "Un café pour se rencontrer",
        "description": (
            "Une première rencontre détendue dans un café du centre-ville, sans dossier ni "
            "formulaire : on fait connaissance et tu poses toutes tes questions."
        ),
        "duration_minutes": 30,
        "capacity": 1,
        "buffer_after_minutes": 15,
        "minimum_notice_hours": 24,
        "horizon_days": 30,
        "place_kinds": ["public_place"],
        "meeting_stage": "first",
        "sort_order": 20,
    },
    {
        "slug": "jeu",
        "name": "Autour d'un jeu",
        "description": (
            "On parle de toi et de tes envies autour d'un jeu de cartes ou de plateau : "
            "plus facile que face à un bureau."
        ),
        "duration_minutes": 60,
        "capacity": 1,
        "buffer_after_minutes": 15,
        "minimum_notice_hours": 24,
        "horizon_days": 60,
        "place_kinds": ["structure", "public_place"],
        "meeting_stage": "any",
        "sort_order": 30,
    },
    {
        "slug": "collectif",
        "name": "Atelier collectif",
        "description": (
            "Un atelier en petit groupe avec d'autres jeunes : CV, entretien, mobilité, "
            "métiers… On apprend ensemble."
        ),
        "duration_minutes": 90,
        "capacity": 8,
        "buffer_after_minutes": 30,
        "minimum_notice_hours": 12,
        "horizon_days": 60,
        "place_kinds": ["structure", "public_place", "elsewhere"],
        "meeting_stage": "any",
        "sort_order": 40,
    },
]


def create_formats(apps, schema_editor):
    Format = apps.get_model("booking", "Format")
    for values in FORMATS:
        Format.objects.get_or_create(slug=values["slug"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [migrations.RunPython(create_formats, migrations.RunPython.noop)]
