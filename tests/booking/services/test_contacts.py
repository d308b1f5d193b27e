"""Mobile numbers from France, overseas and the EU, stored once in E.164.

Every expected value comes from the numbering plans, not from the library: ARCEP gives
the overseas departments mobile blocks of the one French ten-digit plan (0692 and 0693
La Réunion, 0639 Mayotte, 0690 and 0691 Guadeloupe with Saint-Barthélemy and
Saint-Martin, 0696 and 0697 Martinique, 0694 Guyane) under their own country codes
(+262, +590, +596, +594); metropolitan mobiles are 06 and 073 to 079; Belgian mobiles
are 04xx, German ones 015x, 016x and 017x.
"""

import pytest
from django.utils.translation import gettext

from booking import services
from booking.services import InvalidContact
from booking.services.contacts import display_phone
from structures.models import Structure
from tests.support import HOSTILE_VALUES

from ..factories import YoungPersonFactory

NOT_A_MOBILE = "This does not look like a mobile number. Please check it, e.g. 06 12 34 56 78."
LANDLINE = (
    "This looks like a landline number. Please give a mobile number: "
    "it is the one we can send text messages to."
)
FRENCH_ONLY = "Only French mobile numbers, from France or overseas, are accepted here."
COUNTRY_CODE = "Please write this number with its country code, e.g. +687 75 12 34."


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("07.81.23.45.67", "+33781234567"),
        ("06-12-34-56-78", "+33612345678"),
        (" 06/12/34/56/78 ", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        # Typed in Lens, a local overseas number belongs to its own department:
        ("0692 12 34 56", "+262692123456"),  # La Réunion
        ("0693 12 34 56", "+262693123456"),  # La Réunion
        ("0639 26 27 28", "+262639262728"),  # Mayotte (ARCEP's own example, 2006)
        ("0690 12 34 56", "+590690123456"),  # Guadeloupe
        ("0696 12 34 56", "+596696123456"),  # Martinique
        ("0694 12 34 56", "+594694123456"),  # Guyane
        # … and written internationally, from anywhere:
        ("+262 692 12 34 56", "+262692123456"),
        ("00262 692 12 34 56", "+262692123456"),
        ("+590 690 12 34 56", "+590690123456"),
        ("+687 75 12 34", "+687751234"),  # Nouvelle-Calédonie
        ("+689 87 12 34 56", "+68987123456"),  # Polynésie française
    ],
)
def test_french_and_overseas_mobiles_are_stored_in_e164(raw, stored):
    assert services.normalise_phone(raw) == stored


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("01 23 45 67 89", LANDLINE),  # Île-de-France
        ("03 21 12 34 56", LANDLINE),  # Lens
        ("0262 21 12 34", LANDLINE),  # Saint-Denis de La Réunion
        ("+32 470 12 34 56", FRENCH_ONLY),  # a Belgian mobile, by default
        ("0032 470 12 34 56", FRENCH_ONLY),
        ("+49 1512 3456789", FRENCH_ONLY),
        ("+1 202 555 0143", FRENCH_ONLY),
        ("06 12 34", NOT_A_MOBILE),
        ("0123", NOT_A_MOBILE),
        ("+33 6 92 12 34 56", NOT_A_MOBILE),  # what was stored for La Réunion until now
        ("07 00 12 34 56", NOT_A_MOBILE),  # 0700: machine numbers, no person
        ("06 12 34 56 78 90", NOT_A_MOBILE),
        ("06 CALL ME", NOT_A_MOBILE),
        ("tel: 06 12 34 56 78", NOT_A_MOBILE),
        # Six digits: Saint-Pierre-et-Miquelon or Nouvelle-Calédonie, we cannot tell.
        ("75 12 34", COUNTRY_CODE),
    ],
)
def test_other_numbers_are_refused_saying_why(raw, message):
    with pytest.raises(InvalidContact) as refused:
        services.normalise_phone(raw)
    assert (refused.value.field, refused.value.message) == ("phone", gettext(message))
    assert gettext(message) != message, "the message has a French translation"


@pytest.mark.parametrize("raw", HOSTILE_VALUES)
def test_hostile_values_are_refused_on_the_phone_field(raw):
    """ "10000-01-01" reads as Paris's 01 00 00 01 01: refused as a landline, still clearly."""
    with pytest.raises(InvalidContact) as refused:
        services.normalise_phone(raw)
    assert refused.value.field == "phone"
    assert refused.value.message in {gettext(NOT_A_MOBILE), gettext(LANDLINE)}


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("+32 470 12 34 56", "+32470123456"),
        ("0032 470 12 34 56", "+32470123456"),
        ("+49 1512 3456789", "+4915123456789"),
        ("06 12 34 56 78", "+33612345678"),
    ],
)
def test_eu_mobiles_are_accepted_where_the_structure_allows_them(raw, stored):
    assert services.normalise_phone(raw, accept_eu_mobiles=True) == stored


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("+32 2 234 56 78", LANDLINE),  # Brussels
        ("+1 202 555 0143", FRENCH_ONLY),
        ("+41 79 123 45 67", FRENCH_ONLY),  # Switzerland is not in the EU
    ],
)
def test_eu_landlines_and_mobiles_from_outside_the_eu_stay_refused(raw, message):
    with pytest.raises(InvalidContact) as refused:
        services.normalise_phone(raw, accept_eu_mobiles=True)
    assert refused.value.message == gettext(message)


def test_the_structures_region_reads_local_numbers_first():
    assert services.normalise_phone("75 12 34", region="NC") == "+687751234"
    assert services.normalise_phone("87 12 34 56", region="PF") == "+68987123456"
    # A structure in La Réunion still understands a metropolitan mobile.
    assert services.normalise_phone("06 12 34 56 78", region="RE") == "+33612345678"
    assert services.normalise_phone("0692 12 34 56", region="RE") == "+262692123456"


def test_the_structure_gives_the_region_and_whether_eu_mobiles_are_accepted(db):
    structure = Structure.default()
    structure.phone_region, structure.accept_eu_mobiles = "NC", True
    rules = structure.phone_rules
    assert services.normalise_phone("75 12 34", **rules) == "+687751234"
    assert services.normalise_phone("+32 470 12 34 56", **rules) == "+32470123456"


@pytest.mark.parametrize(
    "typed",
    [
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "+33 6 12 34 56 78",
        "+33612345678",
        "0033 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
    ],
)
def test_a_number_stored_before_is_found_in_any_of_its_forms(db, typed):
    noah = YoungPersonFactory(first_name="Noah", phone="+33612345678")
    assert services.find_person(Structure.default().pk, phone=typed) == noah


def test_a_reunion_number_is_one_person_however_it_is_typed(db):
    first = services.find_or_create_person(
        Structure.default().pk, first_name="Maëva", phone="0692 12 34 56"
    )
    again = services.find_or_create_person(
        Structure.default().pk, first_name="Maëva", phone="+262 692 12 34 56"
    )
    assert again == first and first.phone == "+262692123456"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+33612345678", "06 12 34 56 78"),
        ("+262692123456", "0692 12 34 56"),
        ("+262639262728", "0639 26 27 28"),
        ("+590690123456", "0690 12 34 56"),
        ("+32470123456", "+32 470 12 34 56"),
        # Not in the ten-digit plan: dialled from France with the country code.
        ("+687751234", "+687 75.12.34"),
        ("", ""),
    ],
)
def test_numbers_are_shown_as_dialled_from_france(stored, shown):
    assert display_phone(stored) == shown
