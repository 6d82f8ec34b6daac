"""Presets for the Netherlands' Tweede Kamer and Sweden's Riksdag, with the years each law covers.

Registered in :mod:`electoral._systems._presets` like the Spanish ones.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Final

from electoral._systems._kieswet import KieswetTier
from electoral._systems._riksdag import RiksdagTier
from electoral._systems._system import System

__all__ = ["ERAS"]

_TK: Final = (
    "Kieswet (Wet van 28 september 1989, Stb. 1989, 423), chapter P: 150 seats in one national pool (Grondwet"
    " art. 51); the kiesdeler is the lists' votes over 150 (P 5), a seat per whole kiesdeler (P 6), residual"
    " seats by largest averages (P 7) to lists that reached the kiesdeler (P 7.2), a list with an absolute"
    " majority of the votes gets a majority of the seats (P 9), seats beyond a list's candidates go to the"
    " others (P 10), and candidates with 25% of the kiesdeler in preference votes are elected first (P 15)."
)


def _tweede_kamer(
    first: int, last: int | None, combinations: bool, preference: Fraction, note: str
) -> Callable[[], System]:
    def build() -> System:
        tier = KieswetTier("Nederland", 150, "quota", 19, True, (), preference)
        law = _TK + note
        if not combinations:
            law += (
                " List combinations (lijstencombinaties, P 3/P 4) were abolished by the 2017 amendment of the"
                " Kieswet, first applied in the 2021 election."
            )
        return System("netherlands-tweede-kamer", (tier,), "Tweede Kamer der Staten-Generaal", law, (first, last))

    return build


def _riksdag(first: int, last: int | None, first_divisor: Fraction, note: str) -> Callable[[], System]:
    def build() -> System:
        tier = RiksdagTier("constituency", 39, first_divisor, Fraction(4, 100), Fraction(12, 100))
        law = (
            "Vallag (2005:837), ch. 14: 349 seats, 310 fixed constituency seats (apportioned among the"
            " constituencies before each election by the Election Authority, ch. 2) and 39 adjustment seats;"
            " parties with 4% of the votes in the whole country, or 12% in a constituency for its fixed seats"
            " (§ 3), share seats by the modified odd-number method (§§ 5-6); adjustment seats make each party's"
            " total proportional to its national votes and go to the constituencies where its comparison figure"
            " is largest (§§ 7-8). Before 2006 the same rules stood in Vallag (1997:157), ch. 18." + note
        )
        return System("sweden-riksdag", (tier,), "Sveriges riksdag", law, (first, last))

    return build


#: presets whose law changed: (first year, last year or None, builder), oldest first
ERAS: Final[dict[str, tuple[tuple[int, int | None, Callable[[], System]], ...]]] = {
    "netherlands-tweede-kamer": (
        (
            1989,
            1997,
            _tweede_kamer(
                1989,
                1997,
                True,
                Fraction(1, 2),
                " Until the 1998 election the preference threshold was half the kiesdeler.",
            ),
        ),
        (
            1998,
            2017,
            _tweede_kamer(1998, 2017, True, Fraction(1, 4), " List combinations are given as `combinations`."),
        ),
        (2018, None, _tweede_kamer(2018, None, False, Fraction(1, 4), "")),
    ),
    "sweden-riksdag": (
        (1998, 2017, _riksdag(1998, 2017, Fraction(7, 5), " First divisor 1.4 until the 2018 amendment.")),
        (
            2018,
            None,
            _riksdag(
                2018,
                None,
                Fraction(6, 5),
                " First divisor 1.2 from the 2018 election (the 2014 reform of the Instrument of Government"
                " and the Elections Act).",
            ),
        ),
    ),
}
