"""The places a French youth-support structure may be: its time zone, the region its
phone numbers are read in, and whose public holidays close it. Kept as short lists a
non-technical editor can choose from, not the 600 IANA zones."""

from django.utils.translation import gettext_lazy as _

TIME_ZONES = [
    ("Europe/Paris", _("Metropolitan France (Paris time)")),
    ("Indian/Reunion", _("La Réunion (UTC+4)")),
    ("Indian/Mayotte", _("Mayotte (UTC+3)")),
    ("America/Guadeloupe", _("Guadeloupe, Saint-Martin, Saint-Barthélemy (UTC−4)")),
    ("America/Martinique", _("Martinique (UTC−4)")),
    ("America/Cayenne", _("French Guiana (UTC−3)")),
    ("America/Miquelon", _("Saint-Pierre-et-Miquelon")),
    ("Pacific/Noumea", _("New Caledonia (UTC+11)")),
    ("Pacific/Tahiti", _("French Polynesia (UTC−10)")),
    ("Pacific/Wallis", _("Wallis and Futuna (UTC+12)")),
]

# ISO 3166 codes, as phonenumbers reads them: a number typed without its country code
# is read in the structure's region first, then France's, then each overseas one.
PHONE_REGIONS = [
    ("FR", _("Metropolitan France")),
    ("RE", _("La Réunion")),
    ("YT", _("Mayotte")),
    ("GP", _("Guadeloupe")),
    ("MQ", _("Martinique")),
    ("GF", _("French Guiana")),
    ("PM", _("Saint-Pierre-et-Miquelon")),
    ("BL", _("Saint-Barthélemy")),
    ("MF", _("Saint-Martin")),
    ("NC", _("New Caledonia")),
    ("PF", _("French Polynesia")),
    ("WF", _("Wallis and Futuna")),
]

# Whose public holidays close the structure: France, with Alsace-Moselle's two extra
# days, or an overseas department's calendar and its abolition-of-slavery day.
HOLIDAY_REGIONS = [
    ("FR", _("Metropolitan France")),
    ("FR-AM", _("Alsace-Moselle (Good Friday and 26 December too)")),
    ("FR-GP", _("Guadeloupe")),
    ("FR-MQ", _("Martinique")),
    ("FR-GF", _("French Guiana")),
    ("FR-RE", _("La Réunion")),
    ("FR-YT", _("Mayotte")),
]
