"""Public holidays by region, on which the structure is closed
(BOOKING_CLOSED_ON_PUBLIC_HOLIDAYS). Every expected date is checked by hand against the
law, not copied from the package: Code du travail L3133-1 (the eleven national days),
L3134-13 (Alsace-Moselle), décret n° 83-1003 du 23 novembre 1983 (the abolition of
slavery in each overseas department) and décret n° 2012-553 (Saint-Barthélemy,
Saint-Martin)."""

from datetime import date

import pytest

from booking.scheduling.holidays import REGIONS, public_holidays, public_holidays_between
from booking.scheduling.slots import Availability

YEAR_2026 = (date(2026, 1, 1), date(2026, 12, 31))
# Easter 2026 is 5 April: Good Friday 3 April, Easter Monday 6 April, Ascension 14 May,
# Whit Monday 25 May.
METROPOLITAN_2026 = {
    date(2026, 1, 1): "Jour de l'an",
    date(2026, 4, 6): "Lundi de Pâques",
    date(2026, 5, 1): "Fête du Travail",
    date(2026, 5, 8): "Fête de la Victoire",
    date(2026, 5, 14): "Ascension",
    date(2026, 5, 25): "Lundi de Pentecôte",
    date(2026, 7, 14): "Fête nationale",
    date(2026, 8, 15): "Assomption",
    date(2026, 11, 1): "Toussaint",
    date(2026, 11, 11): "Armistice",
    date(2026, 12, 25): "Noël",
}


def test_metropolitan_france_is_the_default_with_its_eleven_days_named_in_french():
    assert public_holidays_between(*YEAR_2026) == METROPOLITAN_2026
    assert public_holidays_between(*YEAR_2026, region="FR") == METROPOLITAN_2026
    assert public_holidays(2026) == METROPOLITAN_2026


def test_a_range_keeps_only_its_days_across_new_year():
    assert public_holidays_between(date(2026, 12, 25), date(2027, 1, 1)) == {
        date(2026, 12, 25): "Noël",
        date(2027, 1, 1): "Jour de l'an",
    }
    assert public_holidays_between(date(2026, 12, 26), date(2026, 12, 31)) == {}


@pytest.mark.parametrize("region", ["FR-57", "FR-6AE", "FR-67", "FR-68"])
def test_alsace_and_moselle_also_close_on_good_friday_and_26_december(region):
    holidays = public_holidays_between(*YEAR_2026, region=region)
    assert set(holidays) - set(METROPOLITAN_2026) == {date(2026, 4, 3), date(2026, 12, 26)}
    assert holidays[date(2026, 12, 26)] == "Saint-Étienne"
    assert holidays[date(2026, 4, 3)] == "Vendredi saint"
    assert public_holidays(2026, region) == holidays


@pytest.mark.parametrize(
    ("region", "abolition"),
    [
        ("FR-971", date(2026, 5, 27)),  # Guadeloupe
        ("FR-972", date(2026, 5, 22)),  # Martinique
        ("FR-973", date(2026, 6, 10)),  # Guyane
        ("FR-974", date(2026, 12, 20)),  # La Réunion
        ("FR-976", date(2026, 4, 27)),  # Mayotte
        ("FR-BL", date(2026, 10, 9)),  # Saint-Barthélemy
        ("FR-MF", date(2026, 5, 28)),  # Saint-Martin
    ],
)
def test_each_overseas_region_closes_on_its_own_abolition_of_slavery_day(region, abolition):
    holidays = public_holidays_between(*YEAR_2026, region=region)
    assert holidays[abolition] == "Abolition de l'esclavage"
    assert abolition not in public_holidays_between(*YEAR_2026)
    assert set(METROPOLITAN_2026) <= set(holidays)
    assert date(2026, 12, 26) not in holidays


def test_the_structure_of_each_region_is_closed_on_its_days_only():
    def closed(**region):
        data = Availability(counsellors=[], formats=[], **region)
        return data.closed_days(date(2026, 12, 19), date(2026, 12, 26))

    assert closed() == closed(holiday_region="FR") == {date(2026, 12, 25)}
    assert closed(holiday_region="FR-57") == {date(2026, 12, 25), date(2026, 12, 26)}
    assert closed(holiday_region="FR-974") == {date(2026, 12, 20), date(2026, 12, 25)}


def test_every_listed_region_works_and_an_unknown_one_is_refused():
    assert "FR-974" in REGIONS
    for region in REGIONS:
        assert date(2026, 12, 25) in public_holidays_between(*YEAR_2026, region=region)
    with pytest.raises(ValueError, match="FR-999"):
        public_holidays_between(*YEAR_2026, region="FR-999")
