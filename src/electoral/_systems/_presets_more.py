"""More presets: biproportional Zürich, Imperiali in Belgium's communes, and the US House's apportionment.

:mod:`electoral._systems._presets` lists these with its own (:data:`MORE_PRESETS`).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Final

from electoral._systems._biproportional import Biproportional
from electoral._systems._nodes import DistrictTier, MagnitudeApportionment, Method, Threshold
from electoral._systems._system import System

__all__ = ["MORE_PRESETS"]


def _zurich_kantonsrat() -> System:
    return System(
        "zurich-kantonsrat",
        (Biproportional("Wahlkreis", (Threshold(Fraction(5, 100), "any-district", "lists", "at-least"),)),),
        "Zürich: Kantonsrat (and the communal parliaments counted by the same law)",
        "Gesetz über die politischen Rechte (GPR) of the canton of Zürich, LS 161, §§ 102-105, as amended for"
        " the elections from 2006 (Gemeinderat of the city of Zürich, 2006) and 2007 (Kantonsrat): only party"
        " lists with at least 5% of the party votes in at least one Wahlkreis take part; upper apportionment"
        " of all seats among them by Sainte-Laguë (standard rounding) on their voter numbers (party votes"
        " divided by the Wahlkreis's seats, rounded to whole numbers, summed); lower apportionment by"
        " Wahlkreis and party divisors with"
        " standard rounding so that each Wahlkreis gets its seats and each party its upper seats (F. Pukelsheim,"
        " Proportional Representation, Springer 2014, ch. 14-15; M. L. Balinski and G. Demange, Math. Oper."
        " Res. 14 (1989) 700-719).",
        (2006, None),
    )


def _belgium_municipal() -> System:
    return System(
        "belgium-municipal",
        (DistrictTier("commune", Method("divisor", "imperiali")),),
        "Belgium: conseils communaux (municipal councils, Brussels-Capital)",
        "Loi électorale communale (coordinated by the Royal Decree of 4 August 1932), art. 56, as it applies to"
        " the communes of the Brussels-Capital Region: each list's votes are divided by 2, 3, 4, ... (the"
        " Imperiali divisors) and the seats go to the largest quotients; no legal threshold. The Flemish and"
        " Walloon regions count under their own decrees, which this preset does not check.",
        (1932, None),
    )


def _us_house() -> System:
    return System(
        "us-house",
        (MagnitudeApportionment(435, 0, {}, Method("divisor", "huntington-hill"), "state"),),
        "United States House of Representatives: seats of the states",
        "2 U.S.C. § 2a (Act of 15 November 1941, 55 Stat. 761): the method of equal proportions"
        " (Huntington-Hill), 435 seats; a state's n-th seat has the priority population / sqrt((n-1) n), so"
        " every state has its first seat before any state its second (U.S. Const. art. I, § 2: each state at"
        " least one Representative). The House size is 435 since the Apportionment Act of 1911.",
        (1941, None),
    )


#: name -> builder, merged into the preset table of :mod:`electoral._systems._presets`
MORE_PRESETS: Final[dict[str, Callable[[], System]]] = {
    "zurich-kantonsrat": _zurich_kantonsrat,
    "belgium-municipal": _belgium_municipal,
    "us-house": _us_house,
}
