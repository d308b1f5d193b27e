"""The GSM 03.38 count decides the bill: 160 septets in one SMS, and one character
outside the alphabet turns a message into 70-character UCS-2 parts."""

from datetime import date

import pytest
from django.utils import formats, translation

from core.sms import gsm7


def test_the_basic_table_has_its_127_characters_and_the_escape():
    assert len(gsm7.BASIC) == 128
    assert gsm7.BASIC[0x1B] == "\x1b"
    assert gsm7.BASIC.index("à") == 0x7F
    assert gsm7.BASIC.index("@") == 0
    assert gsm7.BASIC.index("A") == 0x41


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("é" * 160, 1),
        ("€" * 80, 1),
        ("€" * 81, 2),
        ("a" * 159 + "€", 2),
        ("ê" * 70, 1),
        ("ê" * 71, 2),
        ("ê" * 134, 2),
        ("ê" * 135, 3),
    ],
)
def test_segments_follow_the_known_thresholds(text, segments):
    assert gsm7.segments(text) == segments


def test_extension_characters_cost_two_septets():
    assert gsm7.septets("€") == 2
    assert gsm7.septets("[a]") == 5
    assert gsm7.fits_one_segment("a" * 158 + "€")
    assert not gsm7.fits_one_segment("a" * 159 + "€")


def test_one_typographic_apostrophe_makes_a_short_text_two_sms():
    text = "Rappel : ton rendez-vous est demain à 14 h avec Samira. " * 2
    assert gsm7.segments(text[:123]) == 1
    assert gsm7.segments(text[:122] + "’") == 2
    assert gsm7.segments(gsm7.normalise(text[:122] + "’")) == 1


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("Ça a été reçu", "Ça a été recu"),
        ("âge, fête, île, hôtel, sûr", "age, fete, ile, hotel, sur"),
        ("cœur, Œuvre", "coeur, OEuvre"),
        ("l’appel ‘ici’", "l'appel 'ici'"),
        ("« oui » “non”", '" oui " "non"'),
        ("9 h – 12 h — fin…", "9 h - 12 h - fin..."),
        ("14\u00a0h\u202f30 : ok", "14 h 30 : ok"),
        ("Noël, naïf, Ève", "Noel, naif, Eve"),
        ("août", "aout"),
        ("ÀÂÈÊËÎÏÔÙÛ", "AAEEEIIOUU"),
        ("à é è ù ä ö ü Ä Ö Ü É Ç ñ", "à é è ù ä ö ü Ä Ö Ü É Ç ñ"),
        ("RDV 🙂", "RDV ?"),
    ],
)
def test_normalise_maps_french_onto_gsm7(raw, plain):
    assert gsm7.normalise(raw) == plain
    assert gsm7.is_gsm7(gsm7.normalise(raw))


def test_every_french_month_and_weekday_becomes_gsm7():
    with translation.override("fr"):
        months = [formats.date_format(date(2027, month, 1), "F") for month in range(1, 13)]
        weekdays = [formats.date_format(date(2027, 1, day), "l") for day in range(1, 8)]
    assert "août" in months and len(set(weekdays)) == 7
    assert all(gsm7.is_gsm7(gsm7.normalise(name)) for name in months + weekdays)
    assert gsm7.normalise("août") == "aout"
