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

# Whose public holidays close the structure, as booking.scheduling.holidays names the
# regions (ISO 3166-2): France's, with Moselle's and Alsace's two extra days, or an
# overseas one's with its abolition-of-slavery day.
HOLIDAY_REGIONS = [
    ("FR", _("Metropolitan France")),
    ("FR-57", _("Moselle (Good Friday and 26 December too)")),
    ("FR-6AE", _("Alsace (Good Friday and 26 December too)")),
    ("FR-971", _("Guadeloupe")),
    ("FR-972", _("Martinique")),
    ("FR-973", _("French Guiana")),
    ("FR-974", _("La Réunion")),
    ("FR-976", _("Mayotte")),
    ("FR-BL", _("Saint-Barthélemy")),
    ("FR-MF", _("Saint-Martin")),
    ("FR-PM", _("Saint-Pierre-et-Miquelon")),
    ("FR-NC", _("New Caledonia")),
    ("FR-PF", _("French Polynesia")),
    ("FR-WF", _("Wallis and Futuna")),
]
