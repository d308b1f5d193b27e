"""Overseas mobiles stored under France's country code get their own.

Until phonenumbers read the numbers, "0692 12 34 56" (La Réunion) was stored as
+33692123456, a number that does not exist: typed again, it is now +262692123456, and
the person would not be recognised. Each stored +33 number that is not valid is read
again as typed in France ("0692…") for each department sharing the ten-digit plan; one
valid reading replaces it. A number already stored for someone else is left alone.
"""

import phonenumbers
from django.db import migrations

OVERSEAS_REGIONS = ("RE", "YT", "GP", "MQ", "GF")


def overseas_reading(stored):
    number = phonenumbers.parse(stored)
    if phonenumbers.is_valid_number(number):
        return None
    local = f"0{number.national_number}"
    for region in OVERSEAS_REGIONS:
        reading = phonenumbers.parse(local, region)
        if phonenumbers.is_valid_number(reading):
            return phonenumbers.format_number(reading, phonenumbers.PhoneNumberFormat.E164)
    return None


def give_overseas_numbers_their_country_code(apps, schema_editor):
    YoungPerson = apps.get_model("booking", "YoungPerson")
    for person in YoungPerson.objects.filter(phone__startswith="+33"):
        phone = overseas_reading(person.phone)
        if phone and not YoungPerson.objects.filter(phone=phone).exists():
            person.phone = phone
            person.save(update_fields=["phone"])


class Migration(migrations.Migration):
    dependencies = [("booking", "0011_notification_sending")]

    operations = [
        migrations.RunPython(
            give_overseas_numbers_their_country_code, migrations.RunPython.noop, elidable=True
        )
    ]
