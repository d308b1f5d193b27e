"""Public holidays, from the `holidays` package, so nobody types next year's dates and
each structure closes on its own region's days.

A region is ``"FR"`` (metropolitan France) or ``"FR-<code>"`` with a French
subdivision's ISO 3166-2 code, which is also the package's: ``FR-57`` (Moselle) and
``FR-6AE`` (Alsace, also reachable as its departments ``FR-67`` and ``FR-68``) add Good
Friday and 26 December; the overseas departments ``FR-971`` (Guadeloupe), ``FR-972``
(Martinique), ``FR-973`` (Guyane), ``FR-974`` (La Réunion) and ``FR-976`` (Mayotte), and
the collectivities ``FR-BL``, ``FR-MF``, ``FR-NC``, ``FR-PF``, ``FR-PM``, ``FR-TF`` and
``FR-WF``, add their own days, such as the abolition of slavery.
"""

from datetime import date
from functools import lru_cache

import holidays

DEFAULT_REGION = "FR"
# The Alsatian departments, for a structure that knows its department rather than the
# European Collectivity of Alsace the package (and ISO 3166-2 since 2021) counts.
_DEPARTMENTS_OF_ALSACE = {"FR-67": "FR-6AE", "FR-68": "FR-6AE"}
REGIONS = (
    DEFAULT_REGION,
    *(f"FR-{code}" for code in holidays.France.subdivisions),
    *_DEPARTMENTS_OF_ALSACE,
)


def public_holidays(year: int, region: str = DEFAULT_REGION):
    """{date: French name} of `region`'s public holidays in `year`."""
    return dict(_public_holidays(region, year))


def public_holidays_between(first: date, last: date, region: str = DEFAULT_REGION):
    """{date: French name} of `region`'s public holidays from `first` to `last`, both
    included."""
    return {
        day: name
        for year in range(first.year, last.year + 1)
        for day, name in _public_holidays(region, year).items()
        if first <= day <= last
    }


@lru_cache(maxsize=256)
def _public_holidays(region, year):
    """One region's year, built once per process: the package takes about a millisecond
    for it, and every slot computation asks."""
    if region not in REGIONS:
        raise ValueError(f"Unknown public-holiday region {region!r}: one of {REGIONS}")
    country, _dash, subdivision = _DEPARTMENTS_OF_ALSACE.get(region, region).partition("-")
    return dict(
        holidays.country_holidays(
            country, subdiv=subdivision or None, years=year, language="fr"
        ).items()
    )
