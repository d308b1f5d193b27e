"""Every text message is one GSM-7 segment, link included, whatever the names and the
date: composed for long names, every month and every weekday, and shortened in the
stated order rather than split."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from booking.models import Booking, Counsellor, Format, Place, YoungPerson
from booking.services.sms import (
    MessageTooLong,
    notification_text,
    sms_text_for_invitation,
)
from core.sms import gsm7
from structures.models import Structure

PARIS = ZoneInfo("Europe/Paris")
KINDS = ["booked", "moved", "cancelled", "reminder-24h", "reminder-2h"]
LONG_LINK = "https://mission-locale-de-lens-lievin-henin.example.org/r/Ab3dE6gH9"
SHORT_LINK = "https://ml-lens.fr/r/Ab3dE6gH9"
MEDIUM_LINK = "https://rdv.mission-locale-lens.fr/r/Ab3dE6gH9"
LONG = {
    "first_name": "Marie-Françoise-Léontine Ève-Anaïs Côté",  # 40 characters
    "counsellor": "Jean-Christophe-Emmanuel de La Tour d’Auvergne-Lauraguais",
    "place": "Antenne de la Maison de l’Emploi et de la Formation du Bassin Minier, bâtiment C",
    "structure": (
        "Mission Locale pour l’Insertion Professionnelle et Sociale des Jeunes de Lens-Liévin"
    ),
}


def a_booking(
    start,
    *,
    first_name="Léa",
    counsellor="Samira",
    place="Espace Passerelle",
    structure="Mission Locale de Lens",
):
    """An unsaved booking: the texts read only names and times."""
    return Booking(
        start=start,
        end=start + timedelta(minutes=45),
        young_person=YoungPerson(first_name=first_name),
        counsellor=Counsellor(first_name=counsellor),
        place=Place(name=place),
        format=Format(name="Entretien", structure=Structure(name=structure)),
    )


def compose(booking, kind, link):
    with translation.override("fr"), timezone.override(PARIS):
        return notification_text(booking, kind, link)


def every_month_and_weekday():
    """The 1st to the 7th of each month, this year and next (the year is then written),
    at 14:30 and 9:00."""
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        for month in range(1, 13):
            for day in range(1, 8):
                for hour in (time(14, 30), time(9)):
                    yield datetime.combine(date(year, month, day), hour, tzinfo=PARIS)


@pytest.mark.parametrize("kind", KINDS)
def test_every_message_is_one_segment_with_long_names_every_month_and_weekday(kind):
    weekdays, months = set(), set()
    for start in every_month_and_weekday():
        text = compose(a_booking(start, **LONG), kind, LONG_LINK)
        assert gsm7.fits_one_segment(text), (len(text), text)
        assert text.endswith(LONG_LINK) and gsm7.segments(text) == 1
        weekdays.add(start.weekday())
        months.add(start.month)
    assert len(weekdays) == 7 and len(months) == 12


def test_a_short_message_keeps_everything_in_plain_gsm7():
    start = datetime(2027, 8, 3, 14, 30, tzinfo=PARIS)
    text = compose(a_booking(start), "booked", SHORT_LINK)
    assert text == (
        "Léa, RDV confirmé : mardi 3 aout 2027 à 14 h 30 avec Samira, "
        "Espace Passerelle. Mission Locale de Lens. Déplacer ou annuler : " + SHORT_LINK
    )


def test_the_reminder_asks_whether_they_come():
    start = datetime(2027, 12, 7, 9, tzinfo=PARIS)
    text = compose(a_booking(start), "reminder-24h", SHORT_LINK)
    assert text.startswith("Léa, rappel de ton RDV mardi 7 décembre 2027 à 9 h")
    assert "Tu viens ? Confirme ou annule : " + SHORT_LINK in text


def test_the_structure_goes_first_then_the_place_then_names_are_shortened():
    """The sender phones show already names the structure; the place matters more."""
    start = datetime(2027, 9, 29, 14, 30, tzinfo=PARIS)
    long_structure = a_booking(start, structure=LONG["structure"])
    text = compose(long_structure, "booked", SHORT_LINK)
    assert "Insertion" not in text and "Espace Passerelle" in text and "Léa" in text

    long_place = a_booking(start, place=LONG["place"], structure=LONG["structure"])
    text = compose(long_place, "booked", SHORT_LINK)
    assert "Antenne" not in text and "avec Samira." in text and text.startswith("Léa, ")

    long_names = compose(a_booking(start, **LONG), "booked", MEDIUM_LINK)
    assert "Antenne" not in long_names and "Lauraguais" not in long_names
    assert "avec Jean-Christophe." in long_names and long_names.startswith("Marie-Francoise, ")


def test_apostrophes_and_cedillas_of_names_never_turn_it_into_ucs2():
    start = datetime(2027, 8, 15, 14, tzinfo=PARIS)
    text = compose(
        a_booking(start, first_name="Françoise", counsellor="N’Diaye"), "moved", SHORT_LINK
    )
    assert "Francoise" in text and "N'Diaye" in text and "aout" in text
    assert gsm7.is_gsm7(text)


def test_a_purged_booking_is_written_without_a_name():
    start = datetime(2027, 8, 15, 14, tzinfo=PARIS)
    booking = a_booking(start)
    booking.young_person = None
    text = compose(booking, "cancelled", SHORT_LINK)
    assert text.startswith("RDV du dimanche 15 aout 2027 à 14 h")


def test_a_link_too_long_for_one_segment_is_refused_not_split():
    start = datetime(2027, 9, 29, 14, 30, tzinfo=PARIS)
    with pytest.raises(MessageTooLong):
        compose(a_booking(start), "booked", "https://" + "x" * 150 + "/r/Ab3dE6gH9")


def test_the_invitation_to_book_is_one_segment_too():
    with translation.override("fr"):
        short = sms_text_for_invitation(
            structure_name="Mission Locale de Lens",
            counsellor_name="Samira",
            link=SHORT_LINK,
            first_name="Léa",
        )
        long = sms_text_for_invitation(
            structure_name=LONG["structure"],
            counsellor_name=LONG["counsellor"],
            link=LONG_LINK,
            first_name=LONG["first_name"],
        )
    assert short == (
        "Léa, Samira t'invite à prendre RDV : " + SHORT_LINK + " Mission Locale de Lens."
    )
    assert gsm7.fits_one_segment(long) and LONG_LINK in long
